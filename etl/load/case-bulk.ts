/**
 * Stages a case file through the bulk path (case-sql-validate.ts): COPY the bytes, take the
 * certain rows set-based, hand the rest to validateCaseRow. Runs inside the load's transaction
 * under a savepoint; returns null (everything of it undone) when PostgreSQL's CSV reading would
 * not match the file's lines, so the caller streams the file instead.
 */
import type { Session } from '../../server/db/connect.ts';
import { CASE_COLUMNS, validateCaseRow, type CaseRowContext } from '../parse/case-csv.ts';
import { openCopy } from './case-copy.ts';
import { mergeRowErrors, type RejectsWriter } from './case-rejects.ts';
import { copyRawFile, CREATE_RAW, knownCodesSql, stageCertainSql, SUSPECTS_SQL, validDaysSql } from './case-sql-validate.ts';
import { STAGE_TARGET, stageLine } from './case-stage-line.ts';

export interface BulkStaged {
  rowsIn: number;
  staged: number;
  /** Rows the SQL was not sure about and validateCaseRow looked at. */
  checkedInNode: number;
}

export interface BulkOptions {
  bureauId: string;
  now: Date;
  /** Data records the file must hold (its lines minus the header). */
  expectedRows: number;
  ctx: CaseRowContext;
  rejects: RejectsWriter;
  onChunk?: (p: { bytes: number; lines: number }) => void | Promise<void>;
}

const PAGE = 5_000;

export async function stageBulk(s: Session, path: string, o: BulkOptions): Promise<BulkStaged | null> {

  await s.query('SAVEPOINT case_bulk');
  await s.query(CREATE_RAW);
  try {
    await copyRawFile(s, path, o.onChunk);
  } catch (err) {
    // Refused data (a short row, an empty line): undo and stream. A dead connection cannot roll
    // back to the savepoint, and then the original error is the one to report.
    await s.query('ROLLBACK TO SAVEPOINT case_bulk').catch(() => {
      throw err;
    });
    return null;
  }
  const [{ n: rowsIn }] = await s.query<{ n: number }>('SELECT count(*)::int AS n FROM case_raw');
  if (rowsIn !== o.expectedRows) {
    // A `\.` line ends CSV data early; any other mismatch means records are not lines.
    await s.query('ROLLBACK TO SAVEPOINT case_bulk');
    return null;
  }
  await s.query('RELEASE SAVEPOINT case_bulk');
  await s.query(knownCodesSql(), [o.bureauId]);
  await s.script(validDaysSql(o.now.getUTCFullYear() + 1));
  await s.query('SAVEPOINT case_certain');
  try {
    await s.query(stageCertainSql(true), [o.bureauId, o.now]);
    await s.query('RELEASE SAVEPOINT case_certain');
  } catch (err) {
    // A Beijing-shaped timestamp that is no date (see stageCast): the careful statement instead.
    await s.query('ROLLBACK TO SAVEPOINT case_certain').catch(() => {
      throw err;
    });
    await s.query(stageCertainSql(false), [o.bureauId, o.now]);
  }
  const [{ n: certain }] = await s.query<{ n: number }>('SELECT count(*)::int AS n FROM case_stage');
  if (certain === rowsIn) return { rowsIn, staged: certain, checkedInNode: 0 };

  await s.script(SUSPECTS_SQL);
  let staged = certain, checked = 0;
  for (;;) {
    const page = await s.query<Record<string, string | number>>(`FETCH ${PAGE} FROM case_suspects`);
    if (!page.length) break;
    const good: string[] = [];
    for (const r of page) {
      checked++;
      const line = Number(r.ord) + 1;
      const result = validateCaseRow(CASE_COLUMNS.map((c) => String(r[c])), line, o.ctx);
      if ('errors' in result) await o.rejects.add(mergeRowErrors(result.errors));
      else good.push(stageLine(result.ok));
    }
    if (good.length) {
      // A COPY cannot run while the cursor's FETCH is pending, so each page gets its own.
      const sink = openCopy(s, STAGE_TARGET);
      for (const l of good) {
        const wait = sink.write(l);
        if (wait) await wait;
      }
      await sink.end();
      staged += good.length;
    }
  }
  await s.query('CLOSE case_suspects');
  return { rowsIn, staged, checkedInNode: checked };
}
