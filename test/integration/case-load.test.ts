import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCaseFile, CaseFileRefused } from '../../etl/load/case-load.ts';
import { loadListFile } from '../../etl/run-etl.ts';
import { CaseCsvHeaderError } from '../../etl/sources/case-csv-stream.ts';
import { BUNDLED_LIST, BUNDLED_CONFIG, profile } from '../helpers/bundled.ts';
import { syntheticCaseLines } from '../helpers/cases.ts';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.ts';

const BUREAU = profile().bureau_id;
const now = () => new Date('2026-06-01T00:00:00Z');
const HEADER =
  'case_id,bureau_id,item_code,sub_item_code,received_at,accepted_at,investigated_at,reviewed_at,decided_at,served_at,closed_at,outcome,fine_yuan,persons,synthetic';

let dir: string;
let synthetic: string[]; // data lines of 300 synthetic cases of 2025
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quanze-case-load-'));
  synthetic = await syntheticCaseLines(dir, { rows: 300, seed: 7, year: 2025 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A real-format (synthetic=false) copy of a synthetic line, with another case id. */
const real = (line: string, id: string) => line.replace(/^[^,]+/, id).replace(/,true$/, ',false');
/** A line with field `i` (CASE_COLUMNS order) set to `v`; synthetic lines have no quoted fields. */
const withField = (line: string, i: number, v: string) =>
  line
    .split(',')
    .map((f, k) => (k === i ? v : f))
    .join(',');
const write = async (name: string, lines: string[]) => {
  const p = join(dir, name);
  await writeFile(p, `${[HEADER, ...lines].join('\n')}\n`);
  return p;
};
const opts = { bureauId: BUREAU, now };

describe.each(BACKENDS)('case load on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
    await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, BUNDLED_LIST);
  });
  afterAll(() => t.drop());
  const count = async (sql: string, params: unknown[] = []) =>
    (await t.db.session((s) => s.query<{ n: number }>(sql, params)))[0]!.n;
  const cases = () => count('SELECT count(*)::int AS n FROM case_record');

  it('loads good rows, rejects bad ones with line, field and reason (table and file), marks synthetic', async () => {
    const lines = synthetic.slice(0, 100);
    lines.splice(10, 0, withField(real(synthetic[200]!, 'BAD-1'), 11, 'maybe')); // line 12
    lines.splice(
      20,
      0,
      withField(withField(real(synthetic[201]!, 'BAD-2'), 2, '11622301566438677P9999999999999'), 3, ''),
    ); // line 22
    lines.splice(30, 0, 'BAD-3,too,few,fields'); // line 32
    const p = await write(`${backend}-mixed.csv`, lines);
    const r = await loadCaseFile(t.db, p, opts);
    expect(r).toMatchObject({ status: 'loaded', rowsIn: 103, rowsLoaded: 100, rowsRejected: 3, synthetic: true });
    expect(await cases()).toBe(100);
    expect(await count('SELECT count(*)::int AS n FROM case_record WHERE synthetic')).toBe(100);
    const rejects = await t.db.session((s) =>
      s.query<{ line: number; field: string; reason: string }>(
        'SELECT line, field, reason FROM case_reject ORDER BY line',
      ),
    );
    expect(rejects.map((x) => [x.line, x.field])).toEqual([
      [12, 'outcome'],
      [22, 'item_code'],
      [32, 'row'],
    ]);
    expect(rejects[1]!.reason).toContain('not an item of the list');
    const file = await readFile(join(dir, `${backend}-mixed.rejects.csv`), 'utf8');
    expect(file.split('\n')[0]).toBe('line,field,value,reason');
    expect(file).toContain('12,outcome,maybe,"expected one of approved, denied');
    expect(file).toMatch(/^22,item_code,11622301566438677P9999999999999,not an item of the list$/m);
    const [f] = await t.db.session((s) =>
      s.query<{ synthetic: boolean; rows_in: number; rows_rejected: number }>(
        'SELECT synthetic, rows_in, rows_rejected FROM case_file',
      ),
    );
    expect(f).toEqual({ synthetic: true, rows_in: 103, rows_rejected: 3 });
  });

  it('re-running the same file is a no-op', async () => {
    const r = await loadCaseFile(t.db, join(dir, `${backend}-mixed.csv`), opts);
    expect(r.status).toBe('unchanged');
    expect(await cases()).toBe(100);
    expect(await count('SELECT count(*)::int AS n FROM case_file')).toBe(1);
  });

  it('repeated case ids: replaced across files, rejected inside one file; never duplicated', async () => {
    // Cases 51..150 of the synthetic set: 51..100 repeat ids already loaded; one id twice in the file.
    const lines = [...synthetic.slice(50, 150), synthetic[120]!];
    const r = await loadCaseFile(t.db, await write(`${backend}-overlap.csv`, lines), opts);
    expect(r).toMatchObject({ status: 'loaded', rowsIn: 101, rowsLoaded: 100, rowsRejected: 1, replaced: 50 });
    expect(await cases()).toBe(150);
    expect(
      await count(
        'SELECT count(*)::int AS n FROM (SELECT case_id FROM case_record GROUP BY case_id HAVING count(*) > 1) d',
      ),
    ).toBe(0);
    const [dup] = await t.db.session((s) =>
      s.query<{ line: number; reason: string }>('SELECT line, reason FROM case_reject WHERE file_id = $1', [r.fileId]),
    );
    expect(dup).toEqual({ line: 102, reason: 'repeats the case_id of line 72 of this file; the first row is kept' });
    expect(await count('SELECT count(*)::int AS n FROM case_record WHERE file_id = $1', [r.fileId])).toBe(100);
  });

  it('creates yearly partitions on demand', async () => {
    const parts = await t.db.session((s) =>
      s.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'case_record' ORDER BY 1`,
      ),
    );
    expect(parts.map((p) => p.name)).toContain('case_record_y2025');
    expect(await count('SELECT count(*)::int AS n FROM case_record_y2025')).toBe(await cases());
  });

  it('refuses a wrong header or a non-CSV file whole, naming the file', async () => {
    const bad = join(dir, `${backend}-header.csv`);
    await writeFile(bad, `${HEADER.replace('outcome', 'result')}\n${synthetic[0]}\n`);
    await expect(loadCaseFile(t.db, bad, opts)).rejects.toThrow(CaseCsvHeaderError);
    await expect(loadCaseFile(t.db, bad, opts)).rejects.toThrow(/header-?.*\.csv.*missing: outcome; unknown: "result"/);
    const xlsx = join(dir, `${backend}-book.csv`);
    await writeFile(xlsx, Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64)]));
    await expect(loadCaseFile(t.db, xlsx, opts)).rejects.toThrow(CaseFileRefused);
    await expect(loadCaseFile(t.db, xlsx, opts)).rejects.toThrow(`${backend}-book.csv: is not a CSV file`);
    expect(await cases()).toBe(150);
    expect(await count('SELECT count(*)::int AS n FROM case_file')).toBe(2);
  });

  it('refuses cases of a bureau without a list, and names a non-CSV file first; a good load follows at once', async () => {
    const other = { bureauId: 'no-such-bureau', now };
    const p = await write(`${backend}-other-bureau.csv`, synthetic.slice(0, 5));
    await expect(loadCaseFile(t.db, p, other)).rejects.toThrow(CaseFileRefused);
    await expect(loadCaseFile(t.db, p, other)).rejects.toThrow(
      `${backend}-other-bureau.csv: no list is loaded for bureau no-such-bureau`,
    );
    const xlsx = join(dir, `${backend}-other-book.csv`);
    await writeFile(xlsx, Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64)]));
    await expect(loadCaseFile(t.db, xlsx, other)).rejects.toThrow(`${backend}-other-book.csv: is not a CSV file`);
    expect(await cases()).toBe(150);
    // Nothing was left holding the load's lock or its transaction.
    expect(await loadCaseFile(t.db, join(dir, `${backend}-mixed.csv`), opts)).toMatchObject({ status: 'unchanged' });
  });

  it('a load that fails mid-way leaves the previous cases, files and rejects intact', async () => {
    const before = { cases: await cases(), rejects: await count('SELECT count(*)::int AS n FROM case_reject') };
    await t.db.session((s) =>
      s.script(`ALTER TABLE case_record ADD CONSTRAINT no_boom CHECK (case_id NOT LIKE 'BOOM%')`),
    );
    try {
      const p = await write(`${backend}-boom.csv`, [
        ...synthetic.slice(150, 250),
        real(synthetic[250]!, 'BOOM-1'),
        'X,bad',
      ]);
      await expect(loadCaseFile(t.db, p, opts)).rejects.toThrow(/no_boom/);
      expect(await cases()).toBe(before.cases);
      expect(await count('SELECT count(*)::int AS n FROM case_reject')).toBe(before.rejects);
      expect(await count('SELECT count(*)::int AS n FROM case_file')).toBe(2);
      expect(existsSync(join(dir, `${backend}-boom.rejects.csv`))).toBe(false);
      expect(existsSync(join(dir, `.${backend}-boom.rejects.csv.part`))).toBe(false);
    } finally {
      await t.db.session((s) => s.script('ALTER TABLE case_record DROP CONSTRAINT no_boom'));
    }
  });

  it('a row refused by the database while later batches are queued behind it fails the load whole; the next load is clean', async () => {
    const before = { cases: await cases(), files: await count('SELECT count(*)::int AS n FROM case_file') };
    // About 2,000 cases fill a 512 KB batch on PGlite: the refused row is in the third of six.
    const many = await syntheticCaseLines(dir, { rows: 12_000, seed: 11, year: 2024 });
    await t.db.session((s) =>
      s.script(`ALTER TABLE case_record ADD CONSTRAINT no_boom CHECK (case_id NOT LIKE 'BOOM%')`),
    );
    try {
      const lines = [...many.slice(0, 5_000), real(many[5_000]!, 'BOOM-2'), ...many.slice(5_001)];
      await expect(loadCaseFile(t.db, await write(`${backend}-boom-queued.csv`, lines), opts)).rejects.toThrow(
        /no_boom/,
      );
      expect(await cases()).toBe(before.cases);
      expect(await count(`SELECT count(*)::int AS n FROM case_record WHERE case_id LIKE 'SYN-2024-%'`)).toBe(0);
      expect(await count('SELECT count(*)::int AS n FROM case_file')).toBe(before.files);
    } finally {
      await t.db.session((s) => s.script('ALTER TABLE case_record DROP CONSTRAINT no_boom'));
    }
    const r = await loadCaseFile(t.db, await write(`${backend}-queued-clean.csv`, many.slice(0, 9_000)), opts);
    expect(r).toMatchObject({ status: 'loaded', rowsLoaded: 9_000, rowsRejected: 0 });
    expect(await count(`SELECT count(*)::int AS n FROM case_record WHERE case_id LIKE 'SYN-2024-%'`)).toBe(9_000);
    expect(await cases()).toBe(before.cases + 9_000);
  });

  it('replaces the same earlier cases whether it collected the new ids while reading or finds them in SQL past its cap', async () => {
    const ids = (prefix: string, from: number, n: number) =>
      synthetic.slice(0, n).map((l, i) => real(l, `${prefix}-${String(from + i).padStart(4, '0')}`));
    const before = await cases();
    // Two earlier exports with id ranges apart (R-0000..0099 and R-0300..0399), then two that
    // straddle them: 50 of each earlier export again, and 100 new ids between them.
    const e1 = await loadCaseFile(t.db, await write(`${backend}-r1.csv`, ids('R', 0, 100)), opts);
    const e2 = await loadCaseFile(t.db, await write(`${backend}-r2.csv`, ids('R', 300, 100)), opts);
    expect([e1, e2]).toMatchObject([{ replaced: 0 }, { replaced: 0 }]);
    const next = (name: string, maxReplacingIds?: number) =>
      loadCaseFile(t.db, join(dir, name), { ...opts, maxReplacingIds });
    await write(`${backend}-r3.csv`, [...ids('R', 50, 50), ...ids('R', 100, 100), ...ids('R', 300, 50)]);
    const inSql = await next(`${backend}-r3.csv`, 10);
    expect(inSql).toMatchObject({ status: 'loaded', rowsLoaded: 200, replaced: 100 });
    // The same ids again, now replacing r3's rows, collected while reading.
    await write(`${backend}-r4.csv`, [...ids('R', 60, 140), ...ids('R', 300, 60)]);
    const collected = await next(`${backend}-r4.csv`);
    expect(collected).toMatchObject({ status: 'loaded', rowsLoaded: 200, replaced: 200 });
    expect(await cases()).toBe(before + 300);
    const perFile = await t.db.session((s) =>
      s.query<{ file_id: number; n: number }>(
        `SELECT file_id, count(*)::int AS n FROM case_record WHERE case_id LIKE 'R-%' GROUP BY 1 ORDER BY 1`,
      ),
    );
    // r1 keeps 0000..0049 and r2 0360..0399; r3 keeps 0050..0059; r4 holds the rest.
    expect(perFile.map((r) => [r.file_id, r.n])).toEqual([
      [e1.fileId, 50],
      [e2.fileId, 40],
      [inSql.fileId, 10],
      [collected.fileId, 200],
    ]);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM (SELECT case_id FROM case_record GROUP BY case_id HAVING count(*) > 1) d`,
      ),
    ).toBe(0);
  });

  it('a repeat whose first row was rejected is no repeat: the first valid row is kept', async () => {
    const before = await cases();
    const [a, b, c] = [synthetic[260]!, synthetic[261]!, synthetic[262]!];
    // Line 2 has case id X but a bad outcome; line 3 is X again, valid; line 4 repeats line 3.
    const x = a.split(',')[0]!;
    const lines = [withField(a, 11, 'lost'), b.replace(/^[^,]+/, x), c.replace(/^[^,]+/, x)];
    const r = await loadCaseFile(t.db, await write(`${backend}-first-valid.csv`, lines), opts);
    expect(r).toMatchObject({ status: 'loaded', rowsIn: 3, rowsLoaded: 1, rowsRejected: 2 });
    expect(await cases()).toBe(before + 1);
    const rejects = await t.db.session((s) =>
      s.query<{ line: number; field: string; reason: string }>(
        'SELECT line, field, reason FROM case_reject WHERE file_id = $1 ORDER BY line',
        [r.fileId],
      ),
    );
    expect(rejects.map((x) => [x.line, x.field])).toEqual([
      [2, 'outcome'],
      [4, 'case_id'],
    ]);
    expect(rejects[1]!.reason).toBe('repeats the case_id of line 3 of this file; the first row is kept');
    const [kept] = await t.db.session((s) =>
      s.query<{ source_line: number }>('SELECT source_line FROM case_record WHERE case_id = $1', [x]),
    );
    expect(kept).toEqual({ source_line: 3 });
  });

  it('reads a CRLF export like an LF one, and the line reader like papaparse', async () => {
    const lines = [
      ...synthetic.slice(270, 280),
      withField(real(synthetic[280]!, 'BAD-CRLF'), 4, '2025-13-01T09:00:00+08:00'),
    ];
    const lf = await write(`${backend}-lf.csv`, lines);
    const crlf = join(dir, `${backend}-crlf.csv`);
    await writeFile(crlf, (await readFile(lf, 'utf8')).replaceAll('\n', '\r\n'));
    const rCrlf = await loadCaseFile(t.db, crlf, opts);
    expect(rCrlf).toMatchObject({ status: 'loaded', reader: 'papaparse', rowsIn: 11, rowsLoaded: 10, rowsRejected: 1 });
    const rParse = await loadCaseFile(t.db, lf, { ...opts, reader: 'lines' });
    expect(rParse).toMatchObject({
      status: 'loaded',
      reader: 'lines',
      rowsIn: 11,
      rowsLoaded: 10,
      rowsRejected: 1,
      replaced: 10,
    });
    const byFile = (fileId: number) =>
      t.db.session((s) =>
        s.query('SELECT line, field, value, reason FROM case_reject WHERE file_id = $1 ORDER BY line', [fileId]),
      );
    expect(await byFile(rParse.status === 'loaded' ? rParse.fileId : -1)).toEqual(
      await byFile(rCrlf.status === 'loaded' ? rCrlf.fileId : -1),
    );
    expect(
      await count(
        'SELECT count(*)::int AS n FROM (SELECT case_id FROM case_record GROUP BY case_id HAVING count(*) > 1) d',
      ),
    ).toBe(0);
  });

  if (backend === 'pg') {
    it('a killed database session mid-COPY leaves the previous cases intact', async () => {
      const before = await cases();
      const files = await count('SELECT count(*)::int AS n FROM case_file');
      const p = await write('pg-killed.csv', synthetic.slice(150, 300));
      const killer = new pg.Client({ connectionString: t.url! });
      await killer.connect();
      let killed = 0;
      const load = loadCaseFile(t.db, p, {
        ...opts,
        progressEvery: 20,
        // Progress is reported after rows were handed to the COPY; the kill waits (bounded) until
        // the server shows the COPY running, so the load cannot finish before the kill arrives.
        onProgress: async () => {
          if (killed > 0) return;
          for (let attempt = 0; attempt < 200 && killed === 0; attempt++) {
            const [r] = await killer
              .query<{ n: number }>(
                `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'COPY case_%' AND state = 'active'`,
              )
              .then((x) => x.rows);
            killed = r!.n;
            if (!killed) await new Promise((res) => setTimeout(res, 25));
          }
        },
      });
      await expect(load).rejects.toThrow();
      await killer.end();
      expect(killed).toBe(1);
      expect(await cases()).toBe(before);
      expect(await count('SELECT count(*)::int AS n FROM case_file')).toBe(files);
    });
  }
});
