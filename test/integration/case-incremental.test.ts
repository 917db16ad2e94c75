import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../core/log.ts';
import { refreshCaseAggregates } from '../../etl/load/case-aggregates.ts';
import { caseFileStep, refreshAggregatesStep } from '../../etl/load/case-steps.ts';
import { CASE_COLUMNS } from '../../etl/parse/case-csv.ts';
import { loadListFile } from '../../etl/run-etl.ts';
import type { StepReport } from '../../etl/step-report.ts';
import { BUNDLED_CONFIG, BUNDLED_LIST, profile } from '../helpers/bundled.ts';
import { loadReferenceData, summarySnapshot, syntheticCaseLines } from '../helpers/cases.ts';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.ts';

/**
 * A second load onto existing cases: statistics before the set-based steps, and an aggregate
 * refresh that rebuilds only the bureau/years the load changed yet ends where a full one does.
 */
const BUREAU = profile().bureau_id;
const HEADER = CASE_COLUMNS.join(',');

let dir: string;
const lines: Record<number, string[]> = {};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quanze-incremental-'));
  for (const year of [2024, 2025]) lines[year] = await syntheticCaseLines(dir, { rows: 300, seed: year, year });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const write = async (name: string, rows: string[]) => {
  const p = join(dir, name);
  await writeFile(p, `${[HEADER, ...rows].join('\n')}\n`);
  return p;
};

describe.each(BACKENDS)('second load and incremental refresh on %s', (backend) => {
  let t: TestDb;
  const deps = () => ({ db: t.db, log: silentLog, now: () => new Date('2026-06-01T00:00:00Z'), bureauId: BUREAU });
  const query = <R>(text: string, params: unknown[] = []) => t.db.session((s) => s.query<R>(text, params));
  const snapshot = (year?: number) => summarySnapshot(t.db, year);
  const load = async (name: string, rows: string[]) => {
    const step = await caseFileStep(deps(), await write(`${backend}-${name}`, rows));
    expect(step.status).toBe('loaded');
    return step;
  };

  beforeAll(async () => {
    t = await createTestDb(backend);
    await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, BUNDLED_LIST);
    await loadReferenceData(t.db);
  });
  afterAll(() => t.drop());

  it('analyses the partitions a load wrote, so the steps after it plan on real row counts', async () => {
    await load('2024.csv', lines[2024]!);
    await load('2025a.csv', lines[2025]!.slice(0, 200));
    const [stats] = await query<{ reltuples: number }>(
      `SELECT reltuples::int AS reltuples FROM pg_class WHERE relname = 'case_record_y2025'`,
    );
    expect(stats!.reltuples).toBe(200);
    await refreshCaseAggregates(t.db);
  });

  it('rebuilds only the bureau/years a load changed, and ends where a full refresh does', async () => {
    // Rows the refresh must not touch: a year the load does not change, and another bureau.
    await query(
      `INSERT INTO case_volume_month VALUES ($1, '2023-01', 'X', 'x', 's', 'p', 7, 0), ('OTHER', '2025-01', 'X', 'x', 's', 'p', 7, 0)`,
      [BUREAU],
    );
    // The next export: rows 100–199 again (now not synthetic: they replace the earlier rows), 200–299
    // new, and one of them carries the id of a 2024 case, which it replaces from another year.
    const again = lines[2025]!.slice(100, 200).map((l) => l.replace(/,true$/, ',false'));
    const fresh = lines[2025]!.slice(200);
    const moved = fresh[0]!.replace(/^[^,]+/, lines[2024]![0]!.split(',')[0]!);
    const step = await load('2025b.csv', [...again, moved, ...fresh.slice(1)]);
    // It replaced a case of 2024, a year it did not write: the refresh reads the cases in SQL.
    expect(step.cases).toEqual({ bureauId: BUREAU, fileId: 3, years: [2024, 2025], aggregates: null });
    expect(step.detail).toContain('(101 replaced earlier rows)');

    const refresh = await refreshAggregatesStep({ db: t.db, log: silentLog }, [step]);
    expect(refresh).toMatchObject({ status: 'loaded', detail: expect.stringContaining('(years 2024, 2025 rebuilt)') });
    const sentinels = await query<{ bureau_id: string; month: string }>(
      `SELECT bureau_id, month FROM case_volume_month WHERE item_code = 'X' ORDER BY 1`,
    );
    expect(sentinels).toEqual([
      { bureau_id: BUREAU, month: '2023-01' },
      { bureau_id: 'OTHER', month: '2025-01' },
    ]);
    const [meta] = await query<{ cases: number; synthetic_cases: number }>(
      'SELECT cases, synthetic_cases FROM case_aggregate_meta WHERE bureau_id = $1',
      [BUREAU],
    );
    // 299 of 2024 + 300 of 2025, and the sentinel's 7; 100 replaced rows are no longer synthetic.
    expect(meta).toEqual({ cases: 299 + 300 + 7, synthetic_cases: 299 + 300 - 100 });

    await query(`DELETE FROM case_volume_month WHERE item_code = 'X'`);
    await refreshCaseAggregates(t.db, { bureauId: BUREAU, years: [2024, 2025] });
    const incremental = await snapshot();
    await refreshCaseAggregates(t.db);
    expect(await snapshot()).toEqual(incremental);
    const [{ n }] = (await query<{ n: number }>('SELECT count(*)::int AS n FROM case_record')) as [{ n: number }];
    expect(n).toBe(299 + 300);
  });

  it('rebuilds everything when the aggregates were not up to date before the load', async () => {
    const missed = await load('2024-late.csv', [lines[2024]![1]!.replace(/^[^,]+/, 'LATE-1')]);
    expect(missed.cases?.years).toEqual([2024]);
    // No refresh after that load: the next one cannot build on the aggregates.
    const next = await load('2025c.csv', [lines[2025]![0]!.replace(/^[^,]+/, 'LATE-2')]);
    const refresh = (await refreshAggregatesStep({ db: t.db, log: silentLog }, [next])) as StepReport;
    expect(refresh.detail).toContain('(all rebuilt)');
    const [meta] = await query<{ cases: number }>('SELECT cases FROM case_aggregate_meta WHERE bureau_id = $1', [
      BUREAU,
    ]);
    expect(meta!.cases).toBe(299 + 300 + 2);
  });
});
