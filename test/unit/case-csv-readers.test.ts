/**
 * The fast reader (papaparse; split line by line where a chunk has quotes) must give exactly what the line reader
 * (case-csv-stream.ts) gives: the same records, unreadable lines and line numbers, so a file's rejects do not depend on
 * the reader.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_COLUMNS } from '../../etl/parse/case-csv.ts';
import { readPlainCaseCsv, type LineBreak } from '../../etl/sources/case-csv-plain.ts';
import { parseCaseCsvStream, type CaseCsvRow } from '../../etl/sources/case-csv-stream.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quanze-readers-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function both(
  text: string,
  lineBreak: LineBreak,
  chunkBytes: number,
): Promise<{ plain: CaseCsvRow[]; csvParse: CaseCsvRow[] }> {
  const path = join(dir, 'cases.csv');
  await writeFile(path, text);
  const plain: CaseCsvRow[] = [];
  for await (const batch of readPlainCaseCsv(path, lineBreak, chunkBytes)) plain.push(...batch);
  const csvParse: CaseCsvRow[] = [];
  for await (const row of parseCaseCsvStream(createReadStream(path), 'cases.csv')) csvParse.push(row);
  return { plain, csvParse };
}

const cell = fc.stringMatching(/^[A-Za-z0-9 +:.\-_/中文]{0,12}$/);
const line = fc.oneof(
  { weight: 6, arbitrary: fc.array(cell, { minLength: 15, maxLength: 15 }).map((f) => f.join(',')) },
  { weight: 1, arbitrary: fc.array(cell, { minLength: 1, maxLength: 18 }).map((f) => f.join(',')) },
  { weight: 1, arbitrary: fc.constant('') },
);

/** Cells as exports quote them, and quoting gone wrong: unclosed, text after the closing quote, a quote inside. */
const quotedCell = fc.oneof(
  { weight: 4, arbitrary: cell },
  { weight: 3, arbitrary: cell.map((c) => `"${c}"`) },
  { weight: 1, arbitrary: fc.tuple(cell, cell).map(([a, b]) => `"${a}""${b}"`) },
  { weight: 1, arbitrary: fc.tuple(cell, cell).map(([a, b]) => `"${a},${b}"`) },
  { weight: 1, arbitrary: fc.constantFrom('"unclosed', '"a"b', 'a"b', '""', '"') },
);
const quotedLine = fc.oneof(
  { weight: 6, arbitrary: fc.array(quotedCell, { minLength: 15, maxLength: 16 }).map((f) => f.join(',')) },
  { weight: 1, arbitrary: fc.constant('') },
);

describe('the fast reader agrees with the line reader', () => {
  it('on quote-free files, the same records and line numbers: LF or CRLF, empty lines, a BOM, with or without a last line break, any chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 40 }),
        fc.constantFrom<LineBreak>('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 300 }),
        async (lines, lineBreak, bom, lastBreak, chunkBytes) => {
          const text =
            (bom ? '\uFEFF' : '') + [CASE_COLUMNS.join(','), ...lines].join(lineBreak) + (lastBreak ? lineBreak : '');
          const { plain, csvParse } = await both(text, lineBreak, chunkBytes);
          expect(plain).toEqual(csvParse);
        },
      ),
      { numRuns: 150 },
    );
  });
  it('on files with quotes: quoted fields, doubled quotes, commas inside, broken quoting rejected line by line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(quotedLine, { maxLength: 40 }),
        fc.constantFrom<LineBreak>('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 300 }),
        async (lines, lineBreak, lastBreak, chunkBytes) => {
          const text = [CASE_COLUMNS.join(','), ...lines].join(lineBreak) + (lastBreak ? lineBreak : '');
          const { plain, csvParse } = await both(text, lineBreak, chunkBytes);
          expect(plain).toEqual(csvParse);
        },
      ),
      { numRuns: 150 },
    );
    const { plain } = await both(`${CASE_COLUMNS.join(',')}\n"a,b",c\n"open,d\n`, '\n', 1 << 16);
    expect(plain).toEqual([
      { line: 2, record: ['a,b', 'c'] },
      expect.objectContaining({
        line: 3,
        field: 'row',
        error: expect.stringMatching(/^unreadable CSV record: .*not closed/),
      }),
    ]);
  });
  it('numbers lines past empty ones and keeps surrounding spaces for the validator', async () => {
    const { plain } = await both(`${CASE_COLUMNS.join(',')}\n\n a ,b\n\nc\n`, '\n', 1 << 16);
    expect(plain).toEqual([
      { line: 3, record: [' a ', 'b'] },
      { line: 5, record: ['c'] },
    ]);
  });
});
