/**
 * Fuzzing the pure parsers and validators with fast-check: mutated lists (the bundled one, cut,
 * spliced, with stray bytes), mutated clean sheets, random case rows and random bytes through the
 * case line reader. They may report problems; they must never crash with anything but their own
 * typed errors, never invent a line, never accept what the rules refuse. A fixed seed in CI;
 * `FUZZ_RUNS=N` runs more, `FUZZ_SEED=S` another seed.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASE_COLUMNS, CASE_COLUMNS_WITH_EXTENSION, OUTCOMES, validateCaseRow } from '../../etl/parse/case-csv.ts';
import { shanghaiDayOf } from '../../etl/calendar/civil-date.ts';
import { parseCleanSheet } from '../../etl/parse/clean-sheet.ts';
import { splitCsvLine } from '../../etl/parse/csv-line.ts';
import { parseListText } from '../../etl/parse/list-text.ts';
import { ListParseError } from '../../etl/parse/list-types.ts';
import { CaseCsvHeaderError, parseCaseCsvStream } from '../../etl/sources/case-csv-stream.ts';
import { csvRows } from '../../etl/sources/clean-sheet-file.ts';
import { bundledText, profile } from '../helpers/bundled.ts';
import { readFileSync } from 'node:fs';
import { ROOT } from '../helpers/test-db.ts';
import { join } from 'node:path';

const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || undefined;
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const opts = (ciRuns: number) => ({ numRuns: RUNS ?? ciRuns, seed: SEED });

const P = profile();
const LIST = bundledText().split('\n');
const SHEET = readFileSync(join(ROOT, 'test/fixtures/reform/liangzhou-v1.csv'), 'utf8');

/** One edit of a text's lines: drop, repeat, cut, splice in noise, swap. */
const edit = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat(), n: fc.nat() }),
  fc.record({
    op: fc.constant('noise' as const),
    at: fc.nat(),
    text: fc.string({
      unit: fc.constantFrom(
        '\t',
        ' ',
        '"',
        ',',
        '\r',
        '\0',
        '序',
        '号',
        '罚',
        '款',
        '1',
        '元',
        '《',
        '》',
        '第',
        '条',
        'x',
        '\uFFFD',
      ),
    }),
  }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), n: fc.nat() }),
);
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function mutate(lines: readonly string[], edits: readonly Edit[]): string[] {
  const out = [...lines];
  for (const e of edits) {
    if (!out.length) break;
    const at = e.at % out.length;
    if (e.op === 'drop') out.splice(at, e.n);
    else if (e.op === 'repeat') out.splice(at, 0, ...out.slice(at, at + e.n));
    else if (e.op === 'cut') out[at] = out[at]!.slice(0, e.n % (out[at]!.length + 1));
    else if (e.op === 'noise') {
      const l = out[at]!;
      const k = (e.at >> 3) % (l.length + 1);
      out[at] = l.slice(0, k) + e.text + l.slice(k);
    } else {
      const b = e.n % out.length;
      [out[at], out[b]] = [out[b]!, out[at]!];
    }
  }
  return out;
}

describe('fuzz: lists', () => {
  it('a mutated list parses into items and issues, or fails as ListParseError; every line it cites exists; a repeated 序号 is recorded', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
        const lines = mutate(LIST, edits);
        let parsed: ReturnType<typeof parseListText>;
        try {
          parsed = parseListText(lines.join('\n'), 'fuzz.txt', P);
        } catch (err) {
          expect(err).toBeInstanceOf(ListParseError);
          return;
        }
        const n = lines.join('\n').split(/\r\n|\n|\r/).length;
        for (const it of parsed.items) for (const l of it.source_lines) expect(l >= 1 && l <= n).toBe(true);
        for (const i of parsed.issues) expect(i.line >= 0 && i.line <= n).toBe(true);
        // Never a silent double count: a 序号 kept by two items has its repeat recorded as a seq issue.
        const bySeq = new Map<number, number>();
        for (const it of parsed.items) bySeq.set(it.seq, (bySeq.get(it.seq) ?? 0) + 1);
        for (const [seq, count] of bySeq)
          if (count > 1)
            expect(parsed.issues.some((i) => i.field === 'seq' && i.message.includes(`"${seq}"`))).toBe(true);
      }),
      opts(40),
    );
  });

  it('a mutated clean sheet parses or fails as ListParseError (or a CSV error naming the file)', () => {
    const lines = SHEET.split('\n');
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        const text = mutate(lines, edits).join('\n');
        let rows: string[][];
        try {
          rows = csvRows(Buffer.from(text), 'fuzz.csv');
        } catch (err) {
          expect((err as Error).message).toMatch(/^fuzz\.csv: /);
          return;
        }
        try {
          const parsed = parseCleanSheet(rows, 'fuzz.csv');
          expect(new Set(parsed.items.map((i) => i.seq)).size).toBe(parsed.items.length);
        } catch (err) {
          expect(err).toBeInstanceOf(ListParseError);
        }
      }),
      opts(60),
    );
  });
});

describe('fuzz finds, kept as examples', () => {
  it('a first row naming an item and a sub-item with a new 序号 makes that item (it crashed: seqOrigin read before its declaration)', () => {
    const rows = csvRows(Buffer.from(SHEET), 'v1.csv');
    const header = rows.findIndex((r) => r.includes('序号'));
    const col = (name: string) => rows[header]!.indexOf(name);
    const row = rows[header]!.map(() => '');
    row[col('序号')] = '1';
    row[col('事项名称')] = '人力资源服务许可';
    row[col('子项名称')] = '设立许可';
    row[col('权力类型')] = '行政许可';
    const parsed = parseCleanSheet([...rows.slice(0, header + 1), row], 'v1.csv');
    expect(parsed.items.map((i) => [i.seq, i.sub_items.map((x) => x.name)])).toEqual([[1, ['设立许可']]]);
  });
});

const ctx = {
  lookupItem: (code: string) => (code.startsWith('1162') ? { power_type: null } : null),
  bureauIds: new Set(['B1']),
  notAfterMs: Date.parse('2026-06-01T00:00:00Z'),
};
const stamp = fc.oneof(
  fc.constant(''),
  fc
    .date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString().replace('.000Z', '+08:00')),
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '2025-02-30T09:00:00+08:00',
    '2025-13-01T00:00:00Z',
    '9999-99-99',
    '2025-03-01 09:00:00+08:00',
    '2025-03-01T09:00:00',
  ),
);
const cell = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '=1+1',
    "x');DROP TABLE t;--",
    'pending',
    'penalized',
    'true',
    'false',
    '5000',
    '-1',
    '1e309',
    'B1',
    '1162X',
  ),
);
const caseRow = fc.tuple(
  fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,70}$/), cell),
  fc.oneof(fc.constant('B1'), cell),
  fc.oneof(fc.constant('1162001'), cell),
  cell,
  stamp,
  stamp,
  stamp,
  stamp,
  stamp,
  stamp,
  stamp,
  fc.oneof(fc.constantFrom(...OUTCOMES), cell),
  cell,
  cell,
  fc.oneof(fc.constantFrom('true', 'false'), cell),
);

describe('fuzz: case rows', () => {
  it('validateCaseRow never throws; what it accepts keeps the rules, what it refuses names a real field', () => {
    const fields = new Set<string>([...CASE_COLUMNS, 'row']);
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 9, arbitrary: caseRow.map((r) => [...r]) },
          { weight: 1, arbitrary: fc.array(cell, { maxLength: 20 }) },
        ),
        fc.integer({ min: 2, max: 1e6 }),
        (record, line) => {
          const r = validateCaseRow(record, line, ctx);
          if ('errors' in r) {
            expect(r.errors.length).toBeGreaterThan(0);
            for (const e of r.errors) expect(fields.has(e.field) && e.line === line).toBe(true);
            return;
          }
          const c = r.ok;
          expect(c.case_id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$/);
          expect(c.bureau_id).toBe('B1');
          const times = Object.values(c.times)
            .filter((t): t is string => t !== null)
            .map((t) => Date.parse(t.replace(' ', 'T')));
          for (let i = 1; i < times.length; i++) expect(times[i]! >= times[i - 1]!).toBe(true);
          for (const t of times) expect(t <= ctx.notAfterMs).toBe(true);
          if (c.fine_yuan !== null)
            expect(c.outcome === 'penalized' && c.fine_yuan >= 0 && c.fine_yuan <= 100_000_000).toBe(true);
        },
      ),
      opts(3000),
    );
  });

  it('with the extension column: never throws; an accepted approval lies between the start and the clock', () => {
    const withExt = { ...ctx, columns: CASE_COLUMNS_WITH_EXTENSION };
    const fields = new Set<string>([...CASE_COLUMNS_WITH_EXTENSION, 'row']);
    const day = fc.oneof(stamp, cell, fc.constantFrom('2024-03-05', '2024-02-30', '2099-01-01', ''));
    fc.assert(
      fc.property(
        caseRow.map((r) => [...r]),
        day,
        (record, approved) => {
          const r = validateCaseRow([...record, approved], 5, withExt);
          if ('errors' in r) {
            for (const e of r.errors) expect(fields.has(e.field) && e.line === 5).toBe(true);
            return;
          }
          const d = r.ok.extensionApprovedDay;
          if (approved.trim() === '') expect(d).toBeNull();
          else expect(d! >= r.ok.startedDay && d! <= shanghaiDayOf(ctx.notAfterMs)).toBe(true);
        },
      ),
      opts(2000),
    );
  });

  it('the line reader takes any bytes: typed header errors only, rows in line order, splitCsvLine agreeing on readable lines', async () => {
    const header = Buffer.from(`${CASE_COLUMNS.join(',')}\n`);
    const line = fc.oneof(
      caseRow.map((r) => r.map((f) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',')),
      fc.string({ unit: fc.constantFrom('"', ',', 'a', '\r', '\n', '\0', '中') }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(line, { maxLength: 30 }),
        fc.uint8Array({ maxLength: 200 }),
        async (withHeader, lines, junk) => {
          const bytes = Buffer.concat([
            withHeader ? header : Buffer.alloc(0),
            Buffer.from(lines.join('\n')),
            Buffer.from(junk),
          ]);
          let last = 0;
          try {
            for await (const r of parseCaseCsvStream(Readable.from([bytes]), 'fuzz.csv', { maxLineBytes: 512 })) {
              expect(r.line).toBeGreaterThan(last);
              last = r.line;
              if ('record' in r)
                expect(splitCsvLine(r.record.map((f) => `"${f.replaceAll('"', '""')}"`).join(','))).toEqual({
                  ok: true,
                  fields: r.record,
                });
            }
          } catch (err) {
            expect(err).toBeInstanceOf(CaseCsvHeaderError);
          }
        },
      ),
      opts(300),
    );
  });
});
