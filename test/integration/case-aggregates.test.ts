import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { calendarOrThrow, parseHolidayCalendar } from '../../etl/calendar/holiday-calendar.ts';
import { parseIsoDate } from '../../etl/calendar/civil-date.ts';
import { refreshCaseAggregates } from '../../etl/load/case-aggregates.ts';
import { runEtl } from '../../etl/run-etl.ts';
import { timelinessReferenceStep } from '../../etl/load/timeliness-reference.ts';
import { judgeSpan } from '../../etl/timeliness/judge-span.ts';
import { silentLog } from '../../core/log.ts';
import { getArrow } from '../helpers/app.ts';
import { BUNDLED_CONFIG, BUNDLED_FILES, profile } from '../helpers/bundled.ts';
import { HOLIDAYS_FILE, insertCases, loadReferenceData, type CaseInput } from '../helpers/cases.ts';
import { BACKENDS, type TestDb } from '../helpers/test-db.ts';
import { suiteApp } from '../helpers/test-app.ts';

const P = '11622301566438677P';
const I15 = `${P}4620214012000`; // 行政处罚, 劳动监察大队: 2000元以上2万元以下
const I13 = `${P}4620214010000`; // 行政处罚, 劳动监察大队: 每人100元以上500元以下
const I34 = `${P}4620214031000`; // 行政处罚, 劳动监察大队: 骗取金额二倍以上五倍以下
const I14 = `${P}4620214011000`; // 行政处罚, 劳动监察大队: 1万元以上5万元以下
const I65 = `${P}4621014026000`; // 劳动人事争议仲裁, 劳动权益保障股
const T = (d: string, hm = '10:00') => `${d}T${hm}:00+08:00`;

/**
 * Hand-made cases with known answers. 2023's 中秋/国庆 break ran 09-29..10-06 with Saturday
 * 10-07 and Sunday 10-08 worked (国办发明电〔2022〕16号); 2024's 国庆 ran 10-01..10-07 with
 * Sunday 09-29 worked (国办发明电〔2023〕7号).
 */
const CASES: CaseInput[] = [
  // received Thu 09-28, accepted Mon 10-09: 10-07, 10-08 (调休) and 10-09 = 3 working days ≤ 5.
  // 立案 10-09 + 90 calendar days = Sunday 2024-01-07, so the period runs to Monday 01-08.
  {
    case_id: 'A',
    item_code: I15,
    received_at: T('2023-09-28'),
    accepted_at: T('2023-10-09'),
    decided_at: T('2024-01-08'),
    served_at: T('2024-01-10'),
    closed_at: T('2024-01-12'),
    outcome: 'penalized',
    fine_yuan: 5000,
  },
  // accepted 10-16: 8 working days > 5; 10-16 + 90 days = Sunday 01-14, so decided Tue 01-16 is
  // late; served 8 working days after the decision > 7.
  {
    case_id: 'B',
    item_code: I15,
    received_at: T('2023-09-28', '11:00'),
    accepted_at: T('2023-10-16'),
    decided_at: T('2024-01-16'),
    served_at: T('2024-01-26'),
    closed_at: T('2024-01-29'),
    outcome: 'penalized',
    fine_yuan: 30000,
  },
  // 2030 is not in the calendar: reported, not judged.
  {
    case_id: 'C',
    item_code: I15,
    received_at: T('2030-03-04'),
    accepted_at: T('2030-03-06'),
    outcome: 'pending',
    synthetic: true,
  },
  {
    case_id: 'D',
    item_code: I13,
    accepted_at: T('2024-03-01'),
    investigated_at: T('2024-03-20'),
    decided_at: T('2024-03-25'),
    served_at: T('2024-03-26'),
    closed_at: T('2024-03-28'),
    outcome: 'penalized',
    fine_yuan: 1200,
    persons: 3,
  },
  {
    case_id: 'E',
    item_code: I13,
    accepted_at: T('2024-03-04'),
    decided_at: T('2024-03-29'),
    served_at: T('2024-04-01'),
    closed_at: T('2024-04-02'),
    outcome: 'penalized',
    fine_yuan: 2000,
    persons: 3,
  },
  {
    case_id: 'F',
    item_code: I13,
    accepted_at: T('2024-03-05'),
    decided_at: T('2024-03-29'),
    closed_at: T('2024-04-02'),
    outcome: 'penalized',
    fine_yuan: 1200,
  },
  {
    case_id: 'G',
    item_code: I34,
    accepted_at: T('2024-03-06'),
    decided_at: T('2024-04-10'),
    closed_at: T('2024-04-12'),
    outcome: 'penalized',
    fine_yuan: 8000,
  },
  {
    case_id: 'H',
    item_code: I14,
    accepted_at: T('2024-03-07'),
    decided_at: T('2024-04-10'),
    closed_at: T('2024-04-12'),
    outcome: 'penalized',
    fine_yuan: 5000,
  },
  // Received Fri 09-27; 5 calendar days end on 10-02, inside the break, so the period runs to Tue 10-08
  // (working days used: Sunday 09-29 调休, Monday 09-30, 10-08 = 3).
  {
    case_id: 'I',
    item_code: I65,
    received_at: T('2024-09-27'),
    accepted_at: T('2024-10-08'),
    closed_at: T('2024-11-20'),
    outcome: 'approved',
    decided_at: T('2024-11-20'),
  },
];

const cal = calendarOrThrow(parseHolidayCalendar(readFileSync(HOLIDAYS_FILE, 'utf8'), 'cn.yaml'));
const wd = (from: string, to: string, days: number, unit: 'working' | 'calendar') => {
  const v = judgeSpan(cal, parseIsoDate(from)!, parseIsoDate(to)!, { days, unit });
  if (v.kind === 'uncovered') throw new Error('uncovered');
  return v.workingDays;
};

describe.each(BACKENDS)('case aggregates on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  const bureauId = profile().bureau_id;

  const prepare = async (testDb: TestDb) => {
    await runEtl({ db: testDb.db, config: BUNDLED_CONFIG, log: silentLog, now: () => new Date(0) });
    await loadReferenceData(testDb.db);
    await insertCases(testDb.db, bureauId, CASES);
  };
  suiteApp(backend, { deps: { bureauId }, before: prepare }, (testDb, built) => {
    t = testDb;
    app = built;
  });

  it('refreshes and reports what it judged', async () => {
    const report = await refreshCaseAggregates(t.db);
    expect(report).toMatchObject({ bureaus: [bureauId], cases: 9, uncoveredSpans: 1, finedCases: 7 });
    // A, B: 3 spans each (no investigation); C: 1; D: 3 (立案 without receipt); E: 2; F, G, H: 1; I: 2.
    expect(report.spans).toBe(3 + 3 + 1 + 3 + 2 + 1 + 1 + 1 + 2);
  });

  it('counts working days across 调休 weekends and National Day, and judges calendar-day limits with the rest-day rule', async () => {
    expect(wd('2023-09-28', '2023-10-09', 5, 'working')).toBe(3);
    expect(wd('2023-09-28', '2023-10-16', 5, 'working')).toBe(8);
    const rows = await t.db.kysely
      .selectFrom('case_timeliness_month')
      .select([
        'month',
        'section',
        'span_from',
        'span_to',
        'cases',
        'on_time',
        'late',
        'uncovered',
        'median_wd',
        'p90_wd',
      ])
      .where('bureau_id', '=', bureauId)
      .orderBy('month')
      .orderBy('section')
      .orderBy('span_from')
      .orderBy('span_to')
      .execute();
    const s = '劳动监察大队';
    const dec = [wd('2023-10-09', '2024-01-08', 90, 'calendar'), wd('2023-10-16', '2024-01-16', 90, 'calendar')];
    const d24 = [
      wd('2024-03-01', '2024-03-25', 90, 'calendar'),
      wd('2024-03-04', '2024-03-29', 90, 'calendar'),
      wd('2024-03-05', '2024-03-29', 90, 'calendar'),
      wd('2024-03-06', '2024-04-10', 90, 'calendar'),
      wd('2024-03-07', '2024-04-10', 90, 'calendar'),
    ].sort((a, b) => a - b);
    expect(rows).toEqual([
      {
        month: '2023-09',
        section: s,
        span_from: 'accepted',
        span_to: 'decided',
        cases: 2,
        on_time: 1,
        late: 1,
        uncovered: 0,
        median_wd: (dec[0]! + dec[1]!) / 2,
        p90_wd: dec[0]! + 0.9 * (dec[1]! - dec[0]!),
      },
      {
        month: '2023-09',
        section: s,
        span_from: 'decided',
        span_to: 'served',
        cases: 2,
        on_time: 1,
        late: 1,
        uncovered: 0,
        median_wd: 5,
        p90_wd: 2 + 0.9 * 6,
      },
      {
        month: '2023-09',
        section: s,
        span_from: 'received',
        span_to: 'accepted',
        cases: 2,
        on_time: 1,
        late: 1,
        uncovered: 0,
        median_wd: 5.5,
        p90_wd: 3 + 0.9 * 5,
      },
      {
        month: '2024-03',
        section: s,
        span_from: 'accepted',
        span_to: 'decided',
        cases: 5,
        on_time: 5,
        late: 0,
        uncovered: 0,
        median_wd: d24[2],
        p90_wd: d24[3]! + 0.6 * (d24[4]! - d24[3]!),
      },
      {
        month: '2024-03',
        section: s,
        span_from: 'accepted',
        span_to: 'investigated',
        cases: 1,
        on_time: 1,
        late: 0,
        uncovered: 0,
        median_wd: 13,
        p90_wd: 13,
      },
      {
        month: '2024-03',
        section: s,
        span_from: 'decided',
        span_to: 'served',
        cases: 2,
        on_time: 2,
        late: 0,
        uncovered: 0,
        median_wd: 1,
        p90_wd: 1,
      },
      {
        month: '2024-09',
        section: '劳动权益保障股',
        span_from: 'accepted',
        span_to: 'closed',
        cases: 1,
        on_time: 1,
        late: 0,
        uncovered: 0,
        median_wd: expect.any(Number),
        p90_wd: expect.any(Number),
      },
      {
        month: '2024-09',
        section: '劳动权益保障股',
        span_from: 'received',
        span_to: 'accepted',
        cases: 1,
        on_time: 1,
        late: 0,
        uncovered: 0,
        median_wd: 3,
        p90_wd: 3,
      },
      {
        month: '2030-03',
        section: s,
        span_from: 'received',
        span_to: 'accepted',
        cases: 1,
        on_time: 0,
        late: 0,
        uncovered: 1,
        median_wd: null,
        p90_wd: null,
      },
    ]);
  });

  it('judges fines kind-aware: fixed and per-person ranges checked, multiples not checkable', async () => {
    const rows = await t.db.kysely
      .selectFrom('fine_compliance_month')
      .select([
        'item_code',
        'month',
        'fined_cases',
        'inside',
        'below',
        'above',
        'outside_other',
        'not_checkable',
        'no_range',
      ])
      .where('bureau_id', '=', bureauId)
      .orderBy('item_code')
      .orderBy('month')
      .execute();
    const z = { outside_other: 0, no_range: 0 };
    expect(rows).toEqual([
      { item_code: I13, month: '2024-03', fined_cases: 3, inside: 1, below: 0, above: 1, not_checkable: 1, ...z },
      { item_code: I14, month: '2024-03', fined_cases: 1, inside: 0, below: 1, above: 0, not_checkable: 0, ...z },
      { item_code: I15, month: '2023-09', fined_cases: 2, inside: 1, below: 0, above: 1, not_checkable: 0, ...z },
      { item_code: I34, month: '2024-03', fined_cases: 1, inside: 0, below: 0, above: 0, not_checkable: 1, ...z },
    ]);
    const outside = await t.db.kysely
      .selectFrom('fine_outside_case')
      .select(['case_id', 'verdict'])
      .orderBy('case_id')
      .execute();
    expect(outside).toEqual([
      { case_id: 'B', verdict: 'above' },
      { case_id: 'E', verdict: 'above' },
      { case_id: 'H', verdict: 'below' },
    ]);
  });

  it('serves timeliness, the late drill-down, volumes, fines and meta from the aggregates', async () => {
    const tl = (
      await app.inject('/api/timeliness?format=json&from=2023-09&to=2023-09&section=劳动监察大队')
    ).json() as Record<string, unknown>[];
    expect(tl.map((r) => [r.span, r.span_label, r.on_time, r.late, r.on_time_rate])).toEqual([
      ['accepted-decided', '受理→决定', 1, 1, 0.5],
      ['decided-served', '决定→送达', 1, 1, 0.5],
      ['received-accepted', '收件→受理', 1, 1, 0.5],
    ]);
    // Whole window through the histogram: same percentiles as percentile_cont where one month holds all.
    const win = await getArrow(app, `/api/timeliness?per=window&item=${I15}`);
    const ra = win
      .toArray()
      .map((r) => r.toJSON())
      .find((r) => r.span === 'received-accepted')!;
    expect(ra).toMatchObject({
      month: null,
      cases: 3,
      on_time: 1,
      late: 1,
      uncovered: 1,
      on_time_rate: 0.5,
      median_wd: 5.5,
      p90_wd: 7.5,
    });

    const late = (
      await app.inject(
        `/api/timeliness/late?format=json&section=${encodeURIComponent('劳动监察大队')}&span=received-accepted&month=2023-09`,
      )
    ).json();
    expect(late).toEqual([
      expect.objectContaining({
        item_code: I15,
        late: 1,
        on_time: 1,
        cases: 2,
        limit: '5个工作日',
        limit_id: 'labour-inspection-accept',
        late_rate: 0.5,
      }),
    ]);
    expect(late[0].examples).toBe('B（2023-09-28→2023-10-16，8个工作日）');

    const vol = (await app.inject('/api/volumes?by=section&format=json')).json();
    expect(vol).toEqual([
      { month: '2023-09', section: '劳动监察大队', cases: 2 },
      { month: '2024-03', section: '劳动监察大队', cases: 5 },
      { month: '2024-09', section: '劳动权益保障股', cases: 1 },
      { month: '2030-03', section: '劳动监察大队', cases: 1 },
    ]);
    const top = (await app.inject('/api/volumes?per=window&format=json')).json();
    expect(top[0]).toMatchObject({ month: null, item_code: I13, cases: 3, power_type: '行政处罚' });

    const fines = (await app.inject('/api/fines/compliance?format=json')).json() as Record<string, unknown>[];
    const i15 = fines.find((f) => f.item_code === I15)!;
    expect(i15).toMatchObject({
      fined_cases: 2,
      inside: 1,
      outside: 1,
      above: 1,
      kinds: 'fixed_range',
      ranges: '2000–2万 元',
      examples: 'B：30000元，高于上限',
    });
    expect(fines.find((f) => f.item_code === I13)).toMatchObject({
      outside: 1,
      not_checkable: 1,
      ranges: '每人 100–500 元',
      examples: 'E：2000元/3人，高于上限',
    });
    expect(fines.find((f) => f.item_code === I34)).toMatchObject({ outside: 0, not_checkable: 1, kinds: 'multiple' });

    const meta = (await app.inject('/api/cases/meta?format=json')).json();
    expect(meta).toEqual([
      expect.objectContaining({
        min_month: '2023-09',
        max_month: '2030-03',
        cases: 9,
        synthetic_cases: 1,
        any_synthetic: true,
        all_synthetic: false,
        calendar_years: '2018–2026',
      }),
    ]);
  });

  it('reloads the calendar and the time limits in a run only when their files changed', async () => {
    // The helper loaded them without content tags, so the step sees them as changed once.
    expect(await timelinessReferenceStep({ db: t.db, log: silentLog }, BUNDLED_FILES)).toMatchObject({
      status: 'loaded',
      detail: 'loaded calendar 2018–2026 (3277 days), 13 time limits',
    });
    expect(await timelinessReferenceStep({ db: t.db, log: silentLog }, BUNDLED_FILES)).toMatchObject({
      status: 'unchanged',
    });
    const years = await t.db.kysely
      .selectFrom('calendar_year')
      .select(['year', 'source_file'])
      .orderBy('year')
      .execute();
    expect(years.map((y) => y.year)).toEqual([2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    expect(years[0]!.source_file).toMatch(/^cn\.yaml@[0-9a-f]{16}$/);
  });

  it('refreshes one bureau without touching another, and a second refresh gives the same aggregates', async () => {
    await insertCases(t.db, 'OTHER', [{ case_id: 'X', item_code: I15, received_at: T('2024-05-06') }]);
    await refreshCaseAggregates(t.db, { bureauId: 'OTHER' });
    const mine = await t.db.kysely
      .selectFrom('case_volume_month')
      .select((e) => e.fn.sum<number>('cases').as('n'))
      .where('bureau_id', '=', bureauId)
      .executeTakeFirst();
    expect(Number(mine!.n)).toBe(9);
    const other = await t.db.kysely
      .selectFrom('case_volume_month')
      .selectAll()
      .where('bureau_id', '=', 'OTHER')
      .execute();
    expect(other).toEqual([
      expect.objectContaining({ month: '2024-05', item_code: I15, item_name: '(清单中无此编码)', cases: 1 }),
    ]);
    const before = await t.db.kysely
      .selectFrom('case_timeliness_month')
      .selectAll()
      .orderBy('month')
      .orderBy('section')
      .orderBy('span_from')
      .execute();
    await refreshCaseAggregates(t.db);
    const after = await t.db.kysely
      .selectFrom('case_timeliness_month')
      .selectAll()
      .orderBy('month')
      .orderBy('section')
      .orderBy('span_from')
      .execute();
    expect(after).toEqual(before);
  });

  it("prints each late example in its limit's own unit: calendar days as 日, working days as 个工作日", async () => {
    const q = (span: string) =>
      `/api/timeliness/late?format=json&section=${encodeURIComponent('劳动监察大队')}&span=${span}&month=2023-09`;
    const decided = (await app.inject(q('accepted-decided'))).json();
    expect(decided).toEqual([expect.objectContaining({ item_code: I15, limit: '90日', limit_id: 'penalty-decide' })]);
    // 2023-10-16 → 2024-01-16 is 92 calendar days.
    expect(decided[0].examples).toBe('B（2023-10-16→2024-01-16，92日）');
    expect((await app.inject(q('received-accepted'))).json()[0].examples).toBe('B（2023-09-28→2023-10-16，8个工作日）');
  });

  it('judges 行政处罚法 art. 60 (90 days) only for cases filed from 2021-07-15, when the 2021 text took effect', async () => {
    // 立案 2021-07-01, decided 153 days later: late if the limit applied, but it did not yet.
    // Its 受理 span (劳动保障监察, 5 working days, no start date) is still judged.
    const J: CaseInput = {
      case_id: 'J',
      item_code: I15,
      received_at: T('2021-06-28'),
      accepted_at: T('2021-07-01'),
      decided_at: T('2021-12-01'),
      closed_at: T('2021-12-03'),
      outcome: 'not_penalized',
    };
    const K: CaseInput = { ...J, case_id: 'K', received_at: T('2021-07-14'), accepted_at: T('2021-07-15') };
    await insertCases(t.db, bureauId, [J, K]);
    try {
      await refreshCaseAggregates(t.db);
      const rows = await t.db.kysely
        .selectFrom('case_timeliness_month')
        .select(['month', 'span_from', 'span_to', 'cases', 'late'])
        .where('bureau_id', '=', bureauId)
        .where('month', 'in', ['2021-06', '2021-07'])
        .orderBy('month')
        .orderBy('span_from')
        .orderBy('span_to')
        .execute();
      expect(rows).toEqual([
        { month: '2021-06', span_from: 'received', span_to: 'accepted', cases: 1, late: 0 },
        { month: '2021-07', span_from: 'accepted', span_to: 'decided', cases: 1, late: 1 },
        { month: '2021-07', span_from: 'received', span_to: 'accepted', cases: 1, late: 0 },
      ]);
    } finally {
      await sql`DELETE FROM case_record WHERE bureau_id = ${bureauId} AND case_id IN ('J', 'K')`.execute(t.db.kysely);
      await refreshCaseAggregates(t.db);
    }
  });
});
