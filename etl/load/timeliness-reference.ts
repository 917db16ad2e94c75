/**
 * ETL step: the holiday calendar and the time-limit registry the timeliness judgement needs,
 * reloaded only when a file's content changed (its hash rides in source_file). A change is
 * reported as `loaded`, which makes the run refresh the case aggregates.
 */
import { basename } from 'node:path';
import type { Db } from '../../db/connect.ts';
import type { Log } from '../../core/log.ts';
import { calendarOrThrow, parseHolidayCalendar } from '../calendar/holiday-calendar.ts';
import { parseTimeLimits, timeLimitsOrThrow } from '../registry/time-limits.ts';
import { loadWorkCalendar } from './calendar-load.ts';
import { loadTimeLimits } from './time-limits-load.ts';
import type { StepReport } from '../step-report.ts';
import type { DataFiles } from '../../core/config.ts';
import { readTextFile } from '../sources/source-file.ts';

async function tagged(path: string): Promise<{ text: string; tag: string }> {
  const file = await readTextFile(path);
  return { text: file.text, tag: `${file.name}@${file.hash.slice(0, 16)}` };
}

export async function timelinessReferenceStep(
  deps: { db: Db; log: Log },
  files: Pick<DataFiles, 'holidays' | 'timeLimits'>,
): Promise<StepReport> {
  try {
    const [cal, lim] = await Promise.all([tagged(files.holidays), tagged(files.timeLimits)]);
    const [hasCal, hasLim] = await Promise.all([
      deps.db.kysely
        .selectFrom('calendar_year')
        .select('year')
        .where('source_file', '=', cal.tag)
        .limit(1)
        .executeTakeFirst(),
      deps.db.kysely
        .selectFrom('time_limit')
        .select('limit_id')
        .where('source_file', '=', lim.tag)
        .limit(1)
        .executeTakeFirst(),
    ]);
    const done: string[] = [];
    if (!hasCal) {
      const r = await loadWorkCalendar(
        deps.db,
        calendarOrThrow(parseHolidayCalendar(cal.text, basename(files.holidays))),
        cal.tag,
      );
      done.push(`calendar ${r.years[0]}–${r.years[r.years.length - 1]} (${r.days} days)`);
    }
    if (!hasLim)
      done.push(
        `${await loadTimeLimits(deps.db, timeLimitsOrThrow(parseTimeLimits(lim.text, basename(files.timeLimits))), lim.tag)} time limits`,
      );
    const detail = done.length ? `loaded ${done.join(', ')}` : 'calendar and time limits unchanged';
    deps.log.info(`timeliness reference: ${detail}`);
    return {
      step: 'timeliness-reference',
      file: `${cal.tag} ${lim.tag}`,
      status: done.length ? 'loaded' : 'unchanged',
      detail,
    };
  } catch (err) {
    const detail = (err as Error).message;
    deps.log.error(`timeliness reference: ${detail}`);
    return { step: 'timeliness-reference', file: '', status: 'failed', detail };
  }
}
