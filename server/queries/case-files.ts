import type { Db } from '../../db/connect.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';

export const FILE_SPEC = {
  file_id: 'int',
  file_name: 'string',
  synthetic: 'bool',
  rows_in: 'int',
  rows_loaded: 'int',
  rows_rejected: 'int',
  cases_now: 'int',
  loaded_at: 'string',
  content_hash: 'string',
} as const satisfies TableSpec;
export const REJECT_SPEC = {
  line: 'int',
  field: 'string',
  value: 'string',
  reason: 'string',
} as const satisfies TableSpec;

/** The loaded case files, newest first, with how many of their cases are still current. */
export async function caseFiles(db: Db, bureauId: string): Promise<RowOf<typeof FILE_SPEC>[]> {
  return db.session((s) =>
    s.query<RowOf<typeof FILE_SPEC>>(
      `SELECT f.file_id, f.file_name, f.synthetic, f.rows_in, f.rows_loaded, f.rows_rejected,
              (SELECT count(*)::int FROM case_record r WHERE r.bureau_id = $1 AND r.file_id = f.file_id) AS cases_now,
              to_char(f.loaded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') AS loaded_at, f.content_hash
         FROM case_file f WHERE f.bureau_id = $1 ORDER BY f.file_id DESC`,
      [bureauId],
    ),
  );
}

export async function caseFileExists(db: Db, bureauId: string, { fileId }: { fileId: number }): Promise<boolean> {
  const known = await db.session((s) =>
    s.query('SELECT 1 FROM case_file WHERE bureau_id = $1 AND file_id = $2', [bureauId, fileId]),
  );
  return known.length > 0;
}

/** The rows a case file's load refused, in line order. */
export async function caseRejects(
  db: Db,
  bureauId: string,
  { fileId, limit }: { fileId: number; limit: number },
): Promise<RowOf<typeof REJECT_SPEC>[]> {
  return db.session((s) =>
    s.query<RowOf<typeof REJECT_SPEC>>(
      'SELECT line, field, value, reason FROM case_reject WHERE bureau_id = $1 AND file_id = $2 ORDER BY line, field LIMIT $3',
      [bureauId, fileId, limit],
    ),
  );
}
