/**
 * One case id per bureau, kept set-based after the cases of a file are COPYed in:
 * - inside the file, a case id on a later valid row repeats the first one: that row is rejected
 *   and the first kept;
 * - a case id loaded from an earlier file is replaced by the new row (exports are snapshots: a
 *   case pending in January's export is decided in February's).
 * Case-handling systems usually export in case-id order: while the ids of the valid rows keep
 * ascending, no id can repeat, and the check inside the file is skipped. Any other file gets it
 * in SQL, one GROUP BY over its rows.
 *
 * Both steps read the file's rows only in the partitions of the years it wrote, analysed first
 * (case-stats.ts): the replacement is then a hash semi join, linear in the rows it reads, where
 * on stale statistics it was a nested loop (200,000 cases onto 30,000 took 491 s).
 */
import type { Session } from '../../db/connect.ts';
import type { Reject } from './case-rejects.ts';
import { analyzeCaseYears, inYears } from './case-stats.ts';

/** A turn of the event loop before a long statement: on PGlite it blocks this thread while it runs. */
const turn = () => new Promise<void>((r) => setImmediate(r));

/** Watches the valid rows' case ids stream by; `ascending` stays true while each is above the one before. */
export class RepeatWatch {
  ascending = true;
  private last = '';

  note(caseId: string): void {
    if (this.ascending && caseId <= this.last) this.ascending = false;
    this.last = caseId;
  }
}

/**
 * Fresh statistics for the partitions of `years` (the years file rows were written to), before
 * the set-based steps read them. Runs in the load's transaction.
 */
export async function analyzeFileYears(s: Session, years: Iterable<number>): Promise<number[]> {
  await turn();
  const sorted = [...years].sort((a, b) => a - b);
  await analyzeCaseYears(s.query, sorted);
  return sorted;
}

/**
 * Deletes the later rows of each case id repeated inside file `fileId` and returns them as
 * rejects, in line order. `years`: the years the file's rows were written to. Runs in the
 * load's transaction.
 */
export async function rejectRepeats(
  s: Session,
  bureauId: string,
  fileId: number,
  watch: RepeatWatch,
  years: readonly number[],
): Promise<Reject[]> {
  if (watch.ascending) return [];
  // First the repeated ids alone (one scan, usually none), then their rows.
  await s.query(
    `CREATE TEMP TABLE case_repeated ON COMMIT DROP AS
       SELECT case_id, min(source_line) AS first_line FROM case_record
        WHERE bureau_id = $1 AND file_id = $2 AND ${inYears('started_at', years)} GROUP BY case_id HAVING count(*) > 1`,
    [bureauId, fileId],
  );
  const ids = await s.query<{ case_id: string; first_line: number }>('SELECT case_id, first_line FROM case_repeated');
  if (!ids.length) return [];
  const firstLine = new Map(ids.map((r) => [r.case_id, r.first_line]));
  const repeats = (
    await s.query<{ line: number; case_id: string }>(
      `SELECT source_line AS line, case_id FROM case_record
        WHERE bureau_id = $1 AND file_id = $2 AND ${inYears('started_at', years)} AND case_id = ANY($3::text[]) ORDER BY source_line`,
      [bureauId, fileId, [...firstLine.keys()]],
    )
  )
    .filter((r) => r.line !== firstLine.get(r.case_id))
    .map((r) => ({ ...r, first_line: firstLine.get(r.case_id)! }));
  if (!repeats.length) return [];
  await s.query(
    `DELETE FROM case_record WHERE bureau_id = $1 AND file_id = $2 AND ${inYears('started_at', years)} AND source_line = ANY($3::int[])`,
    [bureauId, fileId, repeats.map((r) => r.line)],
  );
  return repeats.map((r) => ({
    line: r.line,
    field: 'case_id',
    value: r.case_id,
    reason: `repeats the case_id of line ${r.first_line} of this file; the first row is kept`,
  }));
}

/**
 * Deletes the bureau's rows from earlier files whose case id file `fileId` loads again. Returns
 * how many, and the years of the rows deleted: their aggregates change too. The earlier rows are
 * looked for in every partition (a newer export may move a case's start to another year), the
 * new ones only in `years`, the years the file wrote to.
 */
export async function replaceEarlierCases(
  s: Session,
  bureauId: string,
  fileId: number,
  years: readonly number[],
): Promise<{ replaced: number; years: number[] }> {
  await turn();
  const [earlier] = await s.query('SELECT 1 FROM case_file WHERE bureau_id = $1 AND file_id <> $2 LIMIT 1', [
    bureauId,
    fileId,
  ]);
  if (!earlier || !years.length) return { replaced: 0, years: [] };
  const gone = await s.query<{ year: number; n: number }>(
    `WITH gone AS (
       DELETE FROM case_record o
        WHERE o.bureau_id = $1 AND o.file_id <> $2
          AND o.case_id IN (SELECT case_id FROM case_record WHERE bureau_id = $1 AND file_id = $2 AND ${inYears('started_at', years)})
       RETURNING o.started_at)
     SELECT extract(year FROM started_at AT TIME ZONE 'Asia/Shanghai')::int AS year, count(*)::int AS n FROM gone GROUP BY 1 ORDER BY 1`,
    [bureauId, fileId],
  );
  return { replaced: gone.reduce((a, r) => a + r.n, 0), years: gone.map((r) => r.year) };
}
