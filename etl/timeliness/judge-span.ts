/**
 * Whether one stage span of a case kept its statutory limit, counted on the official calendar.
 * Pure; the reference for the set-based SQL in etl/load/case-aggregates.ts.
 *
 * The span runs from the day of the earlier stage to the day of the later one (Asia/Shanghai
 * dates). It is on time when the later day is not after the deadline (deadlineDay: the n-th
 * working day after the start, or start + n calendar days moved off a rest day). Working days
 * used are counted the same way as the deadline: days after the start, up to the end.
 *
 * Extensions (延长): a span late by its limit is on time within an extension when the case has an
 * approved extension, the limit provides one, the approval came no later than the original
 * deadline (a period that has run out cannot be extended), and the end is not after the extended
 * deadline. The extension runs on, in its own unit, from the day the original period ends
 * (the n-th working day, or start + n before any move off a rest day): 20 + 10 working days are
 * 30 working days, 45 + 15 days are 60 days.
 */
import type { HolidayCalendar } from '../calendar/holiday-calendar.ts';
import { deadlineDay, workingDaysBetweenDays } from '../calendar/working-days.ts';
import type { TimeLimitSpec } from '../calendar/working-days.ts';

/**
 * What an approved extension did for a span late by its limit: `applied` (on time within it),
 * `exceeded` (late even with it), `no_provision` (the limit provides no extension),
 * `approved_late` (approved after the original deadline).
 */
export type ExtensionUse = 'applied' | 'exceeded' | 'no_provision' | 'approved_late';

export type SpanVerdict =
  | { kind: 'on_time'; workingDays: number; deadline: number }
  | { kind: 'late'; workingDays: number; deadline: number; extension?: Exclude<ExtensionUse, 'applied'> }
  | { kind: 'on_time_extended'; workingDays: number; deadline: number; extension: 'applied' }
  | { kind: 'uncovered'; year: number };

export interface SpanLimit extends TimeLimitSpec {
  /** The extension the limit provides, in its own unit; null or absent when none. */
  extension?: TimeLimitSpec | null;
}

/** `approvedDay`: the day an extension was approved for the case (day number), or null. */
export function judgeSpan(
  cal: HolidayCalendar,
  fromDay: number,
  toDay: number,
  limit: SpanLimit,
  approvedDay: number | null = null,
): SpanVerdict {
  const used = workingDaysBetweenDays(cal, fromDay, toDay);
  if (used.kind === 'uncovered') return { kind: 'uncovered', year: used.year };
  if (used.kind === 'invalid') throw new Error(used.reason);
  const due = deadlineDay(cal, fromDay, limit);
  // The deadline itself may lie past the calendar's end while the act came before it.
  if (typeof due !== 'number') {
    if (due.kind === 'invalid') throw new Error(due.reason);
    return { kind: 'on_time', workingDays: used.days, deadline: Number.NaN };
  }
  if (toDay <= due) return { kind: 'on_time', workingDays: used.days, deadline: due };
  const late = { kind: 'late' as const, workingDays: used.days, deadline: due };
  if (approvedDay === null) return late;
  if (!limit.extension) return { ...late, extension: 'no_provision' };
  if (approvedDay > due) return { ...late, extension: 'approved_late' };
  const originalEnd = limit.unit === 'working' ? due : fromDay + limit.days;
  const extended = deadlineDay(cal, originalEnd, limit.extension);
  if (typeof extended !== 'number') {
    if (extended.kind === 'invalid') throw new Error(extended.reason);
    // As above: the end is covered, so it lies before an extended deadline the calendar cannot place.
    return { kind: 'on_time_extended', workingDays: used.days, deadline: Number.NaN, extension: 'applied' };
  }
  return toDay <= extended
    ? { kind: 'on_time_extended', workingDays: used.days, deadline: extended, extension: 'applied' }
    : { ...late, deadline: extended, extension: 'exceeded' };
}
