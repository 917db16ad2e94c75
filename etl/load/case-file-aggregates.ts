/**
 * The summary rows of one case file's cases, counted in Node while its rows stream to the
 * database (case-load.ts). When no other file's cases are left in the years the file wrote, the
 * refresh after the load (case-aggregates.ts) writes these rows instead of reading the cases back
 * in SQL, so it costs in proportion to the summary, not to the file (PGlite, 200,000 cases: the
 * SQL took 0.8 s of PGlite's one thread while Node, waiting on PGlite's COPY, had time to spare).
 *
 * Every rule mirrors a statement of case-aggregates.ts: the month a case started, the span
 * judgement on the calendar (with its NULLs), the extension rules, the fine verdicts. Only the
 * order of late examples with equal working days (by case id, in the database's collation) is
 * left to SQL: the candidates go to the refresh, which ranks them there. The tests hold both
 * routes to the same tables (test/integration/case-file-aggregates.test.ts).
 *
 * The refresh takes these rows only when the facts they were judged on (items, limits, fine
 * ranges, calendar) are still the ones it resolves itself: `fingerprint`.
 */
import { createHash } from 'node:crypto';
import type { Insertable } from 'kysely';
import { formatDay, parseIsoDate, shanghaiDayOf } from '../calendar/civil-date.ts';
import type { Database, ItemFineRangeTable, ItemTimeLimitTable } from '../../db/schema.ts';
import { STAGES, type CaseRecord } from '../parse/case-csv.ts';
import { judgeFine, type FineRangeTerms } from '../timeliness/fine-ranges.ts';
import { percentileFromHistogram } from '../timeliness/percentile.ts';

type Query = <R>(text: string, params?: unknown[]) => Promise<R[]>;

/** Section, power type and name shown for a case whose item code the list does not know (case-aggregates.ts). */
export const UNKNOWN_ITEM = '(清单中无此编码)';
export const UNKNOWN_VALUE = '(未识别)';

/**
 * A case started before this day (1992-01-01) makes the rows unusable: Asia/Shanghai kept summer
 * time until 1991, which the database's zone rules apply and a fixed +08:00 does not. Its other
 * stages come later (validateCaseRow keeps them in order) and none lies in the future.
 */
const FIXED_OFFSET_FROM_DAY = Date.UTC(1992, 0, 1) / 86_400_000;

/** Late spans a group gathers before its candidates are first cut back to the slowest (ties included). */
const LATE_PRUNE_AT = 64;
const LATE_EXAMPLES = 5;

interface ItemFacts {
  name: string;
  section: string;
  powerType: string;
}
interface LimitFacts {
  from: (typeof STAGES)[number];
  to: (typeof STAGES)[number];
  fromIndex: number;
  toIndex: number;
  limitId: string;
  days: number;
  unit: string;
  appliesFrom: number | null;
  extensionDays: number | null;
  extensionUnit: string | null;
}

/** The work calendar as day-number arrays; a day outside them or without a row is not covered. */
class Calendar {
  private readonly base: number;
  private readonly present: Uint8Array;
  private readonly working: Uint8Array;
  private readonly wd: Int32Array;
  private readonly runStart: Int32Array;
  /** The working day with each wd_index (the SQL's scalar lookup of the day a working-day period ends). */
  private readonly dayOfWd = new Map<number, number>();

  constructor(rows: readonly { day: number; working: boolean; wd_index: number; run_start: number }[]) {
    this.base = rows.length ? rows[0]!.day : 0;
    const size = rows.length ? rows[rows.length - 1]!.day - this.base + 1 : 0;
    this.present = new Uint8Array(size);
    this.working = new Uint8Array(size);
    this.wd = new Int32Array(size);
    this.runStart = new Int32Array(size);
    for (const r of rows) {
      const i = r.day - this.base;
      this.present[i] = 1;
      this.working[i] = r.working ? 1 : 0;
      this.wd[i] = r.wd_index;
      this.runStart[i] = r.run_start;
      if (r.working && !this.dayOfWd.has(r.wd_index)) this.dayOfWd.set(r.wd_index, r.day);
    }
  }

  has(day: number): boolean {
    const i = day - this.base;
    return i >= 0 && i < this.present.length && this.present[i] === 1;
  }
  /** wd_index (working days up to and including the day), null when not covered. */
  upTo(day: number): number | null {
    return this.has(day) ? this.wd[day - this.base]! : null;
  }
  /** wd_index − working: working days before the day, null when not covered. */
  before(day: number): number | null {
    return this.has(day) ? this.wd[day - this.base]! - this.working[day - this.base]! : null;
  }
  runStartOf(day: number): number {
    return this.runStart[day - this.base]!;
  }
  workingDayWithIndex(wd: number): number | null {
    return this.dayOfWd.get(wd) ?? null;
  }
}

/** What the counts of one item code are judged on; `code` is the map's own copy of it. */
interface CodeFacts {
  code: string;
  /** agg_item's row: absent for a code the latest list does not have. */
  item?: ItemFacts;
  limits?: LimitFacts[];
  fines?: FineRangeTerms[];
}

/** What the counts are judged on: the list's items, their limits and fine ranges, the calendar. */
export interface AggregateFacts {
  /** By item code; codes met in cases and known to none of the three are added as they come. */
  codes: Map<string, CodeFacts>;
  calendar: Calendar;
  /** Digest of everything above but the calendar's days (its load time stands for them). */
  fingerprint: string;
}

/**
 * The facts as the bureau's last refresh wrote them (item_time_limit, item_fine_range) and the
 * refresh's own item query; called by the load before its rows, and by the refresh after it has
 * rewritten them, to see whether they still agree.
 */
export async function readFactsFingerprint(
  query: Query,
  bureauId: string,
): Promise<{ fingerprint: string; items: ItemRow[]; limits: LimitRow[]; fines: FineRow[] }> {
  const items = await query<ItemRow>(
    `SELECT DISTINCT ON (i.code) i.code AS item_code, i.name AS item_name,
            coalesce(i.section, $2) AS section, coalesce(i.power_type, $2) AS power_type
       FROM item i JOIN latest_version v ON v.bureau_id = i.bureau_id AND v.version_id = i.version_id
      WHERE i.code IS NOT NULL AND i.bureau_id = $1
      ORDER BY i.code, i.seq`,
    [bureauId, UNKNOWN_VALUE],
  );
  const limits = await query<LimitRow>(
    `SELECT item_code, span_from, span_to, limit_id, days, unit, applies_from, extension_days, extension_unit
       FROM item_time_limit WHERE bureau_id = $1 ORDER BY item_code, span_from, span_to`,
    [bureauId],
  );
  const fines = await query<FineRow>(
    `SELECT item_code, clause_no, kind, min_yuan, max_yuan, per_person
       FROM item_fine_range WHERE bureau_id = $1 ORDER BY item_code, clause_no`,
    [bureauId],
  );
  const [cal] = await query<{ loaded: string | null }>(`SELECT max(loaded_at)::text AS loaded FROM calendar_year`);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([items, limits, fines, cal?.loaded ?? null]))
    .digest('hex');
  return { fingerprint, items, limits, fines };
}

interface ItemRow {
  item_code: string;
  item_name: string;
  section: string;
  power_type: string;
}
type LimitRow = Omit<ItemTimeLimitTable, 'bureau_id'>;
type FineRow = Pick<ItemFineRangeTable, 'item_code' | 'clause_no' | 'kind' | 'min_yuan' | 'max_yuan' | 'per_person'>;

export async function readAggregateFacts(query: Query, bureauId: string): Promise<AggregateFacts> {
  const { fingerprint, items, limits, fines } = await readFactsFingerprint(query, bureauId);
  // As four arrays in one row: thousands of rows cost PGlite's thread 0.13 s to hand over.
  const [days] = await query<{ day: number[] | null; working: boolean[]; wd_index: number[]; run_start: number[] }>(
    `SELECT array_agg(day - date '1970-01-01' ORDER BY day) AS day, array_agg(working ORDER BY day) AS working,
            array_agg(wd_index ORDER BY day) AS wd_index, array_agg(run_start - date '1970-01-01' ORDER BY day) AS run_start
       FROM work_calendar`,
  );
  const calendar = new Calendar(
    (days?.day ?? []).map((day, i) => ({
      day,
      working: days!.working[i]!,
      wd_index: days!.wd_index[i]!,
      run_start: days!.run_start[i]!,
    })),
  );
  const stage = (s: string) => {
    const i = (STAGES as readonly string[]).indexOf(s);
    if (i < 0) throw new Error(`item_time_limit: unknown stage ${s}`);
    return i;
  };
  const codes = new Map<string, CodeFacts>();
  const of = (code: string) => {
    let f = codes.get(code);
    if (!f) codes.set(code, (f = { code }));
    return f;
  };
  for (const r of items) of(r.item_code).item = { name: r.item_name, section: r.section, powerType: r.power_type };
  for (const r of limits) {
    const f = of(r.item_code);
    (f.limits ??= []).push({
      from: r.span_from as LimitFacts['from'],
      to: r.span_to as LimitFacts['to'],
      fromIndex: stage(r.span_from),
      toIndex: stage(r.span_to),
      limitId: r.limit_id,
      days: r.days,
      unit: r.unit,
      appliesFrom: r.applies_from === null ? null : parseIsoDate(r.applies_from),
      extensionDays: r.extension_days,
      extensionUnit: r.extension_unit,
    });
  }
  for (const r of fines) {
    const f = of(r.item_code);
    (f.fines ??= []).push({ kind: r.kind, min_yuan: r.min_yuan, max_yuan: r.max_yuan, per_person: r.per_person });
  }
  return { fingerprint, calendar, codes };
}

type Verdict = 'on_time' | 'late' | 'uncovered' | 'on_time_extended';
type Extension = 'applied' | 'exceeded' | 'no_provision' | 'approved_late';

interface LateCandidate {
  caseId: string;
  fromDay: number;
  toDay: number;
  wd: number;
  extension: Extension | null;
  extAt: number | null;
}

/** One item × span of one month: case_timeliness_item_month, its histogram and late examples. */
interface SpanGroup {
  limit: LimitFacts;
  item: ItemFacts;
  code: CodeFacts;
  cases: number;
  onTime: number;
  late: number;
  uncovered: number;
  extended: number;
  unapplied: number;
  hist: Map<number, number>;
  lateCandidates: LateCandidate[];
  /** Late spans below this many working days can no longer be among the five slowest. */
  lateCut: number;
  /** The candidates' length at which they are cut back next. */
  prunedAt: number;
}

interface VolumeCell {
  cases: number;
  synthetic: number;
}
interface FineCell {
  fined: number;
  inside: number;
  below: number;
  above: number;
  outside: number;
  notCheckable: number;
  noRange: number;
}

interface MonthBucket {
  month: string;
  volumes: Map<CodeFacts, VolumeCell>;
  spans: Map<LimitFacts, SpanGroup>;
  fines: Map<CodeFacts, FineCell>;
}

/** The rows a refresh writes for the file's months, ready for insertRows. */
export interface FileAggregateRows {
  case_volume_month: Insertable<Database['case_volume_month']>[];
  case_timeliness_month: Insertable<Database['case_timeliness_month']>[];
  case_span_wd_hist: Insertable<Database['case_span_wd_hist']>[];
  case_timeliness_item_month: Insertable<Database['case_timeliness_item_month']>[];
  fine_compliance_month: Insertable<Database['fine_compliance_month']>[];
  fine_outside_case: Insertable<Database['fine_outside_case']>[];
  /** Late spans from which case_late_example keeps the slowest five per group (ranked in SQL). */
  late_candidates: Insertable<Database['case_late_example']>[];
  counts: { spans: number; uncovered: number; extended: number; fined: number };
}

export class FileAggregates {
  /** Why these rows cannot stand for the file (the refresh then reads the cases in SQL); null while they can. */
  unusable: string | null = null;
  /** By 'YYYY-MM'. */
  private readonly months = new Map<string, MonthBucket>();
  /** The bucket of each start day met so far (the month is formatted once a day, not once a case). */
  private readonly byDay = new Map<number, MonthBucket>();
  private spans = 0;
  private uncovered = 0;
  private extended = 0;
  private fined = 0;
  private readonly outside: FileAggregateRows['fine_outside_case'] = [];
  /** Rows held one per case (late-example candidates, fines outside their ranges). */
  private held = 0;
  private readonly maxHeld: number;

  /**
   * `maxHeldRows`: past this many rows held one per case, the counts are set aside (the refresh
   * reads the cases): a file whose fines nearly all fall outside their ranges would otherwise
   * hold one row per case in memory.
   */
  constructor(
    readonly bureauId: string,
    readonly fileId: number,
    private readonly facts: AggregateFacts,
    { maxHeldRows = 100_000 }: { maxHeldRows?: number } = {},
  ) {
    this.maxHeld = maxHeldRows;
  }

  /** Counts one more row held per case; false (and the counts set aside) past the limit. */
  private hold(n: number): boolean {
    this.held += n;
    if (this.held <= this.maxHeld) return true;
    this.discard(`more than ${this.maxHeld} late-example candidates and fines outside their ranges to hold`);
    return false;
  }

  get fingerprint(): string {
    return this.facts.fingerprint;
  }

  /** Not part of a run's record (etl_run.detail): the rows are for the refresh that follows. */
  toJSON(): undefined {
    return undefined;
  }

  /** Sets the rows aside for good: the refresh will read the cases in SQL. */
  discard(reason: string): void {
    this.unusable ??= reason;
    this.months.clear();
    this.byDay.clear();
    this.outside.length = 0;
  }

  /** Counts one case the load wrote. */
  add(c: CaseRecord): void {
    if (this.unusable !== null) return;
    if (c.startedDay < FIXED_OFFSET_FROM_DAY) {
      this.discard('a case started before 1992 (its days follow the zone rules in SQL)');
      return;
    }
    const bucket = this.bucketOf(c.startedDay);
    let code = this.facts.codes.get(c.item_code);
    if (!code) {
      // A copy of its own: the parser's code is a slice that would keep its whole chunk alive.
      code = { code: Buffer.from(c.item_code).toString() };
      this.facts.codes.set(code.code, code);
    }
    let v = bucket.volumes.get(code);
    if (!v) bucket.volumes.set(code, (v = { cases: 0, synthetic: 0 }));
    v.cases++;
    if (c.synthetic) v.synthetic++;

    if (code.item && code.limits) for (const l of code.limits) this.judgeSpan(bucket, c, code, l);
    if (c.fine_yuan !== null) this.countFine(bucket, c, code, c.fine_yuan);
  }

  private bucketOf(day: number): MonthBucket {
    let b = this.byDay.get(day);
    if (!b) {
      const month = formatDay(day).slice(0, 7);
      b = this.months.get(month);
      if (!b) this.months.set(month, (b = { month, volumes: new Map(), spans: new Map(), fines: new Map() }));
      this.byDay.set(day, b);
    }
    return b;
  }

  /**
   * judgeSpans of case-aggregates.ts for one case and one limit of its item. Not the reference
   * judgeSpan (judge-span.ts): where a deadline falls past the calendar's end the two part ways,
   * and these rows must be the SQL's.
   */
  private judgeSpan(bucket: MonthBucket, c: CaseRecord, code: CodeFacts, l: LimitFacts): void {
    const fromMs = c.stageMs[l.fromIndex]!;
    const toMs = c.stageMs[l.toIndex]!;
    if (Number.isNaN(fromMs) || Number.isNaN(toMs)) return;
    const fromDay = shanghaiDayOf(fromMs);
    const toDay = shanghaiDayOf(toMs);
    if (l.appliesFrom !== null && fromDay < l.appliesFrom) return;
    const cal = this.facts.calendar;
    let verdict: Verdict;
    let wd: number | null = null;
    let extension: Extension | null = null;
    const a = cal.upTo(fromDay);
    const bBefore = cal.before(toDay);
    if (a === null || bBefore === null || cal.runStartOf(toDay) > fromDay) verdict = 'uncovered';
    else {
      wd = cal.upTo(toDay)! - a;
      if (l.unit === 'working') verdict = bBefore - a < l.days ? 'on_time' : 'late';
      else if (toDay <= fromDay + l.days) verdict = 'on_time';
      else {
        const n = cal.before(fromDay + l.days);
        verdict = n !== null && bBefore - n === 0 ? 'on_time' : 'late';
      }
      if (verdict === 'late' && c.extensionApprovedDay !== null) {
        extension = this.extensionUse(l, fromDay, toDay, a, c.extensionApprovedDay);
        if (extension === 'applied') verdict = 'on_time_extended';
      }
    }

    let g = bucket.spans.get(l);
    if (!g) {
      g = {
        limit: l,
        item: code.item!,
        code,
        cases: 0,
        onTime: 0,
        late: 0,
        uncovered: 0,
        extended: 0,
        unapplied: 0,
        hist: new Map(),
        lateCandidates: [],
        lateCut: Number.NEGATIVE_INFINITY,
        prunedAt: LATE_PRUNE_AT,
      };
      bucket.spans.set(l, g);
    }
    this.spans++;
    g.cases++;
    if (verdict === 'on_time') g.onTime++;
    else if (verdict === 'late') g.late++;
    else if (verdict === 'uncovered') {
      g.uncovered++;
      this.uncovered++;
    } else {
      g.extended++;
      this.extended++;
    }
    if (extension === 'no_provision' || extension === 'approved_late') g.unapplied++;
    if (wd !== null) g.hist.set(wd, (g.hist.get(wd) ?? 0) + 1);
    if (verdict === 'late' && wd! >= g.lateCut && this.hold(1)) {
      g.lateCandidates.push({
        // A copy of its own: the parser's id is a slice of its whole chunk.
        caseId: Buffer.from(c.case_id).toString(),
        fromDay,
        toDay,
        wd: wd!,
        extension,
        extAt: c.extensionApprovedDay,
      });
      if (g.lateCandidates.length >= g.prunedAt) {
        const before = g.lateCandidates.length;
        g.lateCandidates = slowest(g.lateCandidates);
        this.held -= before - g.lateCandidates.length;
        g.lateCut = g.lateCandidates.reduce((m, l) => Math.min(m, l.wd), Number.POSITIVE_INFINITY);
        // Ties at the cut all stay: cut again only once the list has doubled.
        g.prunedAt = g.lateCandidates.length * 2 + LATE_PRUNE_AT;
      }
    }
  }

  /** EXTENSION_USE (and ORIGINAL_END) of case-aggregates.ts, NULLs as SQL treats them. `a`: wd_index of the start. */
  private extensionUse(l: LimitFacts, fromDay: number, toDay: number, a: number, extAt: number): Extension {
    if (l.extensionDays === null) return 'no_provision';
    const cal = this.facts.calendar;
    const minus = (x: number | null, y: number | null) => (x === null || y === null ? null : x - y);
    let inTime: boolean;
    if (extAt <= fromDay) inTime = true;
    else if (l.unit === 'working') {
      const d = minus(cal.before(extAt), a);
      inTime = d !== null && d < l.days;
    } else {
      const d = minus(cal.before(extAt), cal.before(fromDay + l.days));
      inTime = extAt <= fromDay + l.days || d === 0;
    }
    if (!inTime) return 'approved_late';
    let applied: boolean;
    if (l.extensionUnit === 'working') {
      const end = l.unit === 'working' ? a + l.days : cal.upTo(fromDay + l.days);
      const d = minus(cal.before(toDay), end);
      applied = d !== null && d < l.extensionDays;
    } else {
      // ORIGINAL_END is read only for a calendar-day extension; NULL (not applied) for any other unit.
      const originalEnd =
        l.extensionUnit !== 'calendar'
          ? null
          : l.unit === 'working'
            ? cal.workingDayWithIndex(a + l.days)
            : fromDay + l.days;
      if (originalEnd === null) applied = false;
      else {
        const d = minus(cal.before(toDay), cal.before(originalEnd + l.extensionDays));
        applied = toDay <= originalEnd + l.extensionDays || d === 0;
      }
    }
    return applied ? 'applied' : 'exceeded';
  }

  /** judgeFines of case-aggregates.ts: the fine against every range of its item (fine-ranges.ts judgeFine). */
  private countFine(bucket: MonthBucket, c: CaseRecord, code: CodeFacts, fine: number): void {
    // judgeFine is what the SQL mirrors; fines are never negative, where cap_only clauses part ways.
    const verdict = judgeFine(code.fines ?? [], fine, c.persons);
    let f = bucket.fines.get(code);
    if (!f) {
      f = { fined: 0, inside: 0, below: 0, above: 0, outside: 0, notCheckable: 0, noRange: 0 };
      bucket.fines.set(code, f);
    }
    this.fined++;
    f.fined++;
    if (verdict === 'inside') f.inside++;
    else if (verdict === 'below') f.below++;
    else if (verdict === 'above') f.above++;
    else if (verdict === 'outside') f.outside++;
    else if (verdict === 'not_checkable') f.notCheckable++;
    else f.noRange++;
    if ((verdict === 'below' || verdict === 'above' || verdict === 'outside') && this.hold(1))
      this.outside.push({
        bureau_id: this.bureauId,
        month: bucket.month,
        item_code: code.code,
        case_id: Buffer.from(c.case_id).toString(),
        fine_yuan: fine,
        persons: c.persons,
        verdict,
      });
  }

  /** The summary rows of the file's months. */
  rows(): FileAggregateRows {
    if (this.unusable !== null) throw new Error(`file aggregates: ${this.unusable}`);
    const bureau_id = this.bureauId;
    const out: FileAggregateRows = {
      case_volume_month: [],
      case_timeliness_month: [],
      case_span_wd_hist: [],
      case_timeliness_item_month: [],
      fine_compliance_month: [],
      fine_outside_case: this.outside,
      late_candidates: [],
      counts: { spans: this.spans, uncovered: this.uncovered, extended: this.extended, fined: this.fined },
    };
    for (const b of this.months.values()) {
      const month = b.month;
      for (const [code, v] of b.volumes) {
        out.case_volume_month.push({
          bureau_id,
          month,
          ...labels(code),
          cases: v.cases,
          synthetic_cases: v.synthetic,
        });
      }
      // case_timeliness_month groups the item groups of a section.
      const bySection = new Map<string, SpanGroup[]>();
      for (const g of b.spans.values()) {
        const key = `${g.item.section}\u0000${g.limit.from}\u0000${g.limit.to}`;
        const same = bySection.get(key);
        if (same) same.push(g);
        else bySection.set(key, [g]);
        const base = { bureau_id, month, item_code: g.code.code, span_from: g.limit.from, span_to: g.limit.to };
        out.case_timeliness_item_month.push({
          ...base,
          item_name: g.item.name,
          section: g.item.section,
          power_type: g.item.powerType,
          limit_id: g.limit.limitId,
          days: g.limit.days,
          unit: g.limit.unit,
          cases: g.cases,
          on_time: g.onTime,
          late: g.late,
          uncovered: g.uncovered,
          on_time_extended: g.extended,
          extension_unapplied: g.unapplied,
          extension_days: g.limit.extensionDays,
          extension_unit: g.limit.extensionUnit,
        });
        for (const [wd, cases] of g.hist)
          out.case_span_wd_hist.push({
            bureau_id,
            month,
            item_code: base.item_code,
            span_from: base.span_from,
            span_to: base.span_to,
            wd,
            section: g.item.section,
            power_type: g.item.powerType,
            cases,
          });
        for (const l of slowest(g.lateCandidates))
          out.late_candidates.push({
            ...base,
            case_id: l.caseId,
            from_day: formatDay(l.fromDay),
            to_day: formatDay(l.toDay),
            wd: l.wd,
            extension: l.extension,
            extension_approved_at: l.extAt === null ? null : formatDay(l.extAt),
          });
      }
      for (const groups of bySection.values()) {
        const g0 = groups[0]!;
        const sum = (f: (g: SpanGroup) => number) => groups.reduce((s, g) => s + f(g), 0);
        const hist = new Map<number, number>();
        for (const g of groups) for (const [wd, n] of g.hist) hist.set(wd, (hist.get(wd) ?? 0) + n);
        const bins = [...hist].map(([value, count]) => ({ value, count }));
        out.case_timeliness_month.push({
          bureau_id,
          month,
          section: g0.item.section,
          span_from: g0.limit.from,
          span_to: g0.limit.to,
          cases: sum((g) => g.cases),
          on_time: sum((g) => g.onTime),
          late: sum((g) => g.late),
          uncovered: sum((g) => g.uncovered),
          on_time_extended: sum((g) => g.extended),
          extension_unapplied: sum((g) => g.unapplied),
          median_wd: percentileFromHistogram(bins, 0.5),
          p90_wd: percentileFromHistogram(bins, 0.9),
        });
      }
      for (const [code, f] of b.fines) {
        out.fine_compliance_month.push({
          bureau_id,
          month,
          ...labels(code),
          fined_cases: f.fined,
          inside: f.inside,
          below: f.below,
          above: f.above,
          outside_other: f.outside,
          not_checkable: f.notCheckable,
          no_range: f.noRange,
        });
      }
    }
    return out;
  }
}

/** An item code with its name, section and power type, or the placeholders for a code the list does not have. */
function labels({ code, item }: CodeFacts) {
  return {
    item_code: code,
    item_name: item?.name ?? UNKNOWN_ITEM,
    section: item?.section ?? UNKNOWN_VALUE,
    power_type: item?.powerType ?? UNKNOWN_VALUE,
  };
}

/** The late spans that can still be among the five slowest: every one at or above the fifth-highest working days. */
function slowest(list: LateCandidate[]): LateCandidate[] {
  if (list.length <= LATE_EXAMPLES) return list;
  const cut = list.map((l) => l.wd).sort((x, y) => y - x)[LATE_EXAMPLES - 1]!;
  return list.filter((l) => l.wd >= cut);
}
