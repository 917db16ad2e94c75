/**
 * The I/O edge for case exports: streams a CSV through csv-parse and yields one row at a time,
 * so memory stays flat however large the export. The header is checked first and refused whole.
 */
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { CsvError } from 'csv-parse';
import { checkCaseCsvHeader } from '../parse/case-csv.ts';

export class CaseCsvHeaderError extends Error {
  override name = 'CaseCsvHeaderError';
}

/**
 * A data row with the line it ends on (equal to its line unless a quoted field spans lines),
 * or a row csv-parse could not read at all (bad quoting), reported and skipped.
 */
export type CaseCsvRow =
  | { line: number; record: string[] }
  | { line: number; error: string };

export async function* parseCaseCsvStream(readable: Readable, source = 'cases.csv'): AsyncGenerator<CaseCsvRow> {
  const unreadable: CaseCsvRow[] = [];
  const parser = readable.pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true, // a short or long row is the validator's to report, not fatal
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err: CsvError | undefined) => {
        unreadable.push({ line: Number(err?.lines ?? 0), error: err?.message ?? 'unreadable CSV record' });
        return undefined;
      },
    }),
  );
  // A read error on the source must end the iteration, not hang it.
  readable.once('error', (e) => parser.destroy(e));
  let headerSeen = false;
  for await (const row of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    while (unreadable.length) yield unreadable.shift()!;
    if (!headerSeen) {
      const check = checkCaseCsvHeader(row.record);
      if (!check.ok) {
        parser.destroy();
        throw new CaseCsvHeaderError(`${source} on line ${row.info.lines}: ${check.message}`);
      }
      headerSeen = true;
      continue;
    }
    yield { line: row.info.lines, record: row.record };
  }
  while (unreadable.length) yield unreadable.shift()!;
  if (!headerSeen) throw new CaseCsvHeaderError(`${source}: the file is empty; it needs the header line (see README, "Case CSV format")`);
}
