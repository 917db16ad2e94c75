/**
 * Loads one case export (README "Case CSV format") in ONE transaction. Every row is read and
 * checked by validateCaseRow in Node (papaparse for files without any `"`, csv-parse for the
 * rest), and the good ones are COPYed straight into case_record while the next are read, so
 * Node and PostgreSQL work side by side; then set-based steps keep one case id per bureau
 * (case-repeats.ts). Nothing is visible to readers until COMMIT; a failure or a killed connection
 * leaves the previous data as it was. Memory stays flat: bytes and rows stream through bounded
 * buffers.
 *
 * Identity: a file already loaded (same SHA-256) is a no-op. A case id seen before for the bureau
 * (from another file) is REPLACED by the newer row: exports are snapshots, and a case pending in
 * January's export is decided in February's. Inside one file a repeated case id is rejected and
 * the first row kept.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Db, Session } from '../../db/connect.ts';
import { type CaseRowContext, validateCaseRow } from '../parse/case-csv.ts';
import { readPlainCaseCsv, type LineBreak } from '../sources/case-csv-plain.ts';
import {
  checkCaseFileHeader,
  MAX_LINE_BYTES,
  parseCaseCsvStream,
  type CaseCsvRow,
} from '../sources/case-csv-stream.ts';
import { copyTextFile } from './case-copy.ts';
import { itemLookup } from './case-lookup.ts';
import { CaseRecordSink } from './case-record-sink.ts';
import { FileAggregates, readAggregateFacts } from './case-file-aggregates.ts';
import { monthInYears } from './case-stats.ts';
import { RejectsWriter, mergeRowErrors, rejectsPathFor, sweepStaleRejects } from './case-rejects.ts';
import {
  analyzeFileYears,
  earlierIdRanges,
  type IdRange,
  recordIdRanges,
  rejectRepeats,
  RepeatWatch,
  ReplacingIds,
  replaceEarlierCases,
} from './case-repeats.ts';
import { LOCKS } from '../../db/locks.ts';
import { sniffNotText } from '../parse/text-sniff.ts';
import { StallGuard } from './stall-guard.ts';
import { Utf8Check } from '../sources/utf8-check.ts';

export class CaseFileRefused extends Error {
  override name = 'CaseFileRefused';
}

export interface CaseLoadProgress {
  rows: number;
  bytes: number;
  totalBytes: number;
}

export interface CaseLoadOptions {
  /** The bureau the file belongs to; rows naming another bureau are rejected. */
  bureauId: string;
  now: () => Date;
  /** Called after about every `progressEvery` rows (the CLI draws a progress bar from it). */
  onProgress?: (p: CaseLoadProgress) => void | Promise<void>;
  progressEvery?: number;
  /** `lines` reads even a clean quote-free file with the line reader (tests and benchmarks compare the readers); default: the fastest that can. */
  reader?: 'auto' | 'lines';
  /** Where the rejects CSV goes; default next to the input (`x.csv` → `x.rejects.csv`). */
  rejectsPath?: string;
  /** A load with no progress for this long fails and rolls back (default 5 minutes; stall-guard.ts). */
  stallMs?: number;
  /** Past this many ids within earlier files' ranges the replacement finds them in SQL (default MAX_REPLACING_IDS; tests set it low). */
  maxReplacingIds?: number;
}

export const DEFAULT_STALL_MS = 5 * 60_000;

export type CaseLoadResult =
  | {
      status: 'loaded';
      fileId: number;
      fileName: string;
      rowsIn: number;
      rowsLoaded: number;
      rowsRejected: number;
      /** Cases that replaced the row of the same case id from an earlier file. */
      replaced: number;
      synthetic: boolean;
      rejectsFile: string | null;
      partitionsCreated: number[];
      /** China years whose cases changed (rows written, or earlier rows replaced): the aggregate refresh needs only these. */
      years: number[];
      /** The CSV reader: papaparse for clean files without quotes, the line reader otherwise. */
      reader: 'papaparse' | 'lines';
      /** Lines that could not be read as a record at all (broken quoting, bad bytes, too long): among the rejected rows. */
      rowsUnreadable: number;
      /** Milliseconds spent reading, checking and COPYing rows, and on the set-based steps after it. */
      timings: { streamMs: number; setBasedMs: number };
      /**
       * The summary rows of the file's cases, counted as they were read, when they alone make up
       * the years the file changed (case-file-aggregates.ts); null otherwise, or when the bureau's
       * aggregates were never built.
       */
      aggregates: FileAggregates | null;
    }
  | { status: 'unchanged'; fileId: number; fileName: string };

export async function loadCaseFile(db: Db, path: string, opts: CaseLoadOptions): Promise<CaseLoadResult> {
  const fileName = basename(path);
  const rejects = new RejectsWriter(opts.rejectsPath ?? rejectsPathFor(path));
  await sweepStaleRejects();
  let guard: StallGuard | undefined;
  return db.session(async (s) => {
    // A connection killed while checked out emits 'error' on the client; the failing query reports
    // it to us, so this listener only keeps it from becoming an uncaught exception.
    const swallow = () => undefined;
    s.pgClient?.on('error', swallow);
    await s.query('BEGIN');
    try {
      await s.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.caseLoad]);
      // The replacement step hashes the file's case ids: let it do so in memory, for this transaction only.
      await s.query(`SET LOCAL work_mem = '256MB'`);
      // The file's hash pass (this thread) and what the load reads from the database (its server,
      // or PGlite's thread) go on at once; a file that turns out unchanged wasted only reads.
      const [sniffed, prepared] = await Promise.allSettled([hashAndSniff(path), prepareLoad(s, opts.bureauId)]);
      if (sniffed.status === 'rejected') throw sniffed.reason;
      const { hash, ...file } = sniffed.value;
      const existing = await s.query<{ file_id: number }>(
        'SELECT file_id FROM case_file WHERE bureau_id = $1 AND content_hash = $2',
        [opts.bureauId, hash],
      );
      if (existing[0]) {
        await s.query('ROLLBACK');
        return { status: 'unchanged', fileId: existing[0].file_id, fileName };
      }
      if (prepared.status === 'rejected') throw prepared.reason;
      if (prepared.value === null) {
        throw new CaseFileRefused(
          `${fileName}: no list is loaded for bureau ${opts.bureauId}; load the bureau's list before its cases`,
        );
      }
      // From here on the load holds the case-load lock: it must keep moving or fail.
      guard = new StallGuard(opts.stallMs ?? DEFAULT_STALL_MS, fileName, () => s.cut?.());
      const result = await guard.race(
        loadInTransaction(guarded(s, guard), path, fileName, file, hash, prepared.value, rejects, guard, opts),
      );
      guard.tick('commit');
      await guard.race(s.query('COMMIT'));
      return { ...result, rejectsFile: await rejects.commit() };
    } catch (err) {
      await s.query('ROLLBACK').catch(() => undefined);
      await rejects.discard();
      throw err;
    } finally {
      guard?.stop();
      s.pgClient?.off('error', swallow);
    }
  });
}

/** What the load reads from the database before the rows; null when the bureau has no list. */
interface Prepared {
  lookupItem: CaseRowContext['lookupItem'];
  fileId: number;
  tally: FileAggregates | null;
  earlierRanges: IdRange[] | null;
}

async function prepareLoad(s: Session, bureauId: string): Promise<Prepared | null> {
  if (!(await s.query('SELECT 1 FROM bureau WHERE bureau_id = $1', [bureauId])).length) return null;
  const { lookupItem } = await itemLookup(s, bureauId);
  const [{ file_id: fileId }] = await s.query<{ file_id: number }>(
    'SELECT (coalesce(max(file_id), 0) + 1)::int AS file_id FROM case_file WHERE bureau_id = $1',
    [bureauId],
  );
  const tally = await countingAggregates(s, bureauId, fileId);
  return { lookupItem, fileId, tally, earlierRanges: await earlierIdRanges(s, bureauId) };
}

async function loadInTransaction(
  s: Session,
  path: string,
  fileName: string,
  file: Sniffed,
  hash: string,
  { lookupItem, fileId, tally, earlierRanges }: Prepared,
  rejects: RejectsWriter,
  guard: StallGuard,
  opts: CaseLoadOptions,
): Promise<Extract<CaseLoadResult, { status: 'loaded' }>> {
  const bureauId = opts.bureauId;
  const now = opts.now();
  const reader = file.lineBreak !== null && opts.reader !== 'lines' ? 'papaparse' : 'lines';
  // The line reader reads the header for both readers, so a wrong one gets the same message and
  // both know whether the file has the optional extension column.
  const columns = await checkCaseFileHeader(path, fileName);
  const ctx = { lookupItem, bureauIds: new Set([bureauId]), notAfterMs: now.getTime(), columns };
  let rows: AsyncIterable<CaseCsvRow[]>;
  if (reader === 'papaparse') {
    rows = readPlainCaseCsv(path, file.lineBreak!);
  } else {
    rows = batches(parseCaseCsvStream(createReadStream(path), fileName));
  }

  const t0 = Date.now();
  const sink = new CaseRecordSink(s, fileId, now.getUTCFullYear() + 1);
  const watch = new RepeatWatch(file.lines);
  const replacing = new ReplacingIds(earlierRanges, opts.maxReplacingIds);
  const every = opts.progressEvery ?? 50_000;
  let rowsIn = 0,
    rowsUnreadable = 0,
    synthetic = false,
    nextProgress = every;
  try {
    for await (const batch of rows) {
      guard.tick('reading rows');
      for (const row of batch) {
        rowsIn++;
        if ('error' in row) {
          rowsUnreadable++;
          await rejects.add([{ line: row.line, field: row.field ?? 'row', value: row.value ?? '', reason: row.error }]);
          continue;
        }
        const checked = validateCaseRow(row.record, row.line, ctx);
        if ('errors' in checked) {
          await rejects.add(mergeRowErrors(checked.errors));
          continue;
        }
        synthetic ||= checked.ok.synthetic;
        watch.note(checked.ok.case_id);
        replacing.note(checked.ok.case_id);
        tally?.add(checked.ok);
        const wait = sink.write(checked.ok);
        if (wait) await wait;
      }
      if (opts.onProgress && rowsIn >= nextProgress) {
        nextProgress = (Math.floor(rowsIn / every) + 1) * every;
        await opts.onProgress({
          rows: rowsIn,
          bytes: Math.round((file.bytes * rowsIn) / Math.max(file.lines - 1, 1)),
          totalBytes: file.bytes,
        });
      }
    }
    await sink.end();
  } catch (err) {
    await sink.abort(err as Error);
    throw err;
  }
  await opts.onProgress?.({ rows: rowsIn, bytes: file.bytes, totalBytes: file.bytes });
  const t1 = Date.now();

  guard.tick('checking repeated case ids');
  const written = await analyzeFileYears(s, sink.years);
  const repeats = await rejectRepeats(s, bureauId, fileId, watch, written);
  for (const r of repeats) await rejects.add([r]);
  guard.tick('replacing cases of earlier files');
  await recordIdRanges(s, bureauId, fileId, sink.idRanges);
  const { replaced, byYear } = await replaceEarlierCases(s, bureauId, fileId, written, replacing.ids);
  if (tally) await keepAggregatesIfAlone(s, tally, written, byYear, repeats.length);
  await rejects.close();
  guard.tick('recording the rejects');
  if (rejects.any) {
    await s.query(
      'CREATE TEMP TABLE case_reject_stage (line int NOT NULL, field text NOT NULL, value text NOT NULL, reason text NOT NULL) ON COMMIT DROP',
    );
    await copyTextFile(s, 'case_reject_stage (line, field, value, reason)', rejects.copyPath);
    await s.query(
      `INSERT INTO case_reject (bureau_id, file_id, line, field, value, reason) SELECT $1, $2, line, field, value, reason FROM case_reject_stage`,
      [bureauId, fileId],
    );
  }
  const rowsRejected = rejects.rows;
  const rowsLoaded = sink.rows - repeats.length;
  await s.query(
    `INSERT INTO case_file (bureau_id, file_id, file_name, content_hash, synthetic, rows_in, rows_loaded, rows_rejected)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [bureauId, fileId, fileName, hash, synthetic, rowsIn, rowsLoaded, rowsRejected],
  );
  return {
    status: 'loaded',
    fileId,
    fileName,
    rowsIn,
    rowsLoaded,
    rowsRejected,
    rowsUnreadable,
    replaced,
    synthetic,
    rejectsFile: null,
    partitionsCreated: sink.partitionsCreated,
    years: [...new Set([...written, ...byYear.keys()])].sort((a, b) => a - b),
    reader,
    timings: { streamMs: t1 - t0, setBasedMs: Date.now() - t1 },
    aggregates: tally?.unusable === null ? tally : null,
  };
}

/**
 * A counter of the file's summary rows, when a refresh can use them: the bureau's aggregates were
 * built before (an incremental refresh follows), judged on the facts that refresh wrote.
 */
async function countingAggregates(s: Session, bureauId: string, fileId: number): Promise<FileAggregates | null> {
  const [built] = await s.query('SELECT 1 FROM case_aggregate_meta WHERE bureau_id = $1', [bureauId]);
  if (!built) return null;
  return new FileAggregates(bureauId, fileId, await readAggregateFacts(s.query, bureauId));
}

/**
 * The counted rows stand for the years the file changed only when those years now hold the
 * file's cases and nothing else: no row of it was dropped after counting (a repeated case id),
 * no case was replaced in a year it did not write, and every case of another file in its years
 * was replaced. Those are counted by the summary (case_volume_month): the refresh uses the rows
 * only when the summary was up to date before this load (refreshedSinceBefore), and then it
 * counts exactly the other files' cases.
 */
async function keepAggregatesIfAlone(
  s: Session,
  tally: FileAggregates,
  written: readonly number[],
  replacedByYear: ReadonlyMap<number, number>,
  repeats: number,
): Promise<void> {
  if (repeats) return tally.discard('repeated case ids were dropped after counting');
  if ([...replacedByYear.keys()].some((y) => !written.includes(y)))
    return tally.discard('cases of a year the file did not write were replaced');
  const before = await s.query<{ year: number; cases: number }>(
    `SELECT substr(month, 1, 4)::int AS year, sum(cases)::int AS cases FROM case_volume_month
      WHERE bureau_id = $1 AND ${monthInYears('month', written)} GROUP BY 1`,
    [tally.bureauId],
  );
  if (before.some((r) => r.cases > (replacedByYear.get(r.year) ?? 0)))
    tally.discard("other files' cases remain in the years the file wrote");
}

/**
 * The session as the load sees it: once the guard has stopped the load, every further statement
 * fails, so a step still running after the stall cannot write anything (on PGlite the instance
 * outlives the load).
 */
function guarded(s: Session, guard: StallGuard): Session {
  const check = () => {
    if (guard.stopped) throw new Error('the load was stopped');
  };
  const pglite =
    s.pglite &&
    new Proxy(s.pglite, {
      get: (t, k, r) => {
        if (k !== 'query') return Reflect.get(t, k, r);
        return (...a: Parameters<typeof t.query>) => {
          check();
          return t.query(...a);
        };
      },
    });
  return {
    ...s,
    pglite,
    query: async (text, params) => {
      check();
      return s.query(text, params);
    },
    script: async (text) => {
      check();
      return s.script(text);
    },
  };
}

/** Single rows of the line reader, in batches like the fast reader's. */
async function* batches(rows: AsyncIterable<CaseCsvRow>, size = 1_000): AsyncGenerator<CaseCsvRow[]> {
  let batch: CaseCsvRow[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

interface Sniffed {
  bytes: number;
  /** Line count (a last line without \n counts). */
  lines: number;
  /**
   * The line break when the fast reader can take the file (one kind of line break throughout,
   * valid UTF-8 without NUL bytes, no line longer than MAX_LINE_BYTES); null otherwise: the line
   * reader then reads it, reporting every bad line.
   */
  lineBreak: LineBreak | null;
}

/**
 * SHA-256 of the file (its identity), refusing up front what is plainly not CSV text (zip/xlsx,
 * xls, PDF, gzip, UTF-16); checks the whole file for bad bytes and overlong lines, and counts
 * lines, quotes and line breaks, to pick the reader.
 */
async function hashAndSniff(path: string): Promise<{ hash: string } & Sniffed> {
  const name = basename(path);
  const { size } = await stat(path);
  const h = createHash('sha256');
  const utf8 = new Utf8Check();
  let first = true,
    clean = true,
    lines = 0,
    last = 10,
    cr = 0,
    crlf = 0;
  let offset = 0,
    lineStart = 0,
    longest = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    if (first) {
      const not = sniffNotText(b);
      if (not) throw new CaseFileRefused(`${name}: ${not.reason} (README, "Case CSV format")`);
      first = false;
    }
    if (clean) clean = !b.includes(0) && utf8.check(b);
    h.update(b);
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) {
      lines++;
      if ((i > 0 ? b[i - 1] : last) === 13) crlf++;
      longest = Math.max(longest, offset + i - lineStart);
      lineStart = offset + i + 1;
    }
    for (let i = b.indexOf(13); i !== -1; i = b.indexOf(13, i + 1)) cr++;
    if (b.length) last = b[b.length - 1]!;
    offset += b.length;
  }
  longest = Math.max(longest, offset - lineStart);
  if (clean) clean = utf8.end();
  const breaks = lines;
  if (last !== 10) lines++;
  const plain = clean && longest <= MAX_LINE_BYTES;
  const lineBreak = !plain ? null : cr === 0 ? '\n' : cr === crlf && crlf === breaks ? '\r\n' : null;
  return { hash: h.digest('hex'), bytes: size, lines, lineBreak };
}
