/**
 * Loads stay bounded: many rejects never hang the rejects writer, and a load that stops making
 * progress fails with a message, releases the case-load lock and leaves no temporary files.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCaseFile } from '../../etl/load/case-load.ts';
import { writeSyntheticCsv } from '../../etl/load/case-synthetic.ts';
import { LoadStalled } from '../../etl/load/stall-guard.ts';
import { loadListFile } from '../../etl/run-etl.ts';
import { BUNDLED_CONFIG, BUNDLED_LIST, BUREAU_FILE, profile } from '../helpers/bundled.ts';
import { BACKENDS, createTestDb, ROOT, type TestDb } from '../helpers/test-db.ts';

const BUREAU = profile().bureau_id;
const now = () => new Date('2026-06-01T00:00:00Z');
const opts = { bureauId: BUREAU, now };

let dir: string;
let header: string;
let good: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quanze-bounds-'));
  const out = join(dir, 'synthetic.csv');
  await writeSyntheticCsv({ root: ROOT, listFile: BUNDLED_LIST, bureauFile: BUREAU_FILE, rows: 200, seed: 11, year: 2025, out });
  [header, ...good] = (await readFile(out, 'utf8')).trim().split('\n') as [string, ...string[]];
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `n` rows that are all rejected (an unknown outcome), each with its own case id. */
function allBad(n: number): string {
  const [, ...rest] = good[0]!.split(',');
  const tail = rest.join(',').replace(/,(approved|denied|penalized|not_penalized|withdrawn|transferred|terminated|pending),/, ',maybe,');
  const lines = [header];
  for (let i = 0; i < n; i++) lines.push(`BAD-${i},${tail}`);
  return `${lines.join('\n')}\n`;
}

const myTempFiles = async () => (await readdir(tmpdir())).filter((f) => f.startsWith(`quanze-rejects-${process.pid}-`));

describe.each(BACKENDS)('bounded case loads on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
    await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, BUNDLED_LIST);
  });
  afterAll(() => t.drop());
  const count = async (sql: string, params: unknown[] = []) => (await t.db.session((s) => s.query<{ n: number }>(sql, params)))[0]!.n;

  it('100,000 rows that are all rejected: every reject recorded, in the table and the file', async () => {
    const p = join(dir, `${backend}-all-bad.csv`);
    await writeFile(p, allBad(100_000));
    // A stall guard well inside the test timeout: a hang fails the test with the guard's message.
    const r = await loadCaseFile(t.db, p, { ...opts, stallMs: 20_000 });
    expect(r).toMatchObject({ status: 'loaded', rowsIn: 100_000, rowsLoaded: 0, rowsRejected: 100_000 });
    if (r.status !== 'loaded') return;
    expect(await count('SELECT count(*)::int AS n FROM case_reject WHERE file_id = $1', [r.fileId])).toBe(100_000);
    expect(await count(`SELECT count(*)::int AS n FROM case_reject WHERE file_id = $1 AND field = 'outcome' AND value = 'maybe'`, [r.fileId])).toBe(100_000);
    const file = await readFile(join(dir, `${backend}-all-bad.rejects.csv`), 'utf8');
    expect(file.trimEnd().split('\n')).toHaveLength(100_001);
    expect(await myTempFiles()).toEqual([]);
  });

  it('a load that stops making progress fails with a message, rolls back, releases its lock and removes its temp files', async () => {
    const before = await count('SELECT count(*)::int AS n FROM case_file');
    const p = join(dir, `${backend}-stall.csv`);
    await writeFile(p, allBad(50));
    const hang = new Promise<void>(() => undefined);
    const load = loadCaseFile(t.db, p, { ...opts, stallMs: 500, progressEvery: 10, onProgress: () => hang });
    await expect(load).rejects.toThrow(LoadStalled);
    await expect(load).rejects.toThrow(`${backend}-stall.csv: the load made no progress for 1 s (reading rows)`);
    expect(existsSync(join(dir, `.${backend}-stall.rejects.csv.part`))).toBe(false);
    expect(existsSync(join(dir, `${backend}-stall.rejects.csv`))).toBe(false);
    expect(await myTempFiles()).toEqual([]);
    expect(await count('SELECT count(*)::int AS n FROM case_file')).toBe(before);
    // The case-load lock is free again: the next load takes it (it would wait forever otherwise).
    const next = join(dir, `${backend}-after-stall.csv`);
    await writeFile(next, `${[header, ...good.slice(0, 20)].join('\n')}\n`);
    expect(await loadCaseFile(t.db, next, opts)).toMatchObject({ status: 'loaded', rowsLoaded: 20 });
  });
});
