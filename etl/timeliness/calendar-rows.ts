/**
 * The rows of the work_calendar table: one per day the holiday file vouches for, with a running
 * working-day index so the database counts working days by subtraction. Pure.
 */
import { dayFromParts, formatDay } from '../calendar/civil-date.ts';
import type { IsoDate } from '../calendar/civil-date.ts';
import type { HolidayCalendar } from '../calendar/holiday-calendar.ts';
import { isWorkingDayNumber } from '../calendar/working-days.ts';
import type { DayKind } from '../calendar/working-days.ts';

export interface CalendarRow {
  day: IsoDate;
  working: boolean;
  kind: DayKind;
  festival: string | null;
  /** Working days from the first covered day up to and including this one. */
  wd_index: number;
  /** First day of the unbroken covered run holding this day. */
  run_start: IsoDate;
}

/** Covered days only: absent years and year-end days that need the next notice are left out. */
export function calendarRows(cal: HolidayCalendar): CalendarRow[] {
  const rows: CalendarRow[] = [];
  if (cal.years.length === 0) return rows;
  const first = dayFromParts(cal.years[0]!, 1, 1)!;
  const last = dayFromParts(cal.years[cal.years.length - 1]!, 12, 31)!;
  let index = 0;
  let runStart: number | null = null;
  for (let d = first; d <= last; d++) {
    const answer = isWorkingDayNumber(cal, d);
    if (answer.kind !== 'ok') {
      runStart = null;
      continue;
    }
    runStart ??= d;
    if (answer.working) index++;
    rows.push({
      day: formatDay(d),
      working: answer.working,
      kind: answer.day,
      festival: answer.festival,
      wd_index: index,
      run_start: formatDay(runStart),
    });
  }
  return rows;
}
