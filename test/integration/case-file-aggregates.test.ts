import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../core/log.ts';
import { formatDay, parseIsoDate } from '../../etl/calendar/civil-date.ts';
import { refreshCaseAggregates } from '../../etl/load/case-aggregates.ts';
import { FileAggregates, readAggregateFacts } from '../../etl/load/case-file-aggregates.ts';
import { writeSyntheticCsv } from '../../etl/load/case-synthetic.ts';
import { validateCaseRow } from '../../etl/parse/case-csv.ts';
import { caseFileStep, refreshAggregatesStep } from '../../etl/load/case-steps.ts';
import { loadListFile } from '../../etl/run-etl.ts';
import type { StepReport } from '../../etl/step-report.ts';
import { BUNDLED_CONFIG, BUNDLED_LIST, BUREAU_FILE, profile } from '../helpers/bundled.ts';
import { loadReferenceData, summarySnapshot } from '../helpers/cases.ts';
import { BACKENDS, createTestDb, ROOT, type TestDb } from '../helpers/test-db.ts';

/**
 * The refresh after a load writes the file's own summary rows, counted in Node as its cases were
 * read (etl/load/case-file-aggregates.ts), when nothing else is left in its years: they must be
 * the rows SQL over the same cases writes, and the refresh must fall back to SQL whenever they
 * cannot stand for the years.
 */
const BUREAU = profile().bureau_id;
const NOW = new Date('2028-01-01T00:00:00Z');
const FROM_FILE = "from the file's own counts";

/** Column positions of the generator's lines (CASE_COLUMNS_WITH_EXTENSION). */
const COL = { id: 0, received: 4, accepted: 5, served: 9, closed: 10, fine: 12, synthetic: 14, extension: 15 } as const;

let dir: string;
let header: string;
const lines: Record<number, string[]> = {};

/**
 * A generated export made rougher than the generator makes it, so every rule is exercised: an
 * extension approved on a random day for a quarter of the cases (in time, too late, for limits
 * without one), fines scaled below and above their ranges, and some cases served (and closed) in 2027,
 * past the calendar's cover.
 */
function roughen(raw: string[], seed: number): string[] {
  let x = seed >>> 0;
  const rand = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
  return raw.map((line) => {
    const c = line.split(',');
    const start = parseIsoDate((c[COL.received] || c[COL.accepted])!.slice(0, 10))!;
    if (rand() < 0.25) c[COL.extension] = formatDay(start + Math.floor(rand() * 200));
    if (c[COL.fine] && rand() < 0.8)
      c[COL.fine] = (Math.round(Number(c[COL.fine]) * (5 + rand() * 3000)) / 100).toFixed(2);
    const later = (k: number) => Date.parse(c[k]!) + 700 * 86_400_000;
    if (c[COL.served] && rand() < 0.3 && later(COL.closed) < NOW.getTime())
      for (const k of [COL.served, COL.closed]) if (c[k]) c[k] = new Date(later(k)).toISOString();
    return c.join(',');
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quanze-file-aggregates-'));
  for (const [year, rows] of [
    [2024, 300],
    [2025, 3000],
  ] as const) {
    const out = join(dir, `generated-${year}.csv`);
    await writeSyntheticCsv({
      root: ROOT,
      listFile: BUNDLED_LIST,
      bureauFile: BUREAU_FILE,
      rows,
      seed: year,
      year,
      out,
    });
    const [head, ...data] = (await readFile(out, 'utf8')).trim().split('\n');
    header = head!;
    lines[year] = roughen(data, year);
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.each(BACKENDS)('file summary rows on %s', (backend) => {
  let t: TestDb;
  const deps = () => ({ db: t.db, log: silentLog, now: () => NOW, bureauId: BUREAU });
  const query = <R>(text: string, params: unknown[] = []) => t.db.session((s) => s.query<R>(text, params));
  const snapshot = (year?: number) => summarySnapshot(t.db, year);
  const load = async (name: string, rows: string[]) => {
    const p = join(dir, `${backend}-${name}`);
    await writeFile(p, `${[header, ...rows].join('\n')}\n`);
    const step = await caseFileStep(deps(), p);
    expect(step.status, step.detail).toBe('loaded');
    return step;
  };
  /**
   * The incremental refresh after `step`, then a full one from the cases: both must leave the same
   * tables (of `year` only, when the rest was judged on facts that have changed since).
   */
  const refreshMatchesFull = async (step: StepReport, year?: number) => {
    const refresh = (await refreshAggregatesStep({ db: t.db, log: silentLog }, [step])) as StepReport;
    expect(refresh.status, refresh.detail).toBe('loaded');
    const incremental = await snapshot(year);
    await refreshCaseAggregates(t.db);
    expect(await snapshot(year)).toEqual(incremental);
    return refresh.detail;
  };

  /** New case ids in 2025: cases of another file once loaded. */
  const more = () => lines[2025]!.slice(0, 40).map((l) => l.replace(/^[^,]+/, (id) => `MORE-${id}`));

  beforeAll(async () => {
    t = await createTestDb(backend);
    await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, BUNDLED_LIST);
    await loadReferenceData(t.db);
  });
  afterAll(() => t.drop());

  it('counts nothing before the aggregates were ever built', async () => {
    const first = await load('2024.csv', lines[2024]!);
    expect(first.cases?.aggregates).toBeNull();
    expect(await refreshMatchesFull(first)).not.toContain(FROM_FILE);
  });

  it('writes the counted rows of a file alone in its year, equal to SQL over its cases', async () => {
    const step = await load('2025.csv', lines[2025]!);
    expect(step.cases?.aggregates).not.toBeNull();
    const detail = await refreshMatchesFull(step);
    expect(detail).toContain(`years 2025 rebuilt ${FROM_FILE}`);
    // The file reached every rule: late and extended spans, unapplied extensions, uncovered
    // spans, fines outside their ranges, late examples.
    const [n] = await query<Record<string, number>>(
      `SELECT (SELECT sum(late)::int FROM case_timeliness_month WHERE month LIKE '2025%') AS late,
              (SELECT sum(on_time_extended)::int FROM case_timeliness_month WHERE month LIKE '2025%') AS extended,
              (SELECT sum(extension_unapplied)::int FROM case_timeliness_month WHERE month LIKE '2025%') AS unapplied,
              (SELECT sum(uncovered)::int FROM case_timeliness_month WHERE month LIKE '2025%') AS uncovered,
              (SELECT count(*)::int FROM fine_outside_case WHERE month LIKE '2025%') AS outside,
              (SELECT count(DISTINCT verdict)::int FROM fine_outside_case WHERE month LIKE '2025%') AS verdicts,
              (SELECT count(*)::int FROM case_late_example WHERE month LIKE '2025%' AND extension IS NOT NULL) AS late_extended`,
    );
    for (const [k, v] of Object.entries(n!)) expect(v, k).toBeGreaterThan(0);
  });

  it('holds to SQL around every boundary of the span and fine rules', async () => {
    // Dense cases of 2021–2023 (across the day limits of 行政处罚法 began to bind) for every item with a limit or a fine range: stage gaps of any length
    // from any weekday, extensions approved before and after deadlines, ends past the calendar,
    // fines at and around each range's bounds, with and without persons.
    const limited = (
      await query<{ code: string }>('SELECT DISTINCT item_code AS code FROM item_time_limit ORDER BY 1')
    ).map((r) => r.code);
    const ranges = await query<{ code: string; lo: number | null; hi: number | null }>(
      'SELECT item_code AS code, min_yuan AS lo, max_yuan AS hi FROM item_fine_range ORDER BY 1, clause_no',
    );
    const codes = [...new Set([...limited, ...ranges.map((r) => r.code)])];
    let x = 7;
    const rand = (n: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return Math.floor((x / 2 ** 32) * n);
    };
    const at = (day: number, minute: number) =>
      `${formatDay(day)}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00+08:00`;
    const rows: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const code = codes[i % codes.length]!;
      const days = [parseIsoDate('2021-01-01')! + rand(3 * 365)];
      for (const gap of [25, 40, 5, 70, 20, 3]) days.push(days[days.length - 1]! + rand(gap));
      if (rand(8) === 0) for (const k of [5, 6]) days[k]! += 1200;
      const stages = days.map((d, k) => (k === 2 && rand(3) === 0 ? '' : at(d, 480 + k)));
      const own = ranges.filter((r) => r.code === code);
      const r = own[rand(own.length + 1)];
      const bound = r ? [r.lo, r.hi][rand(2)] : null;
      const fine = bound === null || bound === undefined ? 100 + rand(100_000) : bound + [-0.01, 0, 0.01][rand(3)]!;
      const persons = rand(3) === 0 ? '' : String(1 + rand(4));
      const extension = rand(5) < 2 ? formatDay(days[0]! + rand(120)) : '';
      rows.push(
        [`EDGE-${i}`, BUREAU, code, '', ...stages, 'penalized', fine.toFixed(2), persons, 'false', extension].join(','),
      );
    }
    const step = await load('2021-2023-edges.csv', rows);
    expect(step.rows?.rejected, step.detail).toBe(0);
    expect(await refreshMatchesFull(step)).toContain(`years 2021, 2022, 2023 rebuilt ${FROM_FILE}`);
    const [n] = await query<Record<string, number>>(
      `SELECT (SELECT sum(extension_unapplied)::int FROM case_timeliness_month WHERE month < '2024') AS unapplied,
              (SELECT sum(on_time_extended)::int FROM case_timeliness_month WHERE month < '2024') AS extended,
              (SELECT sum(uncovered)::int FROM case_timeliness_month WHERE month < '2024') AS uncovered,
              (SELECT sum(below)::int FROM fine_compliance_month WHERE month < '2024') AS below,
              (SELECT sum(above)::int FROM fine_compliance_month WHERE month < '2024') AS above,
              (SELECT sum(not_checkable)::int FROM fine_compliance_month WHERE month < '2024') AS not_checkable,
              (SELECT count(*)::int FROM case_late_example WHERE month < '2024') AS late_examples`,
    );
    for (const [k, v] of Object.entries(n!)) expect(v, k).toBeGreaterThan(0);
  });

  it('writes them again for the next export of the same cases, which replaces every one', async () => {
    const again = lines[2025]!.map((l) => l.replace(/,true,([^,]*)$/, ',false,$1'));
    const step = await load('2025-again.csv', again);
    expect(step.detail).toContain('(3000 replaced earlier rows)');
    expect(await refreshMatchesFull(step)).toContain(FROM_FILE);
    const [meta] = await query<{ synthetic_cases: number }>(
      'SELECT synthetic_cases FROM case_aggregate_meta WHERE bureau_id = $1',
      [BUREAU],
    );
    expect(meta!.synthetic_cases).toBe(300);
  });

  it('reads the cases in SQL when another file keeps cases in the year', async () => {
    const step = await load('2025-more.csv', more());
    expect(step.cases?.aggregates).toBeNull();
    expect(await refreshMatchesFull(step)).not.toContain(FROM_FILE);
  });

  it('reads the cases in SQL when a case id repeats inside the file', async () => {
    // Every case of 2025 again, so only the repeat stands in the way.
    const again = lines[2025]!.map((l) => l.replace(/,true,([^,]*)$/, ',false,$1'));
    const step = await load('2025-repeats.csv', [...again, ...more(), again[5]!]);
    expect(step.rows?.rejected).toBe(1);
    expect(step.cases?.aggregates).toBeNull();
    expect(await refreshMatchesFull(step)).not.toContain(FROM_FILE);
  });

  it('reads the cases in SQL for a case started while China kept summer time (before 1992)', async () => {
    // 00:30 on 1990-08-01 in China (summer time, +09:00): in August by the database's zone
    // rules, on 31 July by a fixed +08:00.
    const old = lines[2025]![0]!
      .split(',')
      .map((v, i) =>
        i === COL.id ? 'OLD-1' : i >= COL.received && i <= COL.closed && v ? '1990-08-01T00:30:00+09:00' : v,
      );
    old[COL.extension] = '';
    const step = await load('1990.csv', [old.join(',')]);
    expect(step.rows?.rejected, step.detail).toBe(0);
    expect(step.cases?.aggregates).toBeNull();
    expect(await refreshMatchesFull(step)).not.toContain(FROM_FILE);
  });

  it('sets its counts aside rather than hold a row per case past its limit', async () => {
    await refreshCaseAggregates(t.db); // the fine ranges as a refresh writes them
    const [r] = await query<{ code: string; hi: number }>(
      `SELECT item_code AS code, max(max_yuan) AS hi FROM item_fine_range GROUP BY 1
        HAVING bool_and(max_yuan IS NOT NULL AND kind <> 'multiple' AND NOT per_person) ORDER BY 1 LIMIT 1`,
    );
    const facts = await t.db.session((s) => readAggregateFacts(s.query, BUREAU));
    const tally = new FileAggregates(BUREAU, 99, facts, { maxHeldRows: 3 });
    const ctx = { lookupItem: () => ({ power_type: null }) };
    // Fines ten times the highest cap of their item: each is a row of fine_outside_case.
    for (let i = 1; i <= 4; i++) {
      const at = `2025-03-0${i}T10:00:00+08:00`;
      const record = [
        `CAP-${i}`,
        BUREAU,
        r!.code,
        '',
        at,
        at,
        '',
        '',
        at,
        '',
        '',
        'penalized',
        String(r!.hi * 10),
        '',
        'false',
      ];
      const checked = validateCaseRow(record, i + 1, ctx);
      if (!('ok' in checked)) throw new Error(JSON.stringify(checked.errors));
      tally.add(checked.ok);
      expect(tally.unusable === null, `after ${i} fines`).toBe(i <= 3);
    }
    expect(tally.unusable).toContain('more than 3');
    expect(() => tally.rows()).toThrow(/more than 3/);
  });

  it('reads the cases in SQL when a limit changed between the load and the refresh', async () => {
    const step = await load('2025-last.csv', [...lines[2025]!, ...more()]);
    expect(step.cases?.aggregates).not.toBeNull();
    await query(`UPDATE time_limit SET days = days + 1 WHERE limit_id = (SELECT min(limit_id) FROM item_time_limit)`);
    // Only 2025 is rebuilt, on the new limit: the other years keep the old one until a full refresh.
    expect(await refreshMatchesFull(step, 2025)).not.toContain(FROM_FILE);
  });

  it('reads the cases in SQL when another process loaded and refreshed a later file meanwhile', async () => {
    const mine = lines[2025]!.map((l) => l.replace(/,true,([^,]*)$/, ',false,$1'));
    const step = await load('2025-mine.csv', [...mine, ...more()]);
    expect(step.cases?.aggregates).not.toBeNull();
    // Another process: its export of new cases of 2025, and its own (full) refresh.
    const theirs = await load(
      '2025-theirs.csv',
      lines[2025]!.slice(0, 25).map((l) => l.replace(/^[^,]+/, (id) => `THEIRS-${id}`)),
    );
    await refreshAggregatesStep({ db: t.db, log: silentLog }, [theirs]);
    expect(await refreshMatchesFull(step)).not.toContain(FROM_FILE);
    const [n] = await query<{ cases: number }>(
      `SELECT sum(cases)::int AS cases FROM case_volume_month WHERE bureau_id = $1 AND month LIKE '2025%'`,
      [BUREAU],
    );
    expect(n!.cases).toBe(3000 + 40 + 25);
  });
});
