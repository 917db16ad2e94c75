import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableCache, type TableAnswer } from '../../server/routes/case-filters.ts';
import { requestBureau } from '../../server/request-bureau.ts';
import type { Format } from '../../server/table-reply.ts';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.ts';

describe.each(BACKENDS)('case answer cache on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(() => t.drop());

  it('identical concurrent requests share one computation; a new refresh stamp computes again', async () => {
    const app = Fastify();
    let computed = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    requestBureau(app, { db: t.db, bureauId: 'B' });
    const table = tableCache(t.db);
    type Q = { k?: string; format?: Format };
    app.get<{ Querystring: Q }>(
      '/x',
      table<Q>(async (req): Promise<TableAnswer> => {
        computed++;
        await gate;
        return { rows: [{ k: req.query.k ?? '', n: computed }], spec: { k: 'string', n: 'int' } };
      }),
    );
    const get = (url: string) => app.inject({ url }).then((r) => r.body);
    const same = Array.from({ length: 10 }, () => get('/x?k=a&format=json'));
    const other = get('/x?k=b&format=csv');
    // Let every request read the stamp and reach the cache before the computation ends.
    await new Promise((r) => setTimeout(r, 300));
    release();
    const bodies = await Promise.all(same);
    expect(new Set(bodies).size).toBe(1);
    expect(await other).toContain('b');
    expect(computed).toBe(2);
    await get('/x?k=a');
    expect(computed).toBe(2);
    await t.db.session((s) => s.query(`INSERT INTO case_aggregate_meta VALUES ('B', now(), null, null, 0, 0)`));
    await get('/x?k=a');
    expect(computed).toBe(3);
    await app.close();
  });
});
