import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calendarOrThrow, parseHolidayCalendar } from '../../etl/calendar/holiday-calendar.ts';
import { csvHeaderLine, syntheticCases, toCsvLine, type SyntheticCase } from '../../etl/generate/synthetic-cases.ts';
import { STAGES } from '../../etl/parse/case-csv.ts';
import { parseTimeLimits, timeLimitsOrThrow } from '../../etl/registry/time-limits.ts';
import type { Db } from '../../db/connect.ts';
import { loadWorkCalendarFile } from '../../etl/load/calendar-load.ts';
import { SUMMARY_TABLES } from '../../etl/load/case-aggregates.ts';
import { syntheticInputsOf, writeSyntheticCsv } from '../../etl/load/case-synthetic.ts';
import { loadTimeLimitsFile } from '../../etl/load/time-limits-load.ts';
import { BUNDLED_FILES, BUNDLED_LIST, BUREAU_FILE } from './bundled.ts';
import { ROOT } from './test-db.ts';

/** A case_record row as tests insert it (the loader is not under test here). */
export interface CaseRow {
  bureau_id: string;
  case_id: string;
  item_code: string;
  sub_item_code: string | null;
  received_at: string | null;
  accepted_at: string | null;
  investigated_at: string | null;
  reviewed_at: string | null;
  decided_at: string | null;
  served_at: string | null;
  closed_at: string | null;
  started_at: string;
  outcome: string;
  fine_yuan: number | null;
  persons: number | null;
  synthetic: boolean;
  file_id: number;
  /** YYYY-MM-DD (0014); null: no extension approved. */
  extension_approved_at: string | null;
}

export type CaseInput = Partial<CaseRow> & Pick<CaseRow, 'case_id' | 'item_code'>;

export const HOLIDAYS_FILE = BUNDLED_FILES.holidays;
export const TIME_LIMITS_FILE = BUNDLED_FILES.timeLimits;

export async function loadReferenceData(db: Db): Promise<void> {
  await loadWorkCalendarFile(db, HOLIDAYS_FILE);
  await loadTimeLimitsFile(db, TIME_LIMITS_FILE);
}

/** Inserts cases with plain Kysely inserts; started_at defaults to received, else accepted. */
export async function insertCases(db: Db, bureauId: string, cases: readonly CaseInput[]): Promise<void> {
  const rows: CaseRow[] = cases.map((c) => {
    const row: CaseRow = {
      bureau_id: bureauId,
      sub_item_code: null,
      received_at: null,
      accepted_at: null,
      investigated_at: null,
      reviewed_at: null,
      decided_at: null,
      served_at: null,
      closed_at: null,
      outcome: 'pending',
      fine_yuan: null,
      persons: null,
      synthetic: false,
      file_id: 1,
      extension_approved_at: null,
      started_at: '',
      ...c,
    };
    row.started_at ||= (row.received_at ?? row.accepted_at)!;
    return row;
  });
  const k = db.kysely.withTables<{ case_record: CaseRow }>();
  for (let i = 0; i < rows.length; i += 1000)
    await k
      .insertInto('case_record')
      .values(rows.slice(i, i + 1000))
      .execute();
}

/** Synthetic cases for the bundled list's items (those with a code), generated then inserted. */
export async function insertSyntheticCases(
  db: Db,
  bureauId: string,
  opts: { rows: number; seed: string; year: number },
): Promise<SyntheticCase[]> {
  const cases = await syntheticCasesFor(db, bureauId, opts);
  await insertCases(
    db,
    bureauId,
    cases.map((c) => ({
      case_id: c.case_id,
      item_code: c.item_code,
      sub_item_code: c.sub_item_code,
      outcome: c.outcome,
      fine_yuan: c.fine_yuan,
      persons: c.persons,
      synthetic: true,
      extension_approved_at: c.extension_approved_at,
      ...Object.fromEntries(STAGES.map((s) => [`${s}_at`, c.times[s]])),
    })),
  );
  return cases;
}

/** Synthetic cases for the items (those with a code) of a bureau's latest loaded list. */
export async function syntheticCasesFor(
  db: Db,
  bureauId: string,
  opts: { rows: number; seed: string; year: number },
): Promise<SyntheticCase[]> {
  const items = await db.kysely
    .selectFrom('item')
    .select(['code', 'seq', 'power_type', 'section', 'name', 'basis'])
    .where('bureau_id', '=', bureauId)
    .where('code', 'is not', null)
    .orderBy('seq')
    .execute();
  const calendar = calendarOrThrow(parseHolidayCalendar(readFileSync(HOLIDAYS_FILE, 'utf8'), 'cn.yaml'));
  const limits = timeLimitsOrThrow(parseTimeLimits(readFileSync(TIME_LIMITS_FILE, 'utf8'), 'time-limits.yaml'));
  return [
    ...syntheticCases({
      ...syntheticInputsOf(items),
      seed: opts.seed,
      rows: opts.rows,
      year: opts.year,
      calendar,
      limits,
      bureauId,
    }),
  ];
}

/** Cases as the case CSV an export would be (README "Case CSV format"). */
export function writeCasesCsv(cases: readonly SyntheticCase[], path: string): string {
  writeFileSync(path, `${[csvHeaderLine(), ...cases.map(toCsvLine)].join('\n')}\n`);
  return path;
}

/**
 * Data lines of a synthetic export for the bundled list, written by the generator into `dir`,
 * without the optional extension_approved_at column: the files the tests build keep the 15
 * required ones.
 */
export async function syntheticCaseLines(
  dir: string,
  opts: { rows: number; seed: number; year: number },
): Promise<string[]> {
  const out = join(dir, `synthetic-${opts.year}-${opts.seed}.csv`);
  await writeSyntheticCsv({ root: ROOT, listFile: BUNDLED_LIST, bureauFile: BUREAU_FILE, ...opts, out });
  return (await readFile(out, 'utf8'))
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.slice(0, l.lastIndexOf(',')));
}

/**
 * Every summary table a refresh writes as sorted JSON lines, refresh stamps aside, to compare two
 * refreshes; month-keyed rows only of `year` when given.
 */
export async function summarySnapshot(db: Db, year?: number): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of SUMMARY_TABLES) {
    out[table] = (await db.session((s) => s.query<Record<string, unknown>>(`SELECT * FROM ${table}`)))
      .filter((r) => year === undefined || typeof r.month !== 'string' || r.month.startsWith(`${year}-`))
      .map(({ refreshed_at: _, ...r }) => JSON.stringify(r))
      .sort();
  }
  return out;
}
