/**
 * Deterministic synthetic cases for the demo and for benchmarks. A generator: 5,000,000 rows
 * stream through without being held in memory. Every row says `synthetic: true`.
 */
import type { HolidayCalendar } from '../calendar/holiday-calendar.ts';
import { dayFromParts, formatDay, shanghaiTimestamp } from '../calendar/civil-date.ts';
import { deadlineDay, isWorkingDayNumber } from '../calendar/working-days.ts';
import { CASE_COLUMNS_WITH_EXTENSION, STAGES } from '../parse/case-csv.ts';
import type { Outcome, CaseStage, StageTimes } from '../parse/case-csv.ts';
import type { PowerType } from '../parse/list-types.ts';
import { limitsForItem } from '../registry/time-limits.ts';
import type { TimeLimit } from '../registry/time-limits.ts';
import { drawFine, drawOutcome, itemWeight } from './case-mix.ts';
import type { FineRange, SyntheticItem } from './case-mix.ts';
import { createRng } from './prng.ts';
import type { Rng } from './prng.ts';
import { csvField } from '../export/csv-cell.ts';

export type { FineRange, SyntheticItem };

export interface SyntheticOptions {
  items: readonly SyntheticItem[];
  seed: number | string;
  rows: number;
  /** Cases are received on working days of this year (it must be covered by the calendar). */
  year: number;
  calendar: HolidayCalendar;
  limits: readonly TimeLimit[];
  /** Statutory fine range per item code. */
  fineRanges?: Readonly<Record<string, FineRange>>;
  bureauId: string;
}

export interface SyntheticCase {
  case_id: string;
  bureau_id: string;
  item_code: string;
  sub_item_code: string | null;
  times: StageTimes;
  outcome: Outcome;
  fine_yuan: number | null;
  persons: number | null;
  synthetic: true;
  /** YYYY-MM-DD: the day an extension was approved, for the cases that end a span inside one; else null. */
  extension_approved_at: string | null;
}

/** Which stages a case of each power type passes through, in order. */
function stagesFor(pt: PowerType | null, rng: Rng): CaseStage[] {
  switch (pt) {
    case '行政处罚':
      // Cases found on inspection are filed (立案) without a separate receipt.
      return rng.chance(0.7)
        ? ['received', 'accepted', 'investigated', 'reviewed', 'decided', 'served', 'closed']
        : ['accepted', 'investigated', 'reviewed', 'decided', 'served', 'closed'];
    case '行政许可':
      return ['received', 'accepted', 'reviewed', 'decided', 'served', 'closed'];
    case '行政检查':
      return ['accepted', 'investigated', 'decided', 'closed'];
    default:
      return ['received', 'accepted', 'decided', 'closed'];
  }
}

type Timeliness = 'on_time' | 'extended' | 'late';

/**
 * Days to spend on a limited span: most well inside, some in the extension, a few late. A case
 * of the `extended` class keeps the limits that provide no extension.
 */
function drawSpan(limit: TimeLimit, cls: Timeliness, rng: Rng): { days: number; unit: 'working' | 'calendar' } {
  const n = limit.days;
  if (cls === 'on_time' || (cls === 'extended' && !limit.extension))
    return { days: Math.max(0, Math.round(n * rng.next() * rng.next() * 0.95)), unit: limit.unit };
  if (cls === 'extended' && limit.extension) {
    // The extension is in its own unit; stay in the limit's unit by approximating 7/5 when they differ.
    const ext =
      limit.extension.unit === limit.unit
        ? limit.extension.days
        : Math.round(limit.extension.days * (limit.unit === 'calendar' ? 1.4 : 1 / 1.4));
    return { days: n + 1 + Math.floor(rng.next() * ext), unit: limit.unit };
  }
  return { days: n + 1 + Math.floor(rng.next() * Math.max(2, n * 0.6)), unit: limit.unit };
}

/** Picks item indices in proportion to their weights (cumulative table + binary search). */
function itemPicker(items: readonly SyntheticItem[], rng: Rng): () => number {
  const cum = new Float64Array(items.length);
  let total = 0;
  items.forEach((item, i) => {
    total += itemWeight(item, rng);
    cum[i] = total;
  });
  return () => {
    const x = rng.next() * total;
    let lo = 0,
      hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

export function* syntheticCases(opts: SyntheticOptions): Generator<SyntheticCase> {
  const { items, rows, year, calendar } = opts;
  if (items.length === 0) throw new Error('synthetic cases need at least one item');
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`rows must be a whole number >= 0, got ${rows}`);
  const workdays: number[] = [];
  for (let d = dayFromParts(year, 1, 1)!; d <= dayFromParts(year, 12, 31)!; d++) {
    const a = isWorkingDayNumber(calendar, d);
    if (a.kind === 'ok' && a.working) workdays.push(d);
  }
  if (workdays.length === 0) {
    throw new Error(
      `the holiday calendar does not cover ${year} (covers ${calendar.years.join(', ')}); pick a covered year`,
    );
  }
  const rng = createRng(`${opts.seed}`);
  const pick = itemPicker(items, rng);
  const limitCache = items.map((item) => limitsForItem(opts.limits, item));
  const width = String(rows).length;

  for (let i = 0; i < rows; i++) {
    const idx = pick();
    const item = items[idx]!;
    const limits = limitCache[idx]!;
    // Receipts spread evenly over the year's working days, so the output is in time order.
    const received = workdays[Math.floor((i * workdays.length) / Math.max(1, rows))]!;
    const cls: Timeliness = rng.chance(0.88) ? 'on_time' : rng.chance(0.5) ? 'extended' : 'late';
    let outcome = drawOutcome(item.power_type, rng);
    let stages = stagesFor(item.power_type, rng);
    if (outcome === 'withdrawn' || outcome === 'terminated' || outcome === 'transferred') {
      stages = stages.filter((s) => s !== 'decided' && s !== 'served');
    }

    const days = new Map<CaseStage, number>();
    let prevDay = received;
    let stopped = false;
    let extensionDay: number | null = null;
    for (const [k, stage] of stages.entries()) {
      let day: number | { kind: string };
      if (k === 0) day = received;
      else {
        const bound = limits.find((l) => l.span.to === stage && days.has(l.span.from));
        const step = bound
          ? drawSpan(bound, cls, rng)
          : { days: rng.chance(0.6) ? 0 : rng.int(1, 3), unit: 'working' as const };
        const from = bound ? days.get(bound.span.from)! : prevDay;
        day = deadlineDay(calendar, from, step);
        if (typeof day === 'number' && day < prevDay) day = prevDay;
        if (typeof day === 'number' && cls === 'extended' && bound?.extension)
          extensionDay ??= approvalFor(calendar, bound, from, day);
      }
      // Past the calendar's end the case is simply still open at export time.
      if (typeof day !== 'number') {
        stopped = true;
        break;
      }
      days.set(stage, day);
      prevDay = day;
    }
    if (stopped || !days.has('closed')) {
      outcome = 'pending';
      for (const s of ['decided', 'served', 'closed'] as const) days.delete(s);
    }
    // The approval stays only while the span it extended is still in the case.
    if (extensionDay !== null && ![...days.values()].some((d) => d > extensionDay!)) extensionDay = null;

    const times = Object.fromEntries(STAGES.map((s) => [s, null])) as Record<CaseStage, string | null>;
    let lastDay = -1,
      minute = 0;
    for (const s of STAGES) {
      const d = days.get(s);
      if (d === undefined) continue;
      minute = d === lastDay ? Math.min(minute + rng.int(5, 90), 23 * 60 + 59) : rng.int(8 * 60 + 30, 17 * 60 + 30);
      lastDay = d;
      times[s] = shanghaiTimestamp(d, minute);
    }

    const fine =
      outcome === 'penalized' ? drawFine(opts.fineRanges?.[item.code], rng) : { fine_yuan: null, persons: null };
    const subs = item.sub_codes ?? [];
    yield {
      case_id: `SYN-${year}-${String(i + 1).padStart(width, '0')}`,
      bureau_id: opts.bureauId,
      item_code: item.code,
      sub_item_code: subs.length ? subs[rng.int(0, subs.length - 1)]! : null,
      times,
      outcome,
      fine_yuan: fine.fine_yuan,
      persons: fine.persons,
      synthetic: true,
      extension_approved_at: extensionDay === null ? null : formatDay(extensionDay),
    };
  }
}

/**
 * The approval of an extension for a span that ends after its limit's deadline: three units
 * before the original deadline (never before the span starts), as a bureau asks in good time.
 * Null when the span ends within the limit after all (a rest-day move can bring it back inside).
 */
function approvalFor(calendar: HolidayCalendar, limit: TimeLimit, from: number, end: number): number | null {
  const due = deadlineDay(calendar, from, limit);
  if (typeof due !== 'number' || end <= due) return null;
  const asked = deadlineDay(calendar, from, { days: Math.max(1, limit.days - 3), unit: limit.unit });
  return typeof asked === 'number' ? Math.min(asked, due) : due;
}

/** The header with the optional extension column: the generator fills it. */
export function csvHeaderLine(): string {
  return CASE_COLUMNS_WITH_EXTENSION.join(',');
}

/** One CSV line (no newline) in CASE_COLUMNS_WITH_EXTENSION order, as README "Case CSV format" describes. */
export function toCsvLine(c: SyntheticCase): string {
  const cells = [
    c.case_id,
    c.bureau_id,
    c.item_code,
    c.sub_item_code ?? '',
    ...STAGES.map((s) => c.times[s] ?? ''),
    c.outcome,
    c.fine_yuan === null ? '' : String(c.fine_yuan),
    c.persons === null ? '' : String(c.persons),
    String(c.synthetic),
    c.extension_approved_at ?? '',
  ];
  return cells.map(csvField).join(',');
}
