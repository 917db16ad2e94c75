/**
 * Working-day arithmetic over China's official holiday arrangement.
 *
 * Counting convention (the one 行政许可法 and the civil-procedure period rules use): a period
 * "from day S" starts counting the day AFTER S. So `workingDaysBetween(S, E)` counts working
 * days d with S < d <= E, and `addWorkingDays(S, n)` is the n-th working day after S. A case
 * received on Friday and decided the next Monday used 1 working day.
 *
 * Every answer that touches a date the calendar does not cover is `{ kind: 'uncovered' }`:
 * guessing "all weekdays work" would silently misjudge timeliness around unknown holidays.
 */
import { dayFromParts, formatDay, isWeekend, parseIsoDate, yearOfDay } from './civil-date.ts';
import type { IsoDate } from './civil-date.ts';
import type { HolidayCalendar } from './holiday-calendar.ts';

export type Uncovered = {
  kind: 'uncovered';
  date: IsoDate;
  /** The notice year whose absence makes the date unknowable. */
  year: number;
  reason: 'year_absent' | 'year_end_needs_next_year';
};
export type InvalidInput = { kind: 'invalid'; reason: string };

export type DayKind = 'weekday' | 'weekend' | 'holiday' | 'makeup_workday';
export type WorkingDayAnswer =
  | { kind: 'ok'; working: boolean; day: DayKind; festival: string | null }
  | Uncovered
  | InvalidInput;
export type CountAnswer = { kind: 'ok'; days: number } | Uncovered | InvalidInput;
export type DateAnswer = { kind: 'ok'; date: IsoDate } | Uncovered | InvalidInput;

export interface TimeLimitSpec {
  days: number;
  unit: 'working' | 'calendar';
}

function uncovered(day: number, year: number, reason: Uncovered['reason']): Uncovered {
  return { kind: 'uncovered', date: formatDay(day), year, reason };
}

/** Null when `day` is covered; otherwise why not. */
export function coverageOfDay(cal: HolidayCalendar, day: number): Uncovered | null {
  const y = yearOfDay(day);
  if (!cal.years.includes(y)) return uncovered(day, y, 'year_absent');
  const windowStart = dayFromParts(y, cal.yearEndDependsFrom.month, cal.yearEndDependsFrom.day)!;
  if (day >= windowStart && !cal.years.includes(y + 1)) return uncovered(day, y + 1, 'year_end_needs_next_year');
  return null;
}

/** The first uncovered day in [from, to], or null when all are covered. */
export function firstUncovered(cal: HolidayCalendar, from: number, to: number): Uncovered | null {
  if (to < from) return null;
  const first = coverageOfDay(cal, from);
  if (first) return first;
  // Coverage changes only at year starts and year-end windows, so checking those suffices.
  for (let y = yearOfDay(from); y <= yearOfDay(to); y++) {
    const starts = [dayFromParts(y, 1, 1)!, dayFromParts(y, cal.yearEndDependsFrom.month, cal.yearEndDependsFrom.day)!];
    for (const d of starts) {
      if (d < from || d > to) continue;
      const u = coverageOfDay(cal, d);
      if (u) return u;
    }
  }
  return null;
}

function workingIndexed(cal: HolidayCalendar, day: number): boolean {
  const i = day - cal.baseDay;
  return i === 0 ? cal.prefix[0] === 1 : cal.prefix[i]! - cal.prefix[i - 1]! === 1;
}

export function isWorkingDayNumber(cal: HolidayCalendar, day: number): WorkingDayAnswer {
  const u = coverageOfDay(cal, day);
  if (u) return u;
  const o = cal.overrides.get(day);
  if (o) return { kind: 'ok', working: o.kind === 'makeup_workday', day: o.kind, festival: o.name };
  const weekend = isWeekend(day);
  return { kind: 'ok', working: !weekend, day: weekend ? 'weekend' : 'weekday', festival: null };
}

export function isWorkingDay(cal: HolidayCalendar, date: IsoDate): WorkingDayAnswer {
  const day = parseIsoDate(date);
  if (day === null) return { kind: 'invalid', reason: `"${date}" is not a date YYYY-MM-DD` };
  return isWorkingDayNumber(cal, day);
}

/** Working days d with start < d <= end (day numbers). */
export function workingDaysBetweenDays(cal: HolidayCalendar, start: number, end: number): CountAnswer {
  if (end < start) return { kind: 'invalid', reason: `end ${formatDay(end)} is before start ${formatDay(start)}` };
  const u = firstUncovered(cal, start + 1, end);
  if (u) return u;
  if (end === start) return { kind: 'ok', days: 0 };
  return { kind: 'ok', days: cal.prefix[end - cal.baseDay]! - cal.prefix[start - cal.baseDay]! };
}

export function workingDaysBetween(cal: HolidayCalendar, start: IsoDate, end: IsoDate): CountAnswer {
  const s = parseIsoDate(start),
    e = parseIsoDate(end);
  if (s === null || e === null)
    return { kind: 'invalid', reason: `"${s === null ? start : end}" is not a date YYYY-MM-DD` };
  return workingDaysBetweenDays(cal, s, e);
}

/** Day number of the n-th working day after `start` (n = 0 gives `start`), or why not. */
export function addWorkingDaysToDay(cal: HolidayCalendar, start: number, n: number): number | Uncovered | InvalidInput {
  if (!Number.isInteger(n) || n < 0)
    return { kind: 'invalid', reason: `working-day count must be a whole number >= 0, got ${n}` };
  if (n === 0) return start;
  const i0 = start - cal.baseDay;
  const last = cal.prefix.length - 1;
  if (i0 < 0 || i0 >= last)
    return coverageOfDay(cal, start + 1) ?? uncovered(start + 1, yearOfDay(start + 1), 'year_absent');
  const target = cal.prefix[i0]! + n;
  if (cal.prefix[last]! < target) return uncovered(cal.baseDay + last, yearOfDay(cal.baseDay + last), 'year_absent');
  let lo = i0 + 1,
    hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cal.prefix[mid]! >= target) hi = mid;
    else lo = mid + 1;
  }
  const day = cal.baseDay + lo;
  return firstUncovered(cal, start + 1, day) ?? day;
}

export function addWorkingDays(cal: HolidayCalendar, start: IsoDate, n: number): DateAnswer {
  const s = parseIsoDate(start);
  if (s === null) return { kind: 'invalid', reason: `"${start}" is not a date YYYY-MM-DD` };
  const r = addWorkingDaysToDay(cal, s, n);
  return typeof r === 'number' ? { kind: 'ok', date: formatDay(r) } : r;
}

/**
 * The last day on which an act is still on time for a limit counted from `start`.
 * Working-day limits: the n-th working day after start. Calendar-day limits: start + n, moved
 * to the next working day when that day is a rest day (民事诉讼法's rule for periods ending
 * on a holiday, which 行政处罚法 art. 61 and the arbitration rules follow).
 */
export function deadlineDay(
  cal: HolidayCalendar,
  start: number,
  limit: TimeLimitSpec,
): number | Uncovered | InvalidInput {
  if (limit.unit === 'working') return addWorkingDaysToDay(cal, start, limit.days);
  if (!Number.isInteger(limit.days) || limit.days < 0)
    return { kind: 'invalid', reason: `day count must be a whole number >= 0, got ${limit.days}` };
  let day = start + limit.days;
  const u = firstUncovered(cal, start + 1, day);
  if (u) return u;
  while (!workingIndexed(cal, day)) {
    day++;
    const next = coverageOfDay(cal, day);
    if (next) return next;
  }
  return day;
}

export function deadline(cal: HolidayCalendar, start: IsoDate, limit: TimeLimitSpec): DateAnswer {
  const s = parseIsoDate(start);
  if (s === null) return { kind: 'invalid', reason: `"${start}" is not a date YYYY-MM-DD` };
  const r = deadlineDay(cal, s, limit);
  return typeof r === 'number' ? { kind: 'ok', date: formatDay(r) } : r;
}
