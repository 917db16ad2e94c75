/**
 * The fast reader for case exports without any `"` (what case-handling systems usually write):
 * papaparse's parser in fast mode, one text chunk at a time (its Parser directly: Papa.parse
 * adds about a microsecond per row of bookkeeping a load of millions of rows feels). Without quotes a record is exactly one line,
 * so the line number is the record's position. Rows come in batches, one per chunk, to keep the
 * per-row cost low; memory holds one chunk. Files with quotes go through csv-parse
 * (case-csv-stream.ts), which this reader agrees with on every quote-free file
 * (test/unit/case-csv-readers.test.ts).
 */
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import type { CaseCsvRow } from './case-csv-stream.ts';

export type LineBreak = '\n' | '\r\n';

/** Data rows (the header line is skipped, empty lines too, as csv-parse skips them), a batch per chunk. */
export async function* readPlainCaseCsv(
  path: string,
  lineBreak: LineBreak,
  chunkBytes = 1 << 16,
): AsyncGenerator<CaseCsvRow[]> {
  let rest = '';
  let line = 0;
  const parser = new Papa.Parser({
    delimiter: ',',
    newline: lineBreak,
    fastMode: true,
    header: false,
    skipEmptyLines: false,
  });
  const parse = (text: string): CaseCsvRow[] => {
    // papaparse gives no row for an empty text; it is still one (empty) line.
    const rows: string[][] = text === '' ? [['']] : parser.parse(text, 0, false).data;
    const out: CaseCsvRow[] = [];
    for (const record of rows) {
      line++;
      if (line === 1 || (record.length === 1 && record[0] === '')) continue;
      out.push({ line, record });
    }
    return out;
  };
  const input = createReadStream(path, { encoding: 'utf8', highWaterMark: chunkBytes });
  try {
    for await (const chunk of input) {
      const text = rest + (chunk as string);
      const cut = text.lastIndexOf('\n');
      if (cut < 0) {
        rest = text;
        continue;
      }
      rest = text.slice(cut + 1);
      // In a CRLF file every \n follows a \r (the caller checked), so the chunk ends at that \r.
      yield parse(text.slice(0, lineBreak === '\r\n' ? Math.max(cut - 1, 0) : cut));
    }
    if (rest !== '') yield parse(rest);
  } finally {
    input.destroy();
  }
}
