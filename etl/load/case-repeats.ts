/**
 * One case id per bureau, kept set-based after the cases of a file are COPYed in:
 * - inside the file, a case id on a later valid row repeats the first one: that row is rejected
 *   and the first kept;
 * - a case id loaded from an earlier file is replaced by the new row (exports are snapshots: a
 *   case pending in January's export is decided in February's).
 * Case-handling systems usually export in case-id order: while the ids of the valid rows keep
 * ascending, no id can repeat, and the check inside the file is skipped. Any other file gets it
 * in SQL, one GROUP BY over its rows.
 */
import type { Session } from '../../db/connect.ts';
import type { Reject } from './case-rejects.ts';

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
 * Deletes the later rows of each case id repeated inside file `fileId` and returns them as
 * rejects, in line order. Runs in the load's transaction.
 */
export async function rejectRepeats(s: Session, bureauId: string, fileId: number, watch: RepeatWatch): Promise<Reject[]> {
  if (watch.ascending) return [];
  // First the repeated ids alone (one scan, usually none), then their rows.
  await s.query(
    `CREATE TEMP TABLE case_repeated ON COMMIT DROP AS
       SELECT case_id, min(source_line) AS first_line FROM case_record
        WHERE bureau_id = $1 AND file_id = $2 GROUP BY case_id HAVING count(*) > 1`,
    [bureauId, fileId],
  );
  const ids = await s.query<{ case_id: string; first_line: number }>('SELECT case_id, first_line FROM case_repeated');
  if (!ids.length) return [];
  const firstLine = new Map(ids.map((r) => [r.case_id, r.first_line]));
  const repeats = (
    await s.query<{ line: number; case_id: string }>(
      `SELECT source_line AS line, case_id FROM case_record
        WHERE bureau_id = $1 AND file_id = $2 AND case_id = ANY($3::text[]) ORDER BY source_line`,
      [bureauId, fileId, [...firstLine.keys()]],
    )
  )
    .filter((r) => r.line !== firstLine.get(r.case_id))
    .map((r) => ({ ...r, first_line: firstLine.get(r.case_id)! }));
  if (!repeats.length) return [];
  await s.query('DELETE FROM case_record WHERE bureau_id = $1 AND file_id = $2 AND source_line = ANY($3::int[])', [bureauId, fileId, repeats.map((r) => r.line)]);
  return repeats.map((r) => ({
    line: r.line,
    field: 'case_id',
    value: r.case_id,
    reason: `repeats the case_id of line ${r.first_line} of this file; the first row is kept`,
  }));
}

/** Deletes the bureau's rows from earlier files whose case id file `fileId` loads again; returns how many. */
export async function replaceEarlierCases(s: Session, bureauId: string, fileId: number): Promise<number> {
  const [earlier] = await s.query('SELECT 1 FROM case_file WHERE bureau_id = $1 AND file_id <> $2 LIMIT 1', [bureauId, fileId]);
  if (!earlier) return 0;
  const [{ n }] = await s.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM case_record o
        WHERE o.bureau_id = $1 AND o.file_id <> $2
          AND o.case_id IN (SELECT case_id FROM case_record WHERE bureau_id = $1 AND file_id = $2)
       RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [bureauId, fileId],
  );
  return n;
}
