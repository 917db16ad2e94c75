import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadListFile } from '../../etl/run-etl.ts';
import { BUNDLED_CONFIG, BUNDLED_LIST } from '../helpers/bundled.ts';
import { suiteApp } from '../helpers/test-app.ts';
import { BACKENDS, ROOT, type TestDb } from '../helpers/test-db.ts';

/**
 * The PDF-text next version (test/fixtures/reform/README.md, "liangzhou-v2.txt") loaded over the
 * bundled list, as a bureau would load next year's export: its numbering gap does not stop the load,
 * and the reform diff, with the reviewed corrections on both versions, is exactly its five changes.
 */
const V2_TEXT = join(ROOT, 'test/fixtures/reform/liangzhou-v2.txt');

describe.each(BACKENDS)("next year's PDF-text list over the bundled one on %s", (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  suiteApp(backend, {}, (testDb, built) => {
    t = testDb;
    app = built;
  });

  it('loads despite the gap, records it as a parse issue, and diffs to exactly the documented changes', async () => {
    await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, BUNDLED_LIST);
    const loaded = await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, V2_TEXT, { label: '2025年版' });
    expect(loaded).toMatchObject({ status: 'loaded', versionId: 2, items: 80 });
    const gap = await t.db.kysely
      .selectFrom('parse_issue')
      .select(['line', 'seq', 'message'])
      .where('version_id', '=', 2)
      .where('field', '=', 'seq')
      .where('seq', '=', 74)
      .execute();
    expect(gap).toEqual([
      {
        line: 263,
        seq: 74,
        message: '序号 "74" follows item 72: 73 is not in the list (items removed?); 序号 kept as written',
      },
    ]);
    const rows = (await app.inject('/api/reform/diff?format=json')).json() as {
      kind: string;
      from_seqs: string;
      to_seqs: string;
    }[];
    expect(rows.map((x) => [x.kind, x.from_seqs, x.to_seqs])).toEqual([
      ['added', '', '81'],
      ['removed', '73', ''],
      ['renamed', '42', '42'],
      ['moved', '76', '76'],
      ['basis_changed', '38', '38'],
    ]);
  });
});
