/**
 * Loads data/holidays/cn.yaml into work_calendar (one row per covered day) and calendar_year
 * (the notices each year comes from), replacing what was there in one transaction.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { calendarOrThrow, parseHolidayCalendar } from '../calendar/holiday-calendar.ts';
import type { HolidayCalendar } from '../calendar/holiday-calendar.ts';
import { calendarRows } from '../timeliness/calendar-rows.ts';
import { insertRows } from '../../db/insert-rows.ts';

export interface CalendarLoadResult {
  years: number[];
  days: number;
  workingDays: number;
}

export async function loadWorkCalendar(db: Db, cal: HolidayCalendar, sourceFile: string): Promise<CalendarLoadResult> {
  const rows = calendarRows(cal);
  await db.kysely.transaction().execute(async (tx) => {
    await tx.deleteFrom('work_calendar').execute();
    await tx.deleteFrom('calendar_year').execute();
    await insertRows(tx, 'work_calendar', rows);
    await tx
      .insertInto('calendar_year')
      .values(
        cal.years.map((year) => ({
          year,
          source_file: sourceFile,
          sources: sql`${JSON.stringify(cal.sources.get(year) ?? [])}::jsonb`,
        })),
      )
      .execute();
  });
  return { years: [...cal.years], days: rows.length, workingDays: rows.filter((r) => r.working).length };
}

/** Reads, validates and loads a holiday file; an invalid file throws with every issue listed. */
export async function loadWorkCalendarFile(db: Db, path: string): Promise<CalendarLoadResult> {
  const cal = calendarOrThrow(parseHolidayCalendar(await readFile(path, 'utf8'), basename(path)));
  return loadWorkCalendar(db, cal, basename(path));
}
