/**
 * The fast reader (papaparse, quote-free files) must give exactly what the line reader (case-csv-stream.ts) gives: the same
 * records with the same line numbers, so a file's rejects do not depend on the reader.
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

describe('the fast reader agrees with the line reader on quote-free files', () => {
  it('same records and line numbers: LF or CRLF, empty lines, a BOM, with or without a last line break, any chunk size', async () => {
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
  it('numbers lines past empty ones and keeps surrounding spaces for the validator', async () => {
    const { plain } = await both(`${CASE_COLUMNS.join(',')}\n\n a ,b\n\nc\n`, '\n', 1 << 16);
    expect(plain).toEqual([
      { line: 3, record: [' a ', 'b'] },
      { line: 5, record: ['c'] },
    ]);
  });
});
