import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  CASE_COLUMNS,
  CASE_COLUMNS_WITH_EXTENSION,
  checkCaseCsvHeader,
  validateCaseRow,
} from '../../etl/parse/case-csv.ts';
import type { CaseRowContext } from '../../etl/parse/case-csv.ts';
import { CaseCsvHeaderError, parseCaseCsvStream } from '../../etl/sources/case-csv-stream.ts';

const LICENCE = '11622301566438677P4620114001000';
const PENALTY = '11622301566438677P4620214010000';
const ctx: CaseRowContext = {
  lookupItem: (code) =>
    code === LICENCE ? { power_type: '行政许可' } : code === PENALTY ? { power_type: '行政处罚' } : null,
  bureauIds: new Set(['liangzhou']),
  notAfterMs: Date.UTC(2025, 0, 1),
};

function row(over: Partial<Record<(typeof CASE_COLUMNS)[number], string>>): string[] {
  const base: Record<string, string> = {
    case_id: 'C1',
    bureau_id: 'liangzhou',
    item_code: LICENCE,
    sub_item_code: '',
    received_at: '2024-03-04T09:00:00+08:00',
    accepted_at: '2024-03-04T10:00:00+08:00',
    investigated_at: '',
    reviewed_at: '',
    decided_at: '2024-03-15T11:00:00+08:00',
    served_at: '',
    closed_at: '',
    outcome: 'approved',
    fine_yuan: '',
    persons: '',
    synthetic: 'false',
  };
  return CASE_COLUMNS.map((c) => over[c] ?? base[c]!);
}

describe('checkCaseCsvHeader', () => {
  it('accepts the exact header, with or without a BOM', () => {
    expect(checkCaseCsvHeader([...CASE_COLUMNS])).toEqual({ ok: true, columns: CASE_COLUMNS });
    expect(checkCaseCsvHeader(['\uFEFFcase_id', ...CASE_COLUMNS.slice(1)])).toEqual({
      ok: true,
      columns: CASE_COLUMNS,
    });
  });
  it('accepts the optional extension column last, and nowhere else', () => {
    expect(checkCaseCsvHeader([...CASE_COLUMNS, 'extension_approved_at'])).toEqual({
      ok: true,
      columns: CASE_COLUMNS_WITH_EXTENSION,
    });
    const early = [...CASE_COLUMNS.slice(0, 4), 'extension_approved_at', ...CASE_COLUMNS.slice(4)];
    expect(checkCaseCsvHeader(early)).toMatchObject({ ok: false, message: expect.stringMatching(/out of order/) });
    expect(checkCaseCsvHeader([...CASE_COLUMNS, 'extended'])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/unknown: "extended".*optionally followed by ,extension_approved_at/),
    });
  });
  it('refuses a wrong header whole and says what differs', () => {
    const r = checkCaseCsvHeader(['case_id', 'bureau', ...CASE_COLUMNS.slice(2)]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/missing: bureau_id; unknown: "bureau"/);
    const swapped = [...CASE_COLUMNS];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    const s = checkCaseCsvHeader(swapped);
    expect(s.ok === false && s.message).toMatch(/out of order/);
  });
});

describe('validateCaseRow', () => {
  it('returns a typed record for a good row', () => {
    const r = validateCaseRow(row({}), 2, ctx);
    expect(r).toMatchObject({
      ok: { line: 2, power_type: '行政许可', outcome: 'approved', fine_yuan: null, synthetic: false },
    });
  });

  it.each([
    [{ received_at: '2024-03-04 09:00' }, 'received_at', /offset/],
    [{ received_at: '2024-03-04T09:00:00' }, 'received_at', /offset/],
    [{ decided_at: '2024-03-01T09:00:00+08:00' }, 'decided_at', /before accepted_at/],
    [{ decided_at: '2025-06-01T09:00:00+08:00' }, 'decided_at', /future/],
    [{ item_code: 'X999' }, 'item_code', /not an item/],
    [{ bureau_id: 'wuwei' }, 'bureau_id', /not a known bureau/],
    [{ outcome: 'granted' }, 'outcome', /expected one of/],
    [{ decided_at: '' }, 'decided_at', /needs decided_at/],
    [{ fine_yuan: '5000' }, 'fine_yuan', /only a penalized case/],
    [{ item_code: PENALTY, outcome: 'penalized', fine_yuan: '-5' }, 'fine_yuan', /digits/],
    [{ item_code: PENALTY, outcome: 'penalized', fine_yuan: '5e9' }, 'fine_yuan', /digits/],
    [{ item_code: PENALTY, outcome: 'penalized', fine_yuan: '900000000' }, 'fine_yuan', /unit/],
    [{ persons: '0' }, 'persons', /whole number/],
    [{ synthetic: 'yes' }, 'synthetic', /true or false/],
    [{ received_at: '', accepted_at: '' }, 'received_at', /received_at or accepted_at/],
    [{ outcome: 'pending' }, 'decided_at', /pending/],
  ] as const)('%o → error on %s', (over, field, reason) => {
    const r = validateCaseRow(row(over), 7, ctx);
    expect('errors' in r).toBe(true);
    if ('errors' in r)
      expect(r.errors).toContainEqual(
        expect.objectContaining({ line: 7, field, reason: expect.stringMatching(reason) }),
      );
  });

  describe('the optional extension_approved_at column', () => {
    const withExt = { ...ctx, columns: CASE_COLUMNS_WITH_EXTENSION };
    const ext = (v: string) => [...row({}), v];
    it('reads a date or a timestamp as its day in China, and empty as none', () => {
      expect(validateCaseRow(ext('2024-03-10'), 2, withExt)).toMatchObject({
        ok: { extensionApprovedDay: Date.UTC(2024, 2, 10) / 86_400_000 },
      });
      // 2024-03-09T20:00Z is the 10th in Shanghai.
      expect(validateCaseRow(ext('2024-03-09T20:00:00Z'), 2, withExt)).toMatchObject({
        ok: { extensionApprovedDay: Date.UTC(2024, 2, 10) / 86_400_000 },
      });
      expect(validateCaseRow(ext(''), 2, withExt)).toMatchObject({ ok: { extensionApprovedDay: null } });
      expect(validateCaseRow(row({}), 2, ctx)).toMatchObject({ ok: { extensionApprovedDay: null } });
    });
    it.each([
      ['2024-02-30', /YYYY-MM-DD/],
      ['yes', /YYYY-MM-DD/],
      ['2024-03-10T09:00:00', /YYYY-MM-DD/],
      ['2025-06-01', /future/],
      ['2024-03-03', /before the case started/],
    ])('%s → rejected with line, field and reason', (value, reason) => {
      expect(validateCaseRow(ext(value), 8, withExt)).toEqual({
        errors: [{ line: 8, field: 'extension_approved_at', value, reason: expect.stringMatching(reason) }],
      });
    });
    it('needs the field count of the header: 15 without the column, 16 with it', () => {
      expect(validateCaseRow(row({}), 4, withExt)).toEqual({
        errors: [expect.objectContaining({ line: 4, field: 'row', reason: 'expected 16 fields, got 15' })],
      });
      expect(validateCaseRow(ext('2024-03-10'), 4, ctx)).toEqual({
        errors: [expect.objectContaining({ line: 4, field: 'row', reason: 'expected 15 fields, got 16' })],
      });
    });
  });

  it('never turns a bad value into 0', () => {
    const r = validateCaseRow(row({ item_code: PENALTY, outcome: 'penalized', fine_yuan: 'abc' }), 3, ctx);
    expect('ok' in r).toBe(false);
  });

  it('reports a short row', () => {
    expect(validateCaseRow(['a', 'b'], 9, ctx)).toEqual({
      errors: [expect.objectContaining({ field: 'row', line: 9 })],
    });
  });
});

describe('parseCaseCsvStream', () => {
  it('yields rows with line numbers and validates them', async () => {
    const good: string[] = [];
    const bad: { line: number; field: string }[] = [];
    const stream = createReadStream(new URL('../fixtures/cases/sample.csv', import.meta.url));
    for await (const r of parseCaseCsvStream(stream, 'sample.csv')) {
      if ('error' in r) throw new Error(r.error);
      const v = validateCaseRow(r.record, r.line, ctx);
      if ('ok' in v) good.push(v.ok.case_id);
      else bad.push(...v.errors.map((e) => ({ line: e.line, field: e.field })));
    }
    expect(good).toEqual(['LZ-2024-000001', 'LZ-2024-000002']);
    expect(bad).toEqual([
      { line: 4, field: 'accepted_at' },
      { line: 5, field: 'synthetic' },
      { line: 6, field: 'row' },
    ]);
  });

  it('refuses a wrong header before any row', async () => {
    const rows = async () => {
      for await (const _ of parseCaseCsvStream(Readable.from(['id,when\n1,2\n']), 'x.csv')) void _;
    };
    await expect(rows()).rejects.toThrow(CaseCsvHeaderError);
    await expect(rows()).rejects.toThrow(/x\.csv on line 1: the case CSV header is wrong/);
  });

  it('reports badly quoted rows and carries on', async () => {
    const text = `${CASE_COLUMNS.join(',')}\n"unterminated,x\n`;
    const out = [];
    for await (const r of parseCaseCsvStream(Readable.from([text]))) out.push(r);
    expect(out.some((r) => 'error' in r)).toBe(true);
  });
});
