/**
 * The I/O edge for case exports that the fast reader (case-csv-plain.ts) does not take: any file
 * with quotes, mixed or lone-CR line breaks, bad bytes or overlong lines. Reads bytes, one line
 * at a time (a case record is one line: no field of the format may hold a line break), so
 * memory stays bounded by one chunk plus MAX_LINE_BYTES however large the file or its lines.
 *
 * Every line is checked as it streams past, the whole file through:
 * - a line that is not UTF-8 or holds a NUL byte is rejected, naming its line and field;
 * - a line longer than MAX_LINE_BYTES is rejected with its length, and only its start is kept;
 * - a line with broken quoting (a quote not closed on the line, text after a closing quote) is
 *   rejected at its own line, and reading goes on with the next line.
 * The header (first non-empty line) is checked first and a wrong one refuses the file whole.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CASE_COLUMNS_WITH_EXTENSION, checkCaseCsvHeader, type CaseHeader } from '../parse/case-csv.ts';
import { splitCsvLine } from '../parse/csv-line.ts';
import { sniffNotText } from '../parse/text-sniff.ts';

export class CaseCsvHeaderError extends Error {
  override name = 'CaseCsvHeaderError';
}

/** No valid case record comes near this (15 or 16 fields, the longest 64 characters): a longer line is rejected unread. */
export const MAX_LINE_BYTES = 16 * 1024;

/**
 * A data row with its line, or a line that could not be read as a record (broken quoting, bad
 * bytes, too long): rejected with the field it concerns when known (`row` otherwise).
 */
export type CaseCsvRow =
  | { line: number; record: string[] }
  | { line: number; error: string; field?: string; value?: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** The first field of a line whose bytes are not UTF-8 text or hold a NUL, with what is wrong there. */
function badBytes(bytes: Uint8Array): { field: string; value: string; reason: string } | null {
  let start = 0;
  for (let k = 0; ; k++) {
    const end = bytes.indexOf(44, start);
    const part = bytes.subarray(start, end < 0 ? bytes.length : end);
    const field = CASE_COLUMNS_WITH_EXTENSION[k] ?? 'row';
    const nul = part.indexOf(0);
    if (nul >= 0)
      return {
        field,
        value: lenient.decode(part),
        reason: `holds a NUL byte (0x00) at byte ${nul + 1} of the field; export the cases as UTF-8 text`,
      };
    try {
      utf8.decode(part);
    } catch {
      return {
        field,
        value: lenient.decode(part),
        reason: 'is not UTF-8 text (invalid byte sequence); save the export as UTF-8',
      };
    }
    if (end < 0) return null;
    start = end + 1;
  }
}

export interface CaseLineReaderOptions {
  maxLineBytes?: number;
  /** Told the file's columns once the header line has passed the check. */
  onHeader?: (columns: CaseHeader) => void;
}

export async function* parseCaseCsvStream(
  readable: Readable,
  source = 'cases.csv',
  opts: CaseLineReaderOptions = {},
): AsyncGenerator<CaseCsvRow> {
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES;
  let brk = -1; // 10 (\n, with \r\n too) or 13 (lone \r), fixed by the first line break seen
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let overlong = 0; // bytes of the current line beyond what is kept, when it is too long
  let lineNo = 0;
  let crPending = false;
  let headerSeen = false;

  function* finish(bytes: Buffer): Generator<CaseCsvRow> {
    lineNo++;
    if (brk === 10 && bytes.length && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
    if (overlong) {
      const length = bytes.length + overlong;
      overlong = 0;
      // The field the line is too long in: the one the cut falls in (commas before it, quotes aside).
      let k = 0;
      for (let i = bytes.indexOf(44); i >= 0; i = bytes.indexOf(44, i + 1)) k++;
      const field = headerSeen ? (CASE_COLUMNS_WITH_EXTENSION[k] ?? 'row') : 'row';
      const value = lenient.decode(bytes.subarray(bytes.lastIndexOf(44) + 1));
      const error = `the line is ${length} bytes long, more than a case record can be (at most ${max} bytes); ${field === 'row' ? 'no column' : field} is longer than its documented maximum (README, "Case CSV format")`;
      if (!headerSeen) throw new CaseCsvHeaderError(`${source} on line ${lineNo}: ${error}; expected the header line`);
      yield { line: lineNo, error, field, value };
      return;
    }
    if (bytes.length === 0) return;
    const bad = bytes.includes(0) ? badBytes(bytes) : null;
    let text: string | null = null;
    if (!bad) {
      try {
        text = utf8.decode(bytes);
      } catch {
        /* reported below */
      }
    }
    if (text === null) {
      const b = bad ?? badBytes(bytes) ?? { field: 'row', value: lenient.decode(bytes), reason: 'is not UTF-8 text' };
      if (!headerSeen)
        throw new CaseCsvHeaderError(
          `${source} on line ${lineNo}: the header line is not UTF-8 text; save the export as UTF-8 CSV (README, "Case CSV format")`,
        );
      yield { line: lineNo, error: `${b.field} ${b.reason}`, field: b.field, value: b.value };
      return;
    }
    const split = splitCsvLine(text);
    if (!headerSeen) {
      const check = split.ok ? checkCaseCsvHeader(split.fields) : { ok: false as const, message: split.reason };
      if (!check.ok) throw new CaseCsvHeaderError(`${source} on line ${lineNo}: ${check.message}`);
      headerSeen = true;
      opts.onHeader?.(check.columns);
      return;
    }
    if (!split.ok) {
      yield { line: lineNo, error: `unreadable CSV record: ${split.reason}`, field: 'row', value: text };
      return;
    }
    if (split.fields.length === 1 && split.fields[0] === '') return;
    yield { line: lineNo, record: split.fields };
  }

  const keep = (part: Buffer) => {
    if (overlong) overlong += part.length;
    else if (pendingLen + part.length > max) {
      const room = max - pendingLen;
      pending.push(part.subarray(0, room));
      pendingLen = max;
      overlong = part.length - room;
    } else {
      pending.push(part);
      pendingLen += part.length;
    }
  };
  const take = (last: Buffer): Buffer => {
    keep(last);
    const line = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingLen);
    pending = [];
    pendingLen = 0;
    return line;
  };

  for await (const chunk of readable) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    let start = 0;
    if (brk < 0 && crPending) {
      // The previous chunk ended in the file's first \r: a \n now makes it CRLF, anything else CR.
      crPending = false;
      brk = b[0] === 10 ? 10 : 13;
      if (brk === 13) {
        if (overlong) overlong--;
        else {
          const lastPart = pending.pop()!;
          pending.push(lastPart.subarray(0, lastPart.length - 1));
          pendingLen--;
        }
        yield* finish(take(Buffer.alloc(0)));
      }
    } else if (brk < 0) {
      const lf = b.indexOf(10),
        cr = b.indexOf(13);
      if (lf >= 0 && (cr < 0 || lf < cr)) brk = 10;
      else if (cr >= 0 && cr === b.length - 1) crPending = true;
      else if (cr >= 0) brk = b[cr + 1] === 10 ? 10 : 13;
    }
    if (brk < 0) {
      keep(b);
      continue;
    }
    for (let i = b.indexOf(brk); i >= 0; i = b.indexOf(brk, start)) {
      yield* finish(take(b.subarray(start, i)));
      start = i + 1;
    }
    if (start < b.length) keep(b.subarray(start));
  }
  if (pendingLen || overlong) yield* finish(take(Buffer.alloc(0)));
  if (!headerSeen)
    throw new CaseCsvHeaderError(
      `${source}: the file is empty; it needs the header line (see README, "Case CSV format")`,
    );
}

/**
 * The one header check of a case CSV on disk (the case load and the upload endpoint): reads up to
 * the header line and closes the file, whatever happens. Throws CaseCsvHeaderError; returns the
 * file's columns (with or without the optional extension column).
 */
export async function checkCaseFileHeader(path: string, name: string): Promise<CaseHeader> {
  const input = createReadStream(path, { highWaterMark: 64 * 1024 });
  const columns: { value?: CaseHeader } = {};
  const rows = parseCaseCsvStream(input, name, { onHeader: (c) => (columns.value = c) });
  try {
    await rows.next();
  } finally {
    await rows.return(undefined);
    input.destroy();
  }
  // A file with a header line has been through the check above, or it threw.
  return columns.value!;
}

/**
 * What the upload endpoint checks before a case CSV goes to the inbox: not plainly another kind of
 * file, the header, and every line readable as a record (quoting, bytes, length). Returns why the
 * file is refused, or null. Row rules (dates, codes …) are the load's: such rows are rejected there.
 */
export async function caseFileRefusal(path: string, name: string): Promise<string | null> {
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(64), 0, 64, 0);
    const not = sniffNotText(buffer.subarray(0, bytesRead));
    if (not) return `${name}: ${not.reason} (README, "Case CSV format")`;
  } finally {
    await fh.close();
  }
  const input = createReadStream(path, { highWaterMark: 64 * 1024 });
  try {
    for await (const row of parseCaseCsvStream(input, name)) {
      if ('error' in row)
        return `${name} on line ${row.line}: ${row.error}; fix the file and upload it again (README, "Case CSV format")`;
    }
    return null;
  } catch (err) {
    if (err instanceof CaseCsvHeaderError) return err.message;
    throw err;
  } finally {
    input.destroy();
  }
}
