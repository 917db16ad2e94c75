/**
 * Whether one stage span of a case kept its statutory limit, counted on the official calendar.
 * Pure; the reference for the set-based SQL in etl/load/case-aggregates.ts.
 *
 * The span runs from the day of the earlier stage to the day of the later one (Asia/Shanghai
 * dates). It is on time when the later day is not after the deadline (deadlineDay: the n-th
 * working day after the start, or start + n calendar days moved off a rest day). Working days
 * used are counted the same way as the deadline: days after the start, up to the end.
 */
import type { HolidayCalendar } from '../calendar/holiday-calendar.ts';
import { deadlineDay, workingDaysBetweenDays } from '../calendar/working-days.ts';
import type { TimeLimitSpec } from '../calendar/working-days.ts';

export type SpanVerdict =
  | { kind: 'on_time' | 'late'; workingDays: number; deadline: number }
  | { kind: 'uncovered'; year: number };

export function judgeSpan(cal: HolidayCalendar, fromDay: number, toDay: number, limit: TimeLimitSpec): SpanVerdict {
  const used = workingDaysBetweenDays(cal, fromDay, toDay);
  if (used.kind === 'uncovered') return { kind: 'uncovered', year: used.year };
  if (used.kind === 'invalid') throw new Error(used.reason);
  const due = deadlineDay(cal, fromDay, limit);
  // The deadline itself may lie past the calendar's end while the act came before it.
  if (typeof due !== 'number') {
    if (due.kind === 'invalid') throw new Error(due.reason);
    return { kind: 'on_time', workingDays: used.days, deadline: Number.NaN };
  }
  return { kind: toDay <= due ? 'on_time' : 'late', workingDays: used.days, deadline: due };
}
