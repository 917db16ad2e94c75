/**
 * The reliability corpus (test/fixtures/corpus/manifest.ts) through the real loaders on both
 * backends: every file gets exactly its expected outcome, and a refused file leaves nothing behind.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCaseFile } from '../../etl/load/case-load.ts';
import { rejectsPathFor } from '../../etl/load/case-rejects.ts';
import { loadListFile } from '../../etl/run-etl.ts';
import { CORPUS, type CorpusContext, type CorpusFile } from '../fixtures/corpus/manifest.ts';
import { BUNDLED_CONFIG, BUNDLED_LIST, profile } from '../helpers/bundled.ts';
import { corpusContext } from '../helpers/corpus.ts';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.ts';

const BUREAU = profile().bureau_id;
const now = () => new Date('2026-06-01T00:00:00Z');

let ctx: CorpusContext;
let dir: string;
beforeAll(async () => {
  ctx = await corpusContext();
  dir = await mkdtemp(join(tmpdir(), 'quanze-corpus-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('the corpus has at least 40 files, each named once, for all three loaders', () => {
  expect(CORPUS.length).toBeGreaterThanOrEqual(40);
  expect(new Set(CORPUS.map((f) => f.name)).size).toBe(CORPUS.length);
  expect(new Set(CORPUS.map((f) => f.kind))).toEqual(new Set(['cases', 'list', 'sheet']));
});

describe.each(BACKENDS)('the corpus on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
    await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, BUNDLED_LIST);
  });
  afterAll(() => t.drop());
  const count = async (table: 'case_file' | 'list_version') =>
    (await t.db.session((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)))[0]!.n;

  async function load(
    f: CorpusFile,
    path: string,
  ): Promise<{ refused: string } | { result: Awaited<ReturnType<typeof loadCaseFile>> } | { items: number }> {
    try {
      if (f.kind === 'cases') return { result: await loadCaseFile(t.db, path, { bureauId: BUREAU, now }) };
      const r = await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, path);
      return { items: r.status === 'loaded' ? r.items : -1 };
    } catch (err) {
      return { refused: (err as Error).message };
    }
  }

  it.each(CORPUS.map((f) => [f.name, f.why, f] as const))('%s (%s)', async (name, _why, f) => {
    const path = join(dir, `${backend}-${name}`);
    await writeFile(path, f.build(ctx));
    const before = { files: await count('case_file'), versions: await count('list_version') };
    const got = await load(f, path);
    const want = f.expect;
    if ('refused' in want) {
      expect(got).toEqual({ refused: expect.stringMatching(want.refused) });
      expect({ files: await count('case_file'), versions: await count('list_version') }).toEqual(before);
      expect(existsSync(rejectsPathFor(path))).toBe(false);
    } else if ('items' in want) {
      expect(got).toEqual({ items: want.items });
    } else {
      expect(got).toMatchObject({ result: { status: 'loaded', rowsLoaded: want.loaded, rowsRejected: want.rejected } });
      if (!('result' in got) || got.result.status !== 'loaded') return;
      if (want.unreadable !== undefined) expect(got.result.rowsUnreadable).toBe(want.unreadable);
      const reasons = await t.db.session((s) =>
        s.query<{ reason: string }>('SELECT reason FROM case_reject WHERE file_id = $1', [
          got.result.status === 'loaded' ? got.result.fileId : -1,
        ]),
      );
      expect(reasons.length).toBeGreaterThanOrEqual(want.rejected);
      if (want.reason) expect(reasons.map((r) => r.reason)).toContainEqual(expect.stringMatching(want.reason));
      if (want.rejectsFile) expect(await readFile(rejectsPathFor(path), 'utf8')).toContain(want.rejectsFile);
    }
  });
});
