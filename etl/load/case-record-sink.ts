/**
 * Writes validated cases straight into case_record with COPY in binary format (case-binary.ts),
 * inside the load's transaction: readers see none of them until COMMIT. A case of a year without
 * its partition yet ends the running COPY, creates the partition and starts a new COPY, so rows
 * never land in the default partition for want of one.
 */
import type { Session } from '../../db/connect.ts';
import { yearOfDay } from '../calendar/civil-date.ts';
import type { CaseRecord } from '../parse/case-csv.ts';
import { CaseBinaryEncoder, RECORD_COLUMNS } from './case-binary.ts';
import { openBinaryCopy, type BinaryCopySink } from './case-copy.ts';
import { ensureYearPartitions } from './case-partitions.ts';

const TARGET = `case_record (${RECORD_COLUMNS.join(', ')})`;

const MS_PER_DAY = 86_400_000;

export class CaseRecordSink {
  private copy: { sink: BinaryCopySink; tuples: CaseBinaryEncoder } | null = null;
  /**
   * Per year written (each has its partition, or stays in the default partition), the smallest and
   * largest case id, in byte order (ids are ASCII, so code-unit order is byte order) …
   */
  readonly idRanges = new Map<number, { min: string; max: string }>();
  /** … and the Shanghai day numbers of the last one seen, for a check without date arithmetic. */
  private lo = Infinity;
  private hi = -Infinity;
  readonly partitionsCreated: number[] = [];
  private range: { min: string; max: string } | null = null;
  rows = 0;

  /** The years written to. */
  get years(): number[] {
    return [...this.idRanges.keys()];
  }

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
      if (!this.idRanges.has(year)) return this.newYear(year, c);
      this.range = this.idRanges.get(year)!;
    }
    const range = this.range!;
    if (c.case_id < range.min) range.min = c.case_id;
    else if (c.case_id > range.max) range.max = c.case_id;
    this.rows++;
    if (!this.copy) {
      const sink = openBinaryCopy(this.s, TARGET);
      this.copy = { sink, tuples: new CaseBinaryEncoder(this.fileId, sink.chunkBytes, sink.framed) };
    }
    const { sink, tuples } = this.copy;
    tuples.add(c);
    return tuples.full ? sink.write(tuples.take()) : undefined;
  }

  private async newYear(year: number, c: CaseRecord): Promise<void> {
    // DDL cannot run while a COPY is open on the connection.
    await this.end();
    this.partitionsCreated.push(...(await ensureYearPartitions(this.s, year, year, this.lastYear)));
    this.range = { min: c.case_id, max: c.case_id };
    this.idRanges.set(year, this.range);
    await this.write(c);
  }

  async end(): Promise<void> {
    const copy = this.copy;
    this.copy = null;
    if (!copy) return;
    if (!copy.tuples.empty) await copy.sink.write(copy.tuples.take());
    await copy.sink.end();
  }

  async abort(err: Error): Promise<void> {
    const copy = this.copy;
    this.copy = null;
    if (copy) await copy.sink.abort(err);
  }
}
