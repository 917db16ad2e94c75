/**
 * The streaming staging path of a case load: csv-parse and validateCaseRow in Node, good rows
 * COPYed into case_stage. Used for files with quotes and files the bulk path cannot take.
 */
import { createReadStream } from 'node:fs';
import type { Session } from '../../server/db/connect.ts';
import { validateCaseRow, type CaseRowContext } from '../parse/case-csv.ts';
import { parseCaseCsvStream } from '../sources/case-csv-stream.ts';
import { openCopy } from './case-copy.ts';
import type { CaseLoadOptions } from './case-load.ts';
import { mergeRowErrors, type RejectsWriter } from './case-rejects.ts';
import { STAGE_TARGET, stageLine } from './case-stage-line.ts';

/** The streaming path: csv-parse and validateCaseRow in Node, good rows COPYed into case_stage. */
export async function stageStreaming(
  s: Session,
  path: string,
  fileName: string,
  totalBytes: number,
  ctx: CaseRowContext,
  rejects: RejectsWriter,
  onProgress?: CaseLoadOptions['onProgress'],
  progressEvery = 50_000,
): Promise<{ rowsIn: number; staged: number }> {
  const input = createReadStream(path);
  const sink = openCopy(s, STAGE_TARGET);
  const every = progressEvery;
  let rowsIn = 0, staged = 0;
  try {
    for await (const row of parseCaseCsvStream(input, fileName)) {
      rowsIn++;
      if (onProgress && rowsIn % every === 0) await onProgress({ rows: rowsIn, bytes: input.bytesRead, totalBytes });
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
      const wait = sink.write(stageLine(checked.ok));
      if (wait) await wait;
    }
    await sink.end();
  } catch (err) {
    input.destroy();
    await sink.abort(err as Error);
    throw err;
  }
  return { rowsIn, staged };
}

/** Reads the header (and at most the first record) with the streaming reader: throws CaseCsvHeaderError. */
export async function checkHeader(path: string, fileName: string): Promise<void> {
  const input = createReadStream(path, { highWaterMark: 64 * 1024 });
  const rows = parseCaseCsvStream(input, fileName);
  try {
    await rows.next();
  } finally {
    await rows.return(undefined);
    input.destroy();
  }
}

