import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIsoDate, shanghaiDate } from '../../etl/calendar/civil-date.ts';
import { calendarOrThrow, parseHolidayCalendar } from '../../etl/calendar/holiday-calendar.ts';
import { refreshCaseAggregates } from '../../etl/load/case-aggregates.ts';
import { STAGES } from '../../etl/parse/case-csv.ts';
import { parseFineClauses } from '../../etl/parse/fine-clause.ts';
import type { PowerType } from '../../etl/parse/list-types.ts';
import { limitApplies, limitsForItem, parseTimeLimits, timeLimitsOrThrow } from '../../etl/registry/time-limits.ts';
import { runEtl } from '../../etl/run-etl.ts';
import { fineRangeRows, judgeFine } from '../../etl/timeliness/fine-ranges.ts';
import { judgeSpan } from '../../etl/timeliness/judge-span.ts';
import { silentLog } from '../../core/log.ts';
import { getArrow } from '../helpers/app.ts';
import { BUNDLED_CONFIG, profile } from '../helpers/bundled.ts';
import { HOLIDAYS_FILE, TIME_LIMITS_FILE, insertSyntheticCases, loadReferenceData } from '../helpers/cases.ts';
import { BACKENDS, type TestDb } from '../helpers/test-db.ts';
import { suiteApp } from '../helpers/test-app.ts';
import type { SyntheticCase } from '../../etl/generate/synthetic-cases.ts';

const cal = calendarOrThrow(parseHolidayCalendar(readFileSync(HOLIDAYS_FILE, 'utf8'), 'cn.yaml'));
const limits = timeLimitsOrThrow(parseTimeLimits(readFileSync(TIME_LIMITS_FILE, 'utf8'), 'time-limits.yaml'));
const cont = (values: number[], p: number) => {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = p * (s.length - 1);
  return s[Math.floor(pos)]! + (s[Math.ceil(pos)]! - s[Math.floor(pos)]!) * (pos - Math.floor(pos));
};

describe.each(BACKENDS)('case endpoints on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  let cases: SyntheticCase[];
  const bureauId = profile().bureau_id;

  const prepare = async (testDb: TestDb) => {
    await runEtl({ db: testDb.db, config: BUNDLED_CONFIG, log: silentLog, now: () => new Date(0) });
    await loadReferenceData(testDb.db);
  };
  suiteApp(backend, { deps: { bureauId }, before: prepare }, (testDb, built) => {
    t = testDb;
    app = built;
  });

  it('answers empty tables and a zero meta row before any case is loaded', async () => {
    const meta = (await app.inject('/api/cases/meta?format=json')).json();
    expect(meta).toEqual([
      {
        min_month: null,
        max_month: null,
        cases: 0,
        synthetic_cases: 0,
        any_synthetic: false,
        all_synthetic: false,
        refreshed_at: null,
        calendar_years: '2018–2026',
      },
    ]);
    expect((await getArrow(app, '/api/volumes')).numRows).toBe(0);
    expect((await getArrow(app, '/api/timeliness?per=window')).numRows).toBe(0);
  });

  it('answers an empty table, not an error, when no item has late spans or fines', async () => {
    expect((await getArrow(app, '/api/timeliness/late')).numRows).toBe(0);
    expect((await getArrow(app, '/api/fines/compliance')).numRows).toBe(0);
  });

  it.each([
    ['/api/volumes?from=2024-13', /from must be a month written YYYY-MM/],
    ['/api/timeliness?to=24-03', /to must be a month written YYYY-MM/],
    ['/api/timeliness?from=2024-05&to=2024-03', /is after to/],
    ['/api/fines/compliance?power_type=行政罚款', /power_type must be one of 行政许可/],
    ['/api/timeliness/late?span=decided-accepted', /span must name two stages in order/],
    ['/api/timeliness/late?month=May', /month must be a month/],
    ['/api/volumes?item=a%20b', /item must be an item code/],
    ['/api/volumes?by=person', /invalid request/],
    ['/api/timeliness?colour=red', /invalid request/],
  ])('refuses %s with a 400 that says what is accepted', async (url, message) => {
    const res = await app.inject(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(message);
  });

  it('agrees with the pure reference on every synthetic case: spans judged, percentiles, fines', async () => {
    cases = await insertSyntheticCases(t.db, bureauId, { rows: 2500, seed: 'cases-api', year: 2025 });
    await refreshCaseAggregates(t.db);
    const items = await t.db.kysely
      .selectFrom('item')
      .selectAll()
      .where('code', 'is not', null)
      .orderBy('seq')
      .execute();
    const byCode = new Map<string, (typeof items)[number]>();
    for (const it of items) if (!byCode.has(it.code!)) byCode.set(it.code!, it);

    type Acc = {
      cases: number;
      on_time: number;
      on_time_extended: number;
      late: number;
      extension_unapplied: number;
      uncovered: number;
      wd: number[];
    };
    const spans = new Map<string, Acc>();
    const fines = new Map<string, Record<string, number>>();
    for (const c of cases) {
      const item = byCode.get(c.item_code)!;
      const month = shanghaiDate((c.times.received ?? c.times.accepted)!)!.slice(0, 7);
      for (const l of limitsForItem(limits, {
        code: item.code,
        power_type: item.power_type as PowerType | null,
        section: item.section,
        name: item.name,
      })) {
        const a = c.times[l.span.from],
          b = c.times[l.span.to];
        if (!a || !b || !limitApplies(l, shanghaiDate(a)!)) continue;
        const approved = c.extension_approved_at === null ? null : parseIsoDate(c.extension_approved_at);
        const v = judgeSpan(cal, parseIsoDate(shanghaiDate(a)!)!, parseIsoDate(shanghaiDate(b)!)!, l, approved);
        const key = `${month}|${item.section ?? '(未识别)'}|${l.span.from}-${l.span.to}`;
        const acc = spans.get(key) ?? {
          cases: 0,
          on_time: 0,
          on_time_extended: 0,
          late: 0,
          extension_unapplied: 0,
          uncovered: 0,
          wd: [],
        };
        acc.cases++;
        acc[v.kind]++;
        if (v.kind === 'late' && (v.extension === 'no_provision' || v.extension === 'approved_late'))
          acc.extension_unapplied++;
        if (v.kind !== 'uncovered') acc.wd.push(v.workingDays);
        spans.set(key, acc);
      }
      if (c.fine_yuan !== null) {
        const verdict = judgeFine(
          fineRangeRows(parseFineClauses(item.basis, { source: 't', line: 1 }).clauses),
          c.fine_yuan,
          c.persons,
        );
        const f = fines.get(c.item_code) ?? {};
        f[verdict] = (f[verdict] ?? 0) + 1;
        fines.set(c.item_code, f);
      }
    }
    expect(spans.size).toBeGreaterThan(10);

    const got = (await app.inject('/api/timeliness?format=json')).json() as Record<string, number | string | null>[];
    const expected = [...spans].map(([key, a]) => {
      const [month, section, span] = key.split('|');
      return {
        month,
        section,
        span,
        cases: a.cases,
        on_time: a.on_time,
        on_time_extended: a.on_time_extended,
        late: a.late,
        extension_unapplied: a.extension_unapplied,
        uncovered: a.uncovered,
        median_wd: cont(a.wd, 0.5),
        p90_wd: cont(a.wd, 0.9),
      };
    });
    const pick = (r: Record<string, unknown>) => ({
      month: r.month,
      section: r.section,
      span: r.span,
      cases: r.cases,
      on_time: r.on_time,
      on_time_extended: r.on_time_extended,
      late: r.late,
      extension_unapplied: r.extension_unapplied,
      uncovered: r.uncovered,
      median_wd: r.median_wd,
      p90_wd: r.p90_wd,
    });
    const order = (x: { month: unknown; section: unknown; span: unknown }) => `${x.month}|${x.section}|${x.span}`;
    expect(got.map(pick).sort((a, b) => order(a).localeCompare(order(b)))).toEqual(
      expected.sort((a, b) => order(a).localeCompare(order(b))),
    );
    expect(expected.some((e) => e.late > 0)).toBe(true);
    // The generator approves extensions for the cases it ends inside one: the demo shows them.
    expect(expected.some((e) => e.on_time_extended > 0)).toBe(true);

    // The histogram path gives the same numbers for one month as percentile_cont did.
    const month = expected.find((e) => e.late > 0)!.month!;
    const viaHist = (
      await app.inject(`/api/timeliness?format=json&from=${month}&to=${month}&per=window`)
    ).json() as Record<string, unknown>[];
    for (const r of viaHist) {
      const e = expected.find((x) => x.month === month && x.section === r.section && x.span === r.span)!;
      expect({ cases: r.cases, late: r.late, median_wd: r.median_wd, p90_wd: r.p90_wd }).toEqual({
        cases: e.cases,
        late: e.late,
        median_wd: e.median_wd,
        p90_wd: e.p90_wd,
      });
    }

    const compliance = (await app.inject('/api/fines/compliance?format=json')).json() as Record<
      string,
      number | string
    >[];
    expect(compliance.length).toBe(fines.size);
    for (const r of compliance) {
      const f = fines.get(String(r.item_code))!;
      expect({
        inside: r.inside,
        below: r.below,
        above: r.above,
        not_checkable: r.not_checkable,
        no_range: r.no_range,
      }).toEqual({
        inside: f.inside ?? 0,
        below: f.below ?? 0,
        above: f.above ?? 0,
        not_checkable: f.not_checkable ?? 0,
        no_range: f.no_range ?? 0,
      });
    }
    expect(compliance.reduce((n, r) => n + Number(r.fined_cases), 0)).toBe(
      cases.filter((c) => c.fine_yuan !== null).length,
    );
    expect(compliance.some((r) => Number(r.inside) > 0)).toBe(true);
  });

  it('sums volumes per section to the cases loaded, and filters by section, type, item and months', async () => {
    // The empty answers cached before the load are not served again once the aggregates changed.
    expect((await getArrow(app, '/api/volumes')).numRows).toBeGreaterThan(0);
    expect((await getArrow(app, '/api/timeliness?per=window')).numRows).toBeGreaterThan(0);
    const bySection = (await app.inject('/api/volumes?by=section&per=window&format=json')).json() as {
      section: string;
      cases: number;
    }[];
    expect(bySection.reduce((s, r) => s + r.cases, 0)).toBe(cases.length);
    const section = bySection[0]!.section;
    const only = (
      await app.inject(`/api/volumes?per=window&format=json&section=${encodeURIComponent(section)}`)
    ).json() as { section: string; cases: number }[];
    expect(only.every((r) => r.section === section)).toBe(true);
    expect(only.reduce((s, r) => s + r.cases, 0)).toBe(bySection[0]!.cases);
    const penalties = (
      await app.inject(`/api/volumes?per=window&format=json&power_type=${encodeURIComponent('行政处罚')}`)
    ).json() as { power_type: string }[];
    expect(penalties.length).toBeGreaterThan(0);
    expect(penalties.every((r) => r.power_type === '行政处罚')).toBe(true);
    const code = cases[0]!.item_code;
    const march = (await app.inject(`/api/volumes?format=json&item=${code}&from=2025-03&to=2025-03`)).json();
    expect(march).toEqual([
      expect.objectContaining({
        month: '2025-03',
        item_code: code,
        cases: cases.filter(
          (c) => c.item_code === code && (c.times.received ?? c.times.accepted)!.startsWith('2025-03'),
        ).length,
      }),
    ]);
    const meta = (await app.inject('/api/cases/meta?format=json')).json();
    expect(meta[0]).toMatchObject({
      min_month: '2025-01',
      max_month: '2025-12',
      cases: 2500,
      synthetic_cases: 2500,
      any_synthetic: true,
      all_synthetic: true,
    });
    expect(STAGES.length).toBe(7);
  });
});
