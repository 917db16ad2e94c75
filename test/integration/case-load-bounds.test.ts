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
  await writeSyntheticCsv({
    root: ROOT,
    listFile: BUNDLED_LIST,
    bureauFile: BUREAU_FILE,
    rows: 200,
    seed: 11,
    year: 2025,
    out,
  });
  [header, ...good] = (await readFile(out, 'utf8')).trim().split('\n') as [string, ...string[]];
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `n` rows that are all rejected (an unknown outcome), each with its own case id. */
function allBad(n: number): string {
  const [, ...rest] = good[0]!.split(',');
  const tail = rest
    .join(',')
    .replace(/,(approved|denied|penalized|not_penalized|withdrawn|transferred|terminated|pending),/, ',maybe,');
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
  const count = async (sql: string, params: unknown[] = []) =>
    (await t.db.session((s) => s.query<{ n: number }>(sql, params)))[0]!.n;

  it('100,000 rows that are all rejected: every reject recorded, in the table and the file', async () => {
    const p = join(dir, `${backend}-all-bad.csv`);
    await writeFile(p, allBad(100_000));
    // A stall guard well inside the test timeout: a hang fails the test with the guard's message.
    const r = await loadCaseFile(t.db, p, { ...opts, stallMs: 20_000 });
    expect(r).toMatchObject({ status: 'loaded', rowsIn: 100_000, rowsLoaded: 0, rowsRejected: 100_000 });
    if (r.status !== 'loaded') return;
    expect(await count('SELECT count(*)::int AS n FROM case_reject WHERE file_id = $1', [r.fileId])).toBe(100_000);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM case_reject WHERE file_id = $1 AND field = 'outcome' AND value = 'maybe'`,
        [r.fileId],
      ),
    ).toBe(100_000);
    const file = await readFile(join(dir, `${backend}-all-bad.rejects.csv`), 'utf8');
    expect(file.trimEnd().split('\n')).toHaveLength(100_001);
    expect(await myTempFiles()).toEqual([]);
  });

  it.each(['auto', 'lines'] as const)(
    'an unterminated quote rejects its own line and the rest load (%s reader)',
    async (reader) => {
      // Case ids of their own per reader, so the second file is not the first one again.
      const lines = good
        .slice(0, 150)
        .map((l) => l.replace(/^[^,]+/, (id) => `${id}-${reader}`))
        .map((l, i) => (i === 4 ? `"${l}` : l));
      const p = join(dir, `${backend}-quote-${reader}.csv`);
      await writeFile(p, `${[header, ...lines].join('\n')}\n`);
      const r = await loadCaseFile(t.db, p, { ...opts, reader });
      expect(r).toMatchObject({
        status: 'loaded',
        // A clean file with quotes goes through the fast reader, which splits quoted lines as the line reader does.
        reader: reader === 'auto' ? 'papaparse' : 'lines',
        rowsIn: 150,
        rowsLoaded: 149,
        rowsRejected: 1,
        rowsUnreadable: 1,
      });
      if (r.status !== 'loaded') return;
      const rejects = await t.db.session((s) =>
        s.query<{ line: number; field: string; reason: string }>(
          'SELECT line, field, reason FROM case_reject WHERE file_id = $1',
          [r.fileId],
        ),
      );
      expect(rejects).toEqual([
        {
          line: 6,
          field: 'row',
          reason: expect.stringMatching(
            /^unreadable CSV record: field 1 opens a quote at column 1 that is not closed on this line/,
          ),
        },
      ]);
    },
  );

  it('bad bytes after the first MiB reject their row with line and field; a 20 MB case id is rejected with its length, stored cut', async () => {
    // ~1.3 MB of good rows first (the old check read only the first MiB), then a NUL, GB18030 bytes and a huge id.
    const many: string[] = [];
    for (let k = 0; many.length < 6000; k++)
      for (const l of good.slice(20, 200)) if (many.length < 6000) many.push(l.replace(/^[^,]+/, (id) => `${id}-${k}`));
    const tail = good[0]!.slice(good[0]!.indexOf(','));
    const body = Buffer.concat([
      Buffer.from(`${[header, ...many].join('\n')}\n`),
      Buffer.from(`NUL-\0-1${tail}\n`),
      Buffer.concat([Buffer.from('GB-'), Buffer.from([0xb9, 0xa4, 0xc9, 0xcb]), Buffer.from(`${tail}\n`)]),
      Buffer.from(`${'X'.repeat(20 * 1024 * 1024)}${tail}\n`),
    ]);
    expect(body.length).toBeGreaterThan(1 << 20);
    const p = join(dir, `${backend}-bytes.csv`);
    await writeFile(p, body);
    const r = await loadCaseFile(t.db, p, opts);
    expect(r).toMatchObject({
      status: 'loaded',
      reader: 'lines',
      rowsIn: 6003,
      rowsLoaded: 6000,
      rowsRejected: 3,
      rowsUnreadable: 3,
    });
    if (r.status !== 'loaded') return;
    const rejects = await t.db.session((s) =>
      s.query<{ line: number; field: string; value: string; reason: string }>(
        'SELECT line, field, value, reason FROM case_reject WHERE file_id = $1 ORDER BY line',
        [r.fileId],
      ),
    );
    expect(rejects.map((x) => [x.line, x.field])).toEqual([
      [6002, 'case_id'],
      [6003, 'case_id'],
      [6004, 'case_id'],
    ]);
    expect(rejects[0]!.reason).toContain('case_id holds a NUL byte (0x00) at byte 5 of the field');
    expect(rejects[0]!.value).toBe('NUL-\uFFFD-1');
    expect(rejects[1]!.reason).toContain('case_id is not UTF-8 text');
    expect(rejects[2]!.reason).toBe(
      `the line is ${20 * 1024 * 1024 + tail.length} bytes long, more than a case record can be (at most 16384 bytes); case_id is longer than its documented maximum (README, "Case CSV format")`,
    );
    expect(rejects[2]!.value).toBe(`${'X'.repeat(200)}… (cut; 16384 characters)`);
    expect(
      await count(`SELECT count(*)::int AS n FROM case_record WHERE file_id = $1 AND case_id LIKE 'GB-%'`, [r.fileId]),
    ).toBe(0);
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
