import type { Db } from '../../db/connect.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';

export const RUN_SPEC = {
  run_id: 'int',
  trigger: 'string',
  status: 'string',
  started_at: 'string',
  finished_at: 'string',
  rows_in: 'int',
  rows_loaded: 'int',
  rows_rejected: 'int',
  steps: 'int',
  detail: 'string',
  error: 'string',
} as const satisfies TableSpec;

/** The latest ETL runs, newest first, times in China (runs are the server's, not one bureau's). */
export async function etlRuns(db: Db, { limit = 200 }: { limit?: number }): Promise<RowOf<typeof RUN_SPEC>[]> {
  return db.session((s) =>
    s.query<RowOf<typeof RUN_SPEC>>(
      `SELECT run_id, trigger, status, to_char(started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') AS started_at,
              to_char(finished_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') AS finished_at,
              rows_in, rows_loaded, rows_rejected, jsonb_array_length(detail)::int AS steps, detail::text AS detail, error
         FROM etl_run ORDER BY run_id DESC LIMIT $1`,
      [limit],
    ),
  );
}
