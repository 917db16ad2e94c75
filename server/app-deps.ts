import type { Db } from '../db/connect.ts';
import type { ListLoadOptions, RunReport } from '../etl/run-etl.ts';
import type { ListLoadResult } from '../etl/load/list-load.ts';

/** What the app's routes are given: the database, the bureau, the token and injected effects. */
export interface AppDeps {
  db: Db;
  bureauId: string;
  /** Bearer token required by every endpoint that changes data; null refuses them all. */
  adminToken: string | null;
  /** The built web app to serve at /, when present. */
  webDir?: string | null;
  /** The clock for generated documents (report dates); tests pass a fixed one. Default: the system clock. */
  now?: () => Date;
  /** Runs the ETL once (POST /api/admin/etl/run); absent: the endpoint answers 503. */
  runEtl?: (trigger: string) => Promise<RunReport>;
  /** Loads a list file as a new version (POST /api/admin/lists), as `etl load` does; absent: 503. */
  loadList?: (path: string, meta: ListLoadOptions) => Promise<ListLoadResult>;
  /** Where POST /api/admin/cases puts uploads for the next run. */
  inboxDir?: string | null;
  /** Largest accepted upload, bytes (default 200 MB). */
  uploadLimitBytes?: number;
}
