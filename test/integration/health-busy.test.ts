import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.ts';
import { loadListFile } from '../../etl/run-etl.ts';
import { buildApp } from '../../server/app.ts';
import { BUNDLED_CONFIG, BUNDLED_LIST, profile } from '../helpers/bundled.ts';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.ts';

/** A transaction like a load's, holding its session until released. */
async function holdLikeALoad(db: Db): Promise<{ release: () => void; load: Promise<void> }> {
  let release: () => void = () => undefined;
  let held: () => void = () => undefined;
  const holding = new Promise<void>((r) => (held = r));
  const load = db.session(async (s) => {
    await s.query('BEGIN');
    held();
    await new Promise<void>((r) => (release = r));
    await s.query('ROLLBACK');
  });
  await holding;
  return { release, load };
}

describe.each(BACKENDS)('/api/health while a load holds the database on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
    await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, BUNDLED_LIST);
  });
  afterAll(() => t.drop());

  it('answers from its last reading while PGlite is held, and reads again once it is free', async () => {
    const app = await buildApp({ db: t.db, bureauId: profile().bureau_id, adminToken: null });
    const health = async () => {
      const res = await app.inject('/api/health');
      return { code: res.statusCode, ...res.json() };
    };
    expect(await health()).toMatchObject({ code: 200, status: 'ok', database: 'ok' });
    const { release, load } = await holdLikeALoad(t.db);
    // PGlite has one connection: the reading waits behind the load, the answer does not.
    expect(await health()).toMatchObject({
      code: 200,
      status: 'ok',
      database: backend === 'pglite' ? 'busy' : 'ok',
      version: 1,
    });
    release();
    await load;
    // The reading queued behind the load comes back before anything queued after it.
    await t.db.session(async () => undefined);
    expect(await health()).toMatchObject({ code: 200, database: 'ok' });
    await app.close();
  });

  it('serves cached case answers while a load holds the database; a new question waits for it', async () => {
    const app = await buildApp({ db: t.db, bureauId: profile().bureau_id, adminToken: null });
    const before = await app.inject('/api/volumes');
    expect(before.statusCode).toBe(200);
    const { release, load } = await holdLikeALoad(t.db);
    const t0 = Date.now();
    const during = await app.inject('/api/volumes');
    expect(during.statusCode).toBe(200);
    expect(Buffer.compare(during.rawPayload, before.rawPayload)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2_000);
    // Not cached yet: on PGlite it needs the database, so it waits for the load.
    let answered = false;
    const fresh = app.inject('/api/volumes?by=section').then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(answered).toBe(backend === 'pg');
    release();
    await load;
    expect((await fresh).statusCode).toBe(200);
    await app.close();
  });
});
