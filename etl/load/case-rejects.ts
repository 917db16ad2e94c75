/**
 * Where rejected case rows go while a load runs: a CSV for people (line, field, value, reason),
 * written under a temporary name next to the input and renamed only when the load commits, and a
 * COPY-format twin in the temp folder that feeds the case_reject table in one COPY.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import type { RowError } from '../parse/case-csv.ts';
import { copyField } from './case-copy.ts';
import { spreadsheetCell } from '../export/csv-cell.ts';
import { alive } from '../../db/folder-lock.ts';

export interface Reject {
  line: number;
  field: string;
  value: string;
  reason: string;
}

/** `cases.csv` → `cases.rejects.csv`, in the same folder. */
export function rejectsPathFor(input: string): string {
  return join(dirname(input), `${basename(input).replace(/\.csv$/i, '')}.rejects.csv`);
}

/** One row's problems, with several reasons for the same field joined (the table keys on line+field). */
export function mergeRowErrors(errors: readonly RowError[]): Reject[] {
  const byField = new Map<string, Reject>();
  for (const e of errors) {
    const seen = byField.get(e.field);
    if (seen) seen.reason += `; ${e.reason}`;
    else byField.set(e.field, { line: e.line, field: e.field, value: e.value, reason: e.reason });
  }
  return [...byField.values()];
}

/** Longest value kept of a rejected field (in the rejects file and case_reject); longer ones are cut, saying their length. */
export const MAX_REJECT_VALUE = 200;

/** A rejected value as stored: at most MAX_REJECT_VALUE characters, NUL bytes (which COPY cannot take) shown as U+FFFD. */
export function storedRejectValue(v: string): string {
  const clean = v.includes('\0') ? v.replaceAll('\0', '\uFFFD') : v;
  return clean.length <= MAX_REJECT_VALUE
    ? clean
    : `${clean.slice(0, MAX_REJECT_VALUE)}… (cut; ${v.length} characters)`;
}

/**
 * Waits until every stream that asked for it has drained. One stream at a time, checking its own
 * flag right before waiting: a stream that drained while we waited on another is not waited on
 * (waiting for a 'drain' that already fired would hang the load forever).
 */
export async function drained(...streams: WriteStream[]): Promise<void> {
  for (const s of streams) if (s.writableNeedDrain) await once(s, 'drain');
}

const COPY_TWIN = /^quanze-rejects-(\d+)-[a-z0-9]*\.copy$/;

/**
 * Removes COPY twins left in the temp folder by loads whose process died (kill -9, power cut):
 * the pid in the name is no longer running. Every load calls it before it starts.
 */
export async function sweepStaleRejects(dir = tmpdir()): Promise<string[]> {
  const gone: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = Number(COPY_TWIN.exec(name)?.[1] ?? NaN);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    await rm(join(dir, name), { force: true });
    gone.push(name);
  }
  return gone;
}

export class RejectsWriter {
  rows = 0;
  private csv: WriteStream | null = null;
  private copy: WriteStream | null = null;
  readonly tempCsv: string;
  readonly copyPath: string;

  constructor(readonly finalPath: string) {
    this.tempCsv = join(dirname(finalPath), `.${basename(finalPath)}.part`);
    this.copyPath = join(tmpdir(), `quanze-rejects-${process.pid}-${Math.random().toString(36).slice(2)}.copy`);
  }

  /** Records the rejects of one input row. */
  async add(rejects: readonly Reject[]): Promise<void> {
    if (!rejects.length) return;
    if (!this.csv) {
      this.csv = createWriteStream(this.tempCsv);
      this.copy = createWriteStream(this.copyPath);
      this.csv.write('line,field,value,reason\n');
    }
    this.rows++;
    let a = '',
      b = '';
    for (const x of rejects) {
      const r = { ...x, value: storedRejectValue(x.value), field: storedRejectValue(x.field) };
      a += `${r.line},${spreadsheetCell(r.field)},${spreadsheetCell(r.value)},${spreadsheetCell(r.reason)}\n`;
      b += `${r.line}\t${copyField(r.field)}\t${copyField(r.value)}\t${copyField(r.reason)}\n`;
    }
    this.csv.write(a);
    this.copy!.write(b);
    await drained(this.csv, this.copy!);
  }

  get any(): boolean {
    return this.csv !== null;
  }

  /** Flushes both files; the COPY twin can then be read. */
  async close(): Promise<void> {
    for (const s of [this.csv, this.copy])
      if (s && !s.closed)
        await new Promise<void>((res, rej) => s.end((err?: Error | null) => (err ? rej(err) : res())));
  }

  /** The load committed: the rejects file takes its final name (an old one is replaced). */
  async commit(): Promise<string | null> {
    await this.close();
    await rm(this.copyPath, { force: true });
    if (!this.csv) {
      await rm(this.finalPath, { force: true });
      return null;
    }
    await rename(this.tempCsv, this.finalPath);
    return this.finalPath;
  }

  /** The load failed: nothing of it stays on disk. */
  async discard(): Promise<void> {
    await this.close().catch(() => undefined);
    await rm(this.tempCsv, { force: true });
    await rm(this.copyPath, { force: true });
  }
}
