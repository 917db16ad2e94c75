/**
 * One ETL run at a time, across processes: a PostgreSQL advisory lock held on a dedicated
 * session for the whole run (pg_try_advisory_lock: a run that finds it taken is recorded as
 * `skipped`, never queued). PGlite is embedded in one process, so an in-process flag does the
 * same there. Every run, skipped or not, is a row of etl_run.
 */
import type { Db } from '../../db/connect.ts';
import { LOCKS } from '../../db/locks.ts';

export interface RunTotals {
  rowsIn: number;
  rowsLoaded: number;
  rowsRejected: number;
}

const busy = new WeakSet<Db>();

/**
 * Runs `body` holding the run lock, or returns null without running it when another run holds it.
 * Rows left `running` by a process that died are closed as failed once we hold the lock.
 */
export async function withRunLock<T>(
  db: Db,
  now: () => Date,
  body: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  if (db.backend === 'pglite') {
    if (busy.has(db)) return { ran: false };
    busy.add(db);
    try {
      await closeInterrupted(db, now);
      return { ran: true, value: await body() };
    } finally {
      busy.delete(db);
    }
  }
  return db.session(async (s) => {
    const [got] = await s.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LOCKS.etlRun]);
    if (!got?.ok) return { ran: false } as const;
    try {
      await closeInterrupted(db, now);
      return { ran: true, value: await body() } as const;
    } finally {
      await s.query('SELECT pg_advisory_unlock($1)', [LOCKS.etlRun]).catch(() => undefined);
    }
  });
}

async function closeInterrupted(db: Db, now: () => Date) {
  await db.session((s) =>
    s.query(
      `UPDATE etl_run SET status = 'failed', finished_at = $1, error = 'interrupted: the process ended during the run' WHERE status = 'running'`,
      [now()],
    ),
  );
}

export async function startRunRecord(db: Db, trigger: string, startedAt: Date): Promise<number> {
  const [r] = await db.session((s) =>
    s.query<{ run_id: number }>(
      `INSERT INTO etl_run (trigger, started_at, status) VALUES ($1, $2, 'running') RETURNING run_id`,
      [trigger, startedAt],
    ),
  );
  return r!.run_id;
}

export async function finishRunRecord(
  db: Db,
  runId: number,
  r: { status: 'ok' | 'failed'; finishedAt: Date; totals: RunTotals; steps: unknown[]; error: string | null },
): Promise<void> {
  await db.session((s) =>
    s.query(
      `UPDATE etl_run SET status = $2, finished_at = $3, rows_in = $4, rows_loaded = $5, rows_rejected = $6, detail = $7::jsonb, error = $8 WHERE run_id = $1`,
      [
        runId,
        r.status,
        r.finishedAt,
        r.totals.rowsIn,
        r.totals.rowsLoaded,
        r.totals.rowsRejected,
        JSON.stringify(r.steps),
        r.error,
      ],
    ),
  );
}

export async function recordSkippedRun(db: Db, trigger: string, at: Date): Promise<number> {
  const [r] = await db.session((s) =>
    s.query<{ run_id: number }>(
      `INSERT INTO etl_run (trigger, started_at, finished_at, status, error) VALUES ($1, $2, $2, 'skipped', 'another ETL run was in progress') RETURNING run_id`,
      [trigger, at],
    ),
  );
  return r!.run_id;
}

/** When the last run that actually ran (not skipped) started; null when there was none. */
export async function lastRunStartedAt(db: Db): Promise<Date | null> {
  const [r] = await db.session((s) =>
    s.query<{ at: Date | string | null }>(`SELECT max(started_at) AS at FROM etl_run WHERE status <> 'skipped'`),
  );
  return r?.at ? new Date(r.at) : null;
}
