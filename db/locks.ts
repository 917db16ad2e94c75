/**
 * Every PostgreSQL advisory-lock key the project takes, in one place so no two features can
 * pick the same number. Session locks (pg_advisory_lock) are held across statements;
 * transaction locks (pg_advisory_xact_lock) end with their transaction.
 */
export const LOCKS = {
  /** Session lock: one process applies migrations at a time. */
  migrate: 7_301_001,
  /** Transaction lock: case loads into one database happen one after another. */
  caseLoad: 7_301_005,
  /** Session lock (try): one ETL run at a time across processes. */
  etlRun: 7_301_006,
  /** Transaction lock: aggregate refreshes happen one after another. */
  aggregateRefresh: 7_301_051,
} as const;
