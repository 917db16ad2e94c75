/**
 * Writes validated cases straight into case_record with COPY (CSV format), inside the load's
 * transaction: readers see none of them until COMMIT. A case of a year without its partition
 * yet ends the running COPY, creates the partition and starts a new COPY, so rows never land
 * in the default partition for want of one.
 */
import type { Session } from '../../db/connect.ts';
import { formatDay, yearOfDay } from '../calendar/civil-date.ts';
import { STAGES, type CaseRecord } from '../parse/case-csv.ts';
import { openCopy, type CopySink } from './case-copy.ts';
import { ensureYearPartitions } from './case-partitions.ts';

const STAGE_COLUMNS = STAGES.map((s) => `${s}_at`);
const TARGET = `case_record (bureau_id, case_id, item_code, sub_item_code, ${STAGE_COLUMNS.join(', ')}, started_at, outcome, fine_yuan, persons, synthetic, file_id, source_line, extension_approved_at)`;

/**
 * One case as a CSV line for TARGET. Validated values hold no comma, quote or line break, so no
 * field needs quoting; an empty field is NULL.
 */
export function caseCsvLine(c: CaseRecord, fileId: number): string {
  const t = c.times;
  return `${c.bureau_id},${c.case_id},${c.item_code},${c.sub_item_code ?? ''},${t.received ?? ''},${t.accepted ?? ''},${t.investigated ?? ''},${t.reviewed ?? ''},${t.decided ?? ''},${t.served ?? ''},${t.closed ?? ''},${t.received ?? t.accepted},${c.outcome},${c.fine_yuan ?? ''},${c.persons ?? ''},${c.synthetic},${fileId},${c.line},${c.extensionApprovedDay === null ? '' : formatDay(c.extensionApprovedDay)}\n`;
}

const MS_PER_DAY = 86_400_000;

export class CaseRecordSink {
  private copy: CopySink | null = null;
  /** Years written to, which have their partition (or stay in the default partition) … */
  readonly years = new Set<number>();
  /** … and the Shanghai day numbers of the last one seen, for a check without date arithmetic. */
  private lo = Infinity;
  private hi = -Infinity;
  readonly partitionsCreated: number[] = [];
  rows = 0;

  constructor(
    private readonly s: Session,
    private readonly fileId: number,
    /** Years after this one stay in the default partition (case-partitions.ts). */
    private readonly lastYear: number,
  ) {}

  /** Returns a promise only when the caller must wait (COPY backpressure or a new partition). */
  write(c: CaseRecord): Promise<void> | undefined {
    if (c.startedDay < this.lo || c.startedDay > this.hi) {
      const year = yearOfDay(c.startedDay);
      this.lo = Date.UTC(year, 0, 1) / MS_PER_DAY;
      this.hi = Date.UTC(year + 1, 0, 1) / MS_PER_DAY - 1;
      if (!this.years.has(year)) return this.newYear(year, c);
    }
    this.rows++;
    return (this.copy ??= openCopy(this.s, TARGET, { format: 'csv' })).write(caseCsvLine(c, this.fileId));
  }

  private async newYear(year: number, c: CaseRecord): Promise<void> {
    // DDL cannot run while a COPY is open on the connection.
    if (this.copy) await this.copy.end();
    this.copy = null;
    this.partitionsCreated.push(...(await ensureYearPartitions(this.s, year, year, this.lastYear)));
    this.years.add(year);
    await this.write(c);
  }

  async end(): Promise<void> {
    if (this.copy) await this.copy.end();
    this.copy = null;
  }

  async abort(err: Error): Promise<void> {
    if (this.copy) await this.copy.abort(err);
    this.copy = null;
  }
}
