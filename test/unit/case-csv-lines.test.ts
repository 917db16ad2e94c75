/**
 * The line reader (etl/sources/case-csv-stream.ts): bad quoting, bad bytes and overlong lines are
 * rejected at their own line and reading goes on; the header refuses the file whole.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASE_COLUMNS, validateCaseRow } from '../../etl/parse/case-csv.ts';
import { splitCsvLine } from '../../etl/parse/csv-line.ts';
import { sniffNotText } from '../../etl/parse/text-sniff.ts';
import { CaseCsvHeaderError, parseCaseCsvStream, type CaseCsvRow } from '../../etl/sources/case-csv-stream.ts';

const HEADER = CASE_COLUMNS.join(',');
const row = (id: string) => `${id},B,I,,2025-01-01T09:00:00+08:00,,,,,,,pending,,,false`;

async function read(chunks: (string | Buffer)[], maxLineBytes?: number): Promise<CaseCsvRow[]> {
  const out: CaseCsvRow[] = [];
  for await (const r of parseCaseCsvStream(Readable.from(chunks), 'x.csv', { maxLineBytes })) out.push(r);
  return out;
}
const errors = (rows: CaseCsvRow[]) => rows.filter((r) => 'error' in r);

describe('splitCsvLine', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['a,"b,c",d', ['a', 'b,c', 'd']],
    ['"a""b",', ['a"b', '']],
    ['', ['']],
    ['x"y,z', ['x"y', 'z']],
  ])('%j', (line, fields) => expect(splitCsvLine(line)).toEqual({ ok: true, fields }));
  it('refuses an unclosed quote and text after a closing quote, naming the field', () => {
    expect(splitCsvLine('a,"b')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^field 2 opens a quote at column 3 that is not closed on this line/),
    });
    expect(splitCsvLine('a,"b"c')).toEqual({
      ok: false,
      reason: 'field 2 has text after its closing quote (column 6)',
    });
  });
});

describe('the line reader', () => {
  it('an unterminated quote rejects its own line only: the other 9,999 rows are read', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 10_000; i++) lines.push(i === 4 ? `"C-${i},B,I` : row(`C-${i}`));
    const rows = await read([`${lines.join('\n')}\n`]);
    expect(rows).toHaveLength(10_000);
    expect(errors(rows)).toEqual([
      {
        line: 6,
        field: 'row',
        value: '"C-4,B,I',
        error: expect.stringMatching(/^unreadable CSV record: field 1 opens a quote/),
      },
    ]);
    expect(rows.at(-1)).toMatchObject({ line: 10_001, record: expect.arrayContaining(['C-9999']) });
  });

  it('a NUL byte or a non-UTF-8 byte anywhere rejects its row, naming line and field', async () => {
    const gb = Buffer.from([0x43, 0x2d, 0xb9, 0xa4, 0xc9, 0xcb]); // "C-工伤" in GB18030
    const rows = await read([
      Buffer.concat([
        Buffer.from(`${HEADER}\n${row('A')}\n`),
        Buffer.from('B,x\0y,I\n'),
        gb,
        Buffer.from(`,B,I\n${row('D')}\n`),
      ]),
    ]);
    expect(errors(rows)).toEqual([
      {
        line: 3,
        field: 'bureau_id',
        value: 'x\0y',
        error: expect.stringContaining('bureau_id holds a NUL byte (0x00) at byte 2 of the field'),
      },
      {
        line: 4,
        field: 'case_id',
        value: expect.stringMatching(/^C-\uFFFD+$/),
        error: expect.stringContaining('case_id is not UTF-8 text'),
      },
    ]);
    expect(rows.filter((r) => 'record' in r).map((r) => r.line)).toEqual([2, 5]);
  });

  it('a line longer than the limit is rejected with its length and only its start kept, then reading goes on', async () => {
    const huge = 'X'.repeat(200_000);
    const rows = await read([`${HEADER}\n${row('A')}\n${huge}`, `,B\n${row('B')}\n`], 1024);
    expect(errors(rows)).toEqual([
      {
        line: 3,
        field: 'case_id',
        value: 'X'.repeat(1024),
        error: expect.stringMatching(
          /^the line is 200002 bytes long, more than a case record can be \(at most 1024 bytes\); case_id is longer/,
        ),
      },
    ]);
    expect(rows.filter((r) => 'record' in r).map((r) => r.line)).toEqual([2, 4]);
  });

  it('refuses a wrong, quoted-broken or non-UTF-8 header whole', async () => {
    await expect(read(['id,when\n1,2\n'])).rejects.toThrow(/x\.csv on line 1: the case CSV header is wrong/);
    await expect(read([`"${HEADER}\n`])).rejects.toThrow(CaseCsvHeaderError);
    await expect(read([Buffer.from([0xff, 0x41, 0x0a])])).rejects.toThrow(
      'x.csv on line 1: the header line is not UTF-8 text',
    );
    await expect(read([''])).rejects.toThrow('x.csv: the file is empty');
  });

  it('accepts a quoted header and quoted fields', async () => {
    const rows = await read([
      `${CASE_COLUMNS.map((c) => `"${c}"`).join(',')}\r\n"A",B,I,,2025-01-01T09:00:00+08:00,,,,,,,pending,,,false\r\n`,
    ]);
    expect(rows).toEqual([
      {
        line: 2,
        record: ['A', 'B', 'I', '', '2025-01-01T09:00:00+08:00', '', '', '', '', '', '', 'pending', '', '', 'false'],
      },
    ]);
  });

  it('gives the same rows whatever the chunking and the line break (LF, CRLF, CR)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.constant(row('A')),
            fc.constant('"a,b'),
            fc.constant(''),
            fc.constant('a,"b""c",d'),
            fc.constant('中文,\0'),
          ),
          { maxLength: 20 },
        ),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.integer({ min: 1, max: 50 }),
        async (lines, br, size) => {
          const bytes = Buffer.from([HEADER, ...lines].join(br) + br);
          const chunks: Buffer[] = [];
          for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
          expect(await read(chunks)).toEqual(await read([Buffer.from(`${[HEADER, ...lines].join('\n')}\n`)]));
        },
      ),
      { numRuns: 200, seed: 13 },
    );
  });
});

describe('sniffNotText', () => {
  it.each([
    ['zip', Buffer.from('PK\x03\x04rest', 'latin1')],
    ['xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1])],
    ['pdf', Buffer.from('%PDF-1.7')],
    ['gzip', Buffer.from([0x1f, 0x8b, 8])],
    ['utf16', Buffer.from(`\uFEFF${HEADER}`, 'utf16le')],
    ['utf16', Buffer.from(HEADER, 'utf16le')],
  ])('%s', (kind, bytes) => expect(sniffNotText(bytes)?.kind).toBe(kind));
  it('passes UTF-8 CSV text, with or without BOM', () => {
    expect(sniffNotText(Buffer.from(`\uFEFF${HEADER}\n`))).toBeNull();
    expect(sniffNotText(Buffer.from('案件,中文\n'))).toBeNull();
  });
});

describe('a field longer than its column allows', () => {
  it('is rejected with its length', () => {
    const record = row('C'.repeat(100)).split(',');
    const r = validateCaseRow(record, 7, { lookupItem: () => ({ power_type: null }) });
    expect(r).toEqual({
      errors: expect.arrayContaining([
        expect.objectContaining({
          field: 'case_id',
          reason: 'required; letters, digits and _ . - / only, at most 64 characters (this one has 100)',
        }),
      ]),
    });
  });
});
