/**
 * Loads one case export (README "Case CSV format") in ONE transaction. Staging: a file without
 * any `"` goes through the bulk path (case-bulk.ts: COPY of the bytes, set-based checks, the
 * doubtful rows to validateCaseRow); any other file, or one COPY refuses, streams through
 * csv-parse and validateCaseRow with good rows COPYed into staging. Then set-based steps and the
 * insert into case_record. Nothing is visible to readers until COMMIT; a failure or a killed
 * connection leaves the previous data as it was. Memory stays flat: bytes and rows stream through
 * bounded buffers.
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
import type { Db, Session } from '../../server/db/connect.ts';
import { stageBulk } from './case-bulk.ts';
import { copyTextFile } from './case-copy.ts';
import { itemLookup } from './case-lookup.ts';
import { ensureYearPartitions } from './case-partitions.ts';
import { RejectsWriter, rejectsPathFor, type Reject } from './case-rejects.ts';
import { CREATE_STAGE, STAGE_COLUMNS } from './case-stage-line.ts';
import { checkHeader, stageStreaming } from './case-stream-stage.ts';

/** Transaction-level advisory lock: case loads into one database happen one after another. */
export const CASE_LOAD_LOCK = 7_301_005;

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
  /** Called every `progressEvery` rows (the CLI draws a progress bar from it). */
  onProgress?: (p: CaseLoadProgress) => void | Promise<void>;
  progressEvery?: number;
  /** `stream` skips the bulk path (benchmarks and tests compare the two); default: bulk when it can. */
  staging?: 'auto' | 'stream';
  /** Where the rejects CSV goes; default next to the input (`x.csv` → `x.rejects.csv`). */
  rejectsPath?: string;
}

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
      /** `bulk`: COPY of the file and set-based checks; `stream`: csv-parse and row checks in Node. */
      stagedBy: 'bulk' | 'stream';
      /** Bulk path: rows the SQL left to validateCaseRow (every row on the streaming path). */
      rowsCheckedInNode: number;
      /** Milliseconds spent streaming rows into staging, and on the set-based steps after it. */
      timings: { streamMs: number; setBasedMs: number };
    }
  | { status: 'unchanged'; fileId: number; fileName: string };


export async function loadCaseFile(db: Db, path: string, opts: CaseLoadOptions): Promise<CaseLoadResult> {
  const fileName = basename(path);
  const { hash, ...file } = await hashAndSniff(path);
  const rejects = new RejectsWriter(opts.rejectsPath ?? rejectsPathFor(path));
  return db.session(async (s) => {
    // A connection killed while checked out emits 'error' on the client; the failing query reports
    // it to us, so this listener only keeps it from becoming an uncaught exception.
    const swallow = () => undefined;
    s.pgClient?.on('error', swallow);
    await s.query('BEGIN');
    try {
      await s.query('SELECT pg_advisory_xact_lock($1)', [CASE_LOAD_LOCK]);
      // The repeated-id check sorts the staged rows: let it sort in memory for this transaction only.
      await s.query(`SET LOCAL work_mem = '128MB'`);
      const existing = await s.query<{ file_id: number }>('SELECT file_id FROM case_file WHERE bureau_id = $1 AND content_hash = $2', [opts.bureauId, hash]);
      if (existing[0]) {
        await s.query('ROLLBACK');
        return { status: 'unchanged', fileId: existing[0].file_id, fileName };
      }
      if (!(await s.query('SELECT 1 FROM bureau WHERE bureau_id = $1', [opts.bureauId])).length) {
        throw new CaseFileRefused(`${fileName}: no list is loaded for bureau ${opts.bureauId}; load the bureau's list before its cases`);
      }
      const result = await loadInTransaction(s, path, fileName, file, hash, rejects, opts);
      await s.query('COMMIT');
      return { ...result, rejectsFile: await rejects.commit() };
    } catch (err) {
      await s.query('ROLLBACK').catch(() => undefined);
      await rejects.discard();
      throw err;
    } finally {
      s.pgClient?.off('error', swallow);
    }
  });
}

async function loadInTransaction(
  s: Session,
  path: string,
  fileName: string,
  file: Sniffed,
  hash: string,
  rejects: RejectsWriter,
  opts: CaseLoadOptions,
): Promise<Extract<CaseLoadResult, { status: 'loaded' }>> {
  const bureauId = opts.bureauId;
  const { lookupItem } = await itemLookup(s, bureauId);
  const [{ file_id: fileId }] = await s.query<{ file_id: number }>('SELECT (coalesce(max(file_id), 0) + 1)::int AS file_id FROM case_file WHERE bureau_id = $1', [bureauId]);
  await s.script(CREATE_STAGE);

  const now = opts.now();
  const ctx = { lookupItem, bureauIds: new Set([bureauId]), notAfterMs: now.getTime() };
  const t0 = Date.now();
  let staging: { rowsIn: number; staged: number; checkedInNode: number; path: 'bulk' | 'stream' } | null = null;
  if (!file.quoted && opts.staging !== 'stream') {
    // The header is checked before any COPY, with the streaming reader's own messages.
    await checkHeader(path, fileName);
    const every = opts.progressEvery ?? 50_000;
    let next = every;
    const bulk = await stageBulk(s, path, {
      bureauId, now, expectedRows: file.lines - 1, ctx, rejects,
      onChunk: async (p) => {
        if (opts.onProgress && p.lines >= next) {
          next = (Math.floor(p.lines / every) + 1) * every;
          await opts.onProgress({ rows: p.lines, bytes: p.bytes, totalBytes: file.bytes });
        }
      },
    });
    if (bulk) staging = { ...bulk, path: 'bulk' };
  }
  if (!staging) {
    const streamed = await stageStreaming(s, path, fileName, file.bytes, ctx, rejects, opts.onProgress, opts.progressEvery);
    staging = { ...streamed, checkedInNode: streamed.rowsIn, path: 'stream' };
  }
  const { rowsIn, staged } = staging;
  await opts.onProgress?.({ rows: rowsIn, bytes: file.bytes, totalBytes: file.bytes });
  const t1 = Date.now();
  await rejects.close();
  if (rejects.any) await copyTextFile(s, 'case_reject_stage (line, field, value, reason)', rejects.copyPath);
  // Temp tables are never auto-analysed; the joins below need the real size.
  await s.query('ANALYZE case_stage');
  const [{ synthetic }] = await s.query<{ synthetic: boolean }>('SELECT coalesce(bool_or(synthetic), false) AS synthetic FROM case_stage');

  const dups = staged ? await rejectRepeatedIds(s) : [];
  await rejects.appendCsv(dups);
  const rowsRejected = rejects.rows + dups.length;

  let partitionsCreated: number[] = [];
  const [span] = await s.query<{ lo: number | null; hi: number | null }>(
    `SELECT extract(year FROM min(started_at) AT TIME ZONE 'Asia/Shanghai')::int AS lo,
            extract(year FROM max(started_at) AT TIME ZONE 'Asia/Shanghai')::int AS hi FROM case_stage`,
  );
  if (span?.lo != null && span.hi != null) {
    partitionsCreated = await ensureYearPartitions(s, span.lo, span.hi, now.getUTCFullYear() + 1);
  }
  const [{ n: replaced }] = await s.query<{ n: number }>(
    `WITH gone AS (DELETE FROM case_record r USING case_stage st WHERE r.bureau_id = $1 AND r.case_id = st.case_id RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [bureauId],
  );
  const cols = `case_id, item_code, sub_item_code, ${STAGE_COLUMNS.join(', ')}, started_at, outcome, fine_yuan, persons, synthetic`;
  await s.query(`INSERT INTO case_record (bureau_id, ${cols}, file_id) SELECT $1, ${cols}, $2 FROM case_stage`, [bureauId, fileId]);
  await s.query(
    `INSERT INTO case_reject (bureau_id, file_id, line, field, value, reason) SELECT $1, $2, line, field, value, reason FROM case_reject_stage`,
    [bureauId, fileId],
  );
  const rowsLoaded = staged - dups.length;
  await s.query(
    `INSERT INTO case_file (bureau_id, file_id, file_name, content_hash, synthetic, rows_in, rows_loaded, rows_rejected)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [bureauId, fileId, fileName, hash, synthetic, rowsIn, rowsLoaded, rowsRejected],
  );
  return {
    status: 'loaded', fileId, fileName, rowsIn, rowsLoaded, rowsRejected, replaced, synthetic, rejectsFile: null, partitionsCreated,
    stagedBy: staging.path, rowsCheckedInNode: staging.checkedInNode, timings: { streamMs: t1 - t0, setBasedMs: Date.now() - t1 },
  };
}

/** Rows of the file repeating a case id of an earlier row of the same file: rejected, the first kept. */
async function rejectRepeatedIds(s: Session): Promise<Reject[]> {
  await s.script(`
    CREATE TEMP TABLE case_dup ON COMMIT DROP AS
      SELECT line, case_id, first_line FROM (
        SELECT line, case_id, min(line) OVER (PARTITION BY case_id) AS first_line FROM case_stage
      ) d WHERE line <> first_line;`);
  const dups = await s.query<{ line: number; case_id: string; first_line: number }>('SELECT line, case_id, first_line FROM case_dup ORDER BY line');
  if (!dups.length) return [];
  const rejects = dups.map((d) => ({
    line: d.line,
    field: 'case_id',
    value: d.case_id,
    reason: `repeats the case_id of line ${d.first_line} of this file; the first row is kept`,
  }));
  await s.script(`
    INSERT INTO case_reject_stage (line, field, value, reason)
      SELECT line, 'case_id', case_id, 'repeats the case_id of line ' || first_line || ' of this file; the first row is kept' FROM case_dup;
    DELETE FROM case_stage st USING case_dup d WHERE st.line = d.line;`);
  return rejects;
}

interface Sniffed {
  bytes: number;
  /** Line count (a last line without \n counts). */
  lines: number;
  /** Whether the file holds any `"`: then records may span lines and the bulk path is not used. */
  quoted: boolean;
}

/** SHA-256 of the file (its identity), refusing up front what is plainly not CSV text; counts lines and quotes for the bulk path. */
async function hashAndSniff(path: string): Promise<{ hash: string } & Sniffed> {
  const name = basename(path);
  const { size } = await stat(path);
  const h = createHash('sha256');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let head = 0, lines = 0, quoted = false, last = 10;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    if (head < 1 << 20) {
      if (head === 0 && b.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
        throw new CaseFileRefused(`${name}: is not a CSV file (it looks like a zip or .xlsx workbook); export the cases as CSV (README, "Case CSV format")`);
      }
      if (b.includes(0)) throw new CaseFileRefused(`${name}: is not a CSV text file (binary content); export the cases as UTF-8 CSV (README, "Case CSV format")`);
      try {
        utf8.decode(b, { stream: true });
      } catch {
        throw new CaseFileRefused(`${name}: is not UTF-8 text; save the export as UTF-8 CSV (README, "Case CSV format")`);
      }
      head += b.length;
    }
    h.update(b);
    quoted ||= b.includes(34);
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
    if (b.length) last = b[b.length - 1]!;
  }
  if (last !== 10) lines++;
  return { hash: h.digest('hex'), bytes: size, lines, quoted };
}
