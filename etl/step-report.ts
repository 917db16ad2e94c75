import type { FileAggregates } from './load/case-file-aggregates.ts';

/** What one step of an ETL run reports: recorded in etl_run.detail and printed by the CLI. */
export interface StepReport {
  step: string;
  file: string;
  status: 'loaded' | 'unchanged' | 'failed';
  detail: string;
  /**
   * Case rows read, loaded and rejected (case-file steps only); `unreadable`: rejected lines that
   * could not be read as a record at all (broken quoting, bad bytes, too long).
   */
  rows?: { in: number; loaded: number; rejected: number; unreadable?: number };
  /** What a case file changed (case-file steps that loaded): the aggregate refresh rebuilds only these years. */
  cases?: {
    bureauId: string;
    fileId: number;
    years: number[];
    /** The file's own summary rows, when they make up those years (case-load.ts); never recorded. */
    aggregates?: FileAggregates | null;
  };
}
