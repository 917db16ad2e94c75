import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate.ts';
import { readMigrations } from '../../db/migrations.ts';
import { loadCaseFile } from '../../etl/load/case-load.ts';
import { yearsToSearch } from '../../etl/load/case-repeats.ts';
import { CASE_COLUMNS, STAGES } from '../../etl/parse/case-csv.ts';
import { loadListFile } from '../../etl/run-etl.ts';
import { BUNDLED_CONFIG, BUNDLED_LIST, profile } from '../helpers/bundled.ts';
import { insertCases, syntheticCaseLines } from '../helpers/cases.ts';
import { BACKENDS, createTestDb, ROOT, type TestDb } from '../helpers/test-db.ts';

/**
 * The replacement of earlier cases reads only the years where an earlier file's case ids can meet
 * the new file's (case_id_range, sql/migrations/0015), and still finds every earlier row of an id
 * it loads again: in another year, and in files loaded before the ranges were recorded.
 */
const BUREAU = profile().bureau_id;
const HEADER = CASE_COLUMNS.join(',');
const now = () => new Date('2026-06-01T00:00:00Z');

let dir: string;
const lines: Record<number, string[]> = {};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quanze-id-range-'));
  for (const year of [2024, 2025]) lines[year] = await syntheticCaseLines(dir, { rows: 200, seed: year, year });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const idOf = (line: string) => line.split(',')[0]!;

describe.each(BACKENDS)('case id ranges on %s', (backend) => {
  let t: TestDb;
  const query = <R>(text: string, params: unknown[] = []) => t.db.session((s) => s.query<R>(text, params));
  const load = async (name: string, rows: string[]) => {
    const path = join(dir, `${backend}-${name}`);
    await writeFile(path, `${[HEADER, ...rows].join('\n')}\n`);
    const r = await loadCaseFile(t.db, path, { bureauId: BUREAU, now, rejectsPath: `${path}.rejects.csv` });
    if (r.status !== 'loaded') throw new Error(`${name} was not loaded`);
    return r;
  };
  const count = async () => (await query<{ n: number }>('SELECT count(*)::int AS n FROM case_record'))[0]!.n;

  beforeAll(async () => {
    t = await createTestDb(backend, { migrated: false });
    const migrations = await readMigrations(join(ROOT, 'sql/migrations'));
    // Up to the migration before the ranges, so the backfill of cases loaded before it is checked too.
    await migrate(
      t.db,
      migrations.filter((m) => m.name < '0015'),
    );
    await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, BUNDLED_LIST);
    // A file loaded before the ranges were recorded: its case_file row and its cases.
    await query(
      `INSERT INTO case_file (bureau_id, file_id, file_name, content_hash, synthetic, rows_in, rows_loaded, rows_rejected)
       VALUES ($1, 1, '2024-before.csv', 'before', true, 100, 100, 0)`,
      [BUREAU],
    );
    await insertCases(
      t.db,
      BUREAU,
      lines[2024]!.slice(0, 100).map((l) => {
        const f = l.split(',');
        const at = (c: string) => f[CASE_COLUMNS.indexOf(c as (typeof CASE_COLUMNS)[number])] || null;
        return {
          case_id: f[0]!,
          item_code: at('item_code')!,
          sub_item_code: at('sub_item_code'),
          ...Object.fromEntries(STAGES.map((stage) => [`${stage}_at`, at(`${stage}_at`)])),
          outcome: at('outcome')!,
          fine_yuan: at('fine_yuan') === null ? null : Number(at('fine_yuan')),
          persons: at('persons') === null ? null : Number(at('persons')),
          synthetic: true,
          file_id: 1,
        };
      }),
    );
    await migrate(t.db, migrations);
  }, 120_000);
  afterAll(() => t?.drop());

  it('records each file’s smallest and largest case id per year, backfilling files loaded before', async () => {
    await load('2025a.csv', lines[2025]!.slice(0, 100));
    const ranges = await query<{ file_id: number; year: number; min_case_id: string; max_case_id: string }>(
      'SELECT file_id, year, min_case_id, max_case_id FROM case_id_range WHERE bureau_id = $1 ORDER BY 1, 2',
      [BUREAU],
    );
    const actual = await query<{ file_id: number; year: number; min_case_id: string; max_case_id: string }>(
      `SELECT file_id, extract(year FROM started_at AT TIME ZONE 'Asia/Shanghai')::int AS year,
              min(case_id COLLATE "C") AS min_case_id, max(case_id COLLATE "C") AS max_case_id
         FROM case_record GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(ranges).toEqual(actual);
    expect(ranges.map((r) => [r.file_id, r.year])).toEqual([
      [1, 2024],
      [2, 2025],
    ]);
  });

  it('a file of one year’s ids searches that year only, and replaces what it loads again', async () => {
    const r = await load('2025b.csv', lines[2025]!.slice(50, 150));
    expect(r.replaced).toBe(50);
    expect(await t.db.session((s) => yearsToSearch(s, BUREAU, r.fileId))).toEqual([2025]);
    expect(await count()).toBe(100 + 150);
  });

  it('an id of an earlier year, moved to this one, is found in its year and replaced', async () => {
    const moved = lines[2025]![150]!.replace(/^[^,]+/, idOf(lines[2024]![0]!));
    const r = await load('2025c.csv', [moved]);
    expect(await t.db.session((s) => yearsToSearch(s, BUREAU, r.fileId))).toEqual([2024]);
    expect(r).toMatchObject({ replaced: 1, years: [2024, 2025] });
    const rows = await query<{ file_id: number }>('SELECT file_id FROM case_record WHERE case_id = $1', [
      idOf(lines[2024]![0]!),
    ]);
    expect(rows).toEqual([{ file_id: r.fileId }]);
  });

  it('an earlier file without recorded ranges makes the search take every year', async () => {
    await query('DELETE FROM case_id_range WHERE file_id = 1');
    const again = lines[2024]![1]!.replace(/,true$/, ',false');
    const r = await load('2024-again.csv', [again]);
    expect(await t.db.session((s) => yearsToSearch(s, BUREAU, r.fileId))).toBeNull();
    expect(r.replaced).toBe(1);
    const rows = await query<{ n: number }>('SELECT count(*)::int AS n FROM case_record WHERE case_id = $1', [
      idOf(again),
    ]);
    expect(rows).toEqual([{ n: 1 }]);
    expect(await count()).toBe(100 + 150);
  });
});

describe.each(BACKENDS)('case id range migration on a coordinator (%s)', (backend) => {
  let t: TestDb;
  afterAll(() => t?.drop());

  it('backfills nothing where cluster_shard names shards: the shards hold the cases and their ranges', async () => {
    t = await createTestDb(backend, { migrated: false });
    const migrations = await readMigrations(join(ROOT, 'sql/migrations'));
    await migrate(
      t.db,
      migrations.filter((m) => m.name < '0015'),
    );
    await t.db.session((s) =>
      s.script(`INSERT INTO cluster_shard VALUES ('shard1', 'postgres://127.0.0.1:5433/quanze');
        INSERT INTO case_record (bureau_id, case_id, item_code, started_at, outcome, synthetic, file_id)
        VALUES ('B1', 'C-1', 'I1', '2025-03-01T00:00:00+08:00', 'pending', false, 1);`),
    );
    await migrate(t.db, migrations);
    const [row] = await t.db.session((s) => s.query<{ n: number }>('SELECT count(*)::int AS n FROM case_id_range'));
    expect(row).toEqual({ n: 0 });
  }, 120_000);
});
