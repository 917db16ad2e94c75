/**
 * Loads one case export (README "Case CSV format") in ONE transaction: stream the CSV, check each
 * row, COPY good rows into a staging table, then set-based checks and insert into case_record.
 * Nothing is visible to readers until COMMIT; a failure or a killed connection leaves the previous
 * data as it was. Memory stays flat: rows stream through, the COPY is fed in bounded buffers.
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
import { STAGES, validateCaseRow, type CaseRecord } from '../parse/case-csv.ts';
import { parseCaseCsvStream } from '../sources/case-csv-stream.ts';
import { copyField, copyTextFile, openCopy } from './case-copy.ts';
import { itemLookup } from './case-lookup.ts';
import { ensureYearPartitions } from './case-partitions.ts';
import { mergeRowErrors, RejectsWriter, rejectsPathFor, type Reject } from './case-rejects.ts';

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
      /** Milliseconds spent streaming rows into staging, and on the set-based steps after it. */
      timings: { streamMs: number; setBasedMs: number };
    }
  | { status: 'unchanged'; fileId: number; fileName: string };

const STAGE_COLUMNS = STAGES.map((s) => `${s}_at`);
const STAGE_TABLE = `case_stage (line, case_id, item_code, sub_item_code, ${STAGE_COLUMNS.join(', ')}, started_at, outcome, fine_yuan, persons, synthetic)`;

export async function loadCaseFile(db: Db, path: string, opts: CaseLoadOptions): Promise<CaseLoadResult> {
  const fileName = basename(path);
  const { hash, bytes } = await hashAndSniff(path);
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
      const result = await loadInTransaction(s, path, fileName, bytes, hash, rejects, opts);
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
  totalBytes: number,
  hash: string,
  rejects: RejectsWriter,
  opts: CaseLoadOptions,
): Promise<Extract<CaseLoadResult, { status: 'loaded' }>> {
  const bureauId = opts.bureauId;
  const { lookupItem } = await itemLookup(s, bureauId);
  const [{ file_id: fileId }] = await s.query<{ file_id: number }>('SELECT (coalesce(max(file_id), 0) + 1)::int AS file_id FROM case_file WHERE bureau_id = $1', [bureauId]);
  await s.script(`
    CREATE TEMP TABLE case_stage (
      line int NOT NULL, case_id text NOT NULL, item_code text NOT NULL, sub_item_code text,
      ${STAGE_COLUMNS.map((c) => `${c} timestamptz`).join(', ')},
      started_at timestamptz NOT NULL, outcome text NOT NULL, fine_yuan numeric(14, 2), persons int, synthetic boolean NOT NULL
    ) ON COMMIT DROP;
    CREATE TEMP TABLE case_reject_stage (line int NOT NULL, field text NOT NULL, value text NOT NULL, reason text NOT NULL) ON COMMIT DROP;`);

  const ctx = { lookupItem, bureauIds: new Set([bureauId]), notAfterMs: opts.now().getTime() };
  const input = createReadStream(path);
  const sink = openCopy(s, STAGE_TABLE);
  const every = opts.progressEvery ?? 50_000;
  const t0 = Date.now();
  let rowsIn = 0, staged = 0, synthetic = false;
  try {
    for await (const row of parseCaseCsvStream(input, fileName)) {
      rowsIn++;
      if (opts.onProgress && rowsIn % every === 0) await opts.onProgress({ rows: rowsIn, bytes: input.bytesRead, totalBytes });
      if ('error' in row) {
        await rejects.add([{ line: row.line, field: 'row', value: '', reason: `unreadable CSV record: ${row.error}` }]);
        continue;
      }
      const checked = validateCaseRow(row.record, row.line, ctx);
      if ('errors' in checked) {
        await rejects.add(mergeRowErrors(checked.errors));
        continue;
      }
      staged++;
      synthetic ||= checked.ok.synthetic;
      const wait = sink.write(stageLine(checked.ok));
      if (wait) await wait;
    }
    await sink.end();
  } catch (err) {
    input.destroy();
    await sink.abort(err as Error);
    throw err;
  }
  await opts.onProgress?.({ rows: rowsIn, bytes: totalBytes, totalBytes });
  const t1 = Date.now();
  await rejects.close();
  if (rejects.any) await copyTextFile(s, 'case_reject_stage (line, field, value, reason)', rejects.copyPath);
  // Temp tables are never auto-analysed; the joins below need the real size.
  await s.query('ANALYZE case_stage');

  const dups = staged ? await rejectRepeatedIds(s) : [];
  await rejects.appendCsv(dups);
  const rowsRejected = rejects.rows + dups.length;

  let partitionsCreated: number[] = [];
  const [span] = await s.query<{ lo: number | null; hi: number | null }>(
    `SELECT extract(year FROM min(started_at) AT TIME ZONE 'Asia/Shanghai')::int AS lo,
            extract(year FROM max(started_at) AT TIME ZONE 'Asia/Shanghai')::int AS hi FROM case_stage`,
  );
  if (span?.lo != null && span.hi != null) {
    partitionsCreated = await ensureYearPartitions(s, span.lo, span.hi, opts.now().getUTCFullYear() + 1);
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
  return { status: 'loaded', fileId, fileName, rowsIn, rowsLoaded, rowsRejected, replaced, synthetic, rejectsFile: null, partitionsCreated, timings: { streamMs: t1 - t0, setBasedMs: Date.now() - t1 } };
}

/** One staging row in COPY text format. Validated values cannot hold tabs or newlines; copyField guards anyway. */
function stageLine(c: CaseRecord): string {
  const t = c.times;
  const started = t.received ?? t.accepted;
  let line = `${c.line}\t${copyField(c.case_id)}\t${copyField(c.item_code)}\t${copyField(c.sub_item_code)}`;
  for (const st of STAGES) line += `\t${t[st] ?? '\\N'}`;
  return `${line}\t${started}\t${c.outcome}\t${c.fine_yuan ?? '\\N'}\t${c.persons ?? '\\N'}\t${c.synthetic ? 't' : 'f'}\n`;
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

/** SHA-256 of the file (its identity), refusing up front what is plainly not CSV text. */
async function hashAndSniff(path: string): Promise<{ hash: string; bytes: number }> {
  const name = basename(path);
  const { size } = await stat(path);
  const h = createHash('sha256');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let head = 0;
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
  }
  return { hash: h.digest('hex'), bytes: size };
}
