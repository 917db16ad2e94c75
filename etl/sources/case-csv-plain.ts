/**
 * The fast reader for case exports that are clean UTF-8 text with one kind of line break and no
 * overlong line (what case-handling systems usually write): papaparse's parser in fast mode, one
 * text chunk at a time (its Parser directly: Papa.parse adds about a microsecond per row of
 * bookkeeping a load of millions of rows feels). A case record is exactly one line, so the line
 * number is the record's position. A chunk with quotes is split line by line with the line
 * reader's own splitCsvLine, so a line with broken quoting is rejected alone, as the line reader
 * (case-csv-stream.ts) rejects it; the two agree on every file this one takes
 * (test/unit/case-csv-readers.test.ts). Rows come in batches, one per chunk; memory holds one chunk.
 */
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import { splitCsvLine } from '../parse/csv-line.ts';
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
  const parse = (text: string): CaseCsvRow[] => (text.includes('"') ? parseQuoted(text) : parsePlain(text));
  const parseQuoted = (text: string): CaseCsvRow[] => {
    const out: CaseCsvRow[] = [];
    for (const l of text.split(lineBreak)) {
      line++;
      if (line === 1 || l === '') continue;
      const split = splitCsvLine(l);
      out.push(
        split.ok
          ? { line, record: split.fields }
          : { line, error: `unreadable CSV record: ${split.reason}`, field: 'row', value: l },
      );
    }
    return out;
  };
  const parsePlain = (text: string): CaseCsvRow[] => {
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
