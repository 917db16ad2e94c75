/** What one step of an ETL run reports: recorded in etl_run.detail and printed by the CLI. */
export interface StepReport {
  step: string;
  file: string;
  status: 'loaded' | 'unchanged' | 'failed';
  detail: string;
  /** Case rows read, loaded and rejected (case-file steps only). */
  rows?: { in: number; loaded: number; rejected: number };
  /** What a case file changed (case-file steps that loaded): the aggregate refresh rebuilds only these years. */
  cases?: { bureauId: string; fileId: number; years: number[] };
}
