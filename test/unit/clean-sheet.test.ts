import { describe, expect, it } from 'vitest';
import { cleanSheetRows } from '../../etl/export/clean-sheet-rows.ts';
import { cleanSheetXlsx, rowsToCsv } from '../../etl/export/sheet-write.ts';
import { SHEET_COLUMNS, parseCleanSheet } from '../../etl/parse/clean-sheet.ts';
import { parseListText } from '../../etl/parse/list-text.ts';
import { csvRows, xlsxRows } from '../../etl/sources/clean-sheet-file.ts';
import { bundledText, profile } from '../helpers/bundled.ts';
import { sheetFields } from '../fixtures/reform/sheet-fields.ts';

const H = [...SHEET_COLUMNS];
const row = (cells: Partial<Record<(typeof SHEET_COLUMNS)[number], string>>) => H.map((c) => cells[c] ?? '');

describe('clean sheet round trip on the bundled list', () => {
  const parsed = parseListText(bundledText(), 'liangzhou.txt', profile());
  const rows = cleanSheetRows(parsed);
  const expected = parsed.items.map(sheetFields);

  it('writes a title row, the header, one row per item and one per sub-item', () => {
    const subs = parsed.items.reduce((n, it) => n + it.sub_items.length, 0);
    expect(rows[1]).toEqual(H);
    expect(rows.length).toBe(2 + parsed.items.length + subs);
  });

  it('reads its own rows back to the same items, with sheet rows as provenance', () => {
    const back = parseCleanSheet(rows, 'sheet.csv', { sections: profile().sections });
    expect(back.title).toBe(parsed.title);
    expect(back.items.map(sheetFields)).toEqual(expected);
    expect(back.items[0]!.source_lines).toEqual([3]);
    expect(back.items.every((it) => it.source_lines.length === 1 + it.sub_items.length)).toBe(true);
  });

  it('survives CSV bytes', () => {
    const back = parseCleanSheet(csvRows(Buffer.from(rowsToCsv(rows)), 'x.csv'), 'x.csv');
    expect(back.items.map(sheetFields)).toEqual(expected);
  });

  it('survives xlsx bytes (exceljs)', async () => {
    const bytes = await cleanSheetXlsx(rows, new Date('2026-01-01T00:00:00Z'));
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const back = parseCleanSheet(await xlsxRows(bytes, 'x.xlsx'), 'x.xlsx');
    expect(back.items.map(sheetFields)).toEqual(expected);
  });
});

describe('clean sheet validation names file, row and column', () => {
  const item = {
    序号: '1',
    事项名称: '对某事的处罚',
    权力类型: '行政处罚',
    地方权力编码: '11622301566438677P4620214010000',
    实施依据: '《劳动保障监察条例》第二十五条',
    承办机构: '劳动监察大队',
  };
  it.each([
    [
      'a bad 序号',
      [row({ ...item, 序号: '甲' }), row(item)],
      {
        line: 2,
        field: '序号',
        value: '甲',
        message: 'expected a positive whole number (1, 1., 1、, （1）, 一 …); row skipped',
      },
    ],
    [
      'an unknown power type',
      [row({ ...item, 权力类型: '行政指导' })],
      { line: 2, field: '权力类型', value: '行政指导' },
    ],
    ['an unknown section', [row({ ...item, 承办机构: '办公室' })], { line: 2, field: '承办机构', value: '办公室' }],
    [
      'a code with lowercase letters',
      [row({ ...item, 地方权力编码: 'abc' })],
      { line: 2, field: '地方权力编码', value: 'abc' },
    ],
    ['a duplicated 序号', [row(item), row(item)], { line: 3, field: '序号', value: '1' }],
    ['an orphan sub-item', [row({ 序号: '9', 子项名称: '子项' }), row(item)], { line: 2, field: '序号', value: '9' }],
  ])('reports %s', (_what, body, expected) => {
    const out = parseCleanSheet([H, ...body], 'bad.csv', { sections: ['劳动监察大队'] });
    expect(out.issues).toContainEqual(expect.objectContaining({ source: 'bad.csv', ...expected }));
  });

  it('keeps a null power type with a reason, never a guess', () => {
    const out = parseCleanSheet([H, row({ ...item, 权力类型: '行政指导' })], 'bad.csv');
    expect(out.items[0]!.power_type).toBeNull();
  });

  it('reads tokens in 备注 as flags, and sub-item rows with a blank 序号', () => {
    const out = parseCleanSheet(
      [
        ['某局权责清单'],
        H,
        row({ ...item, 地方权力编码: '01566438677P', 备注: '【名称乱序】【编码不完整】' }),
        row({ 子项名称: '子项一', 子项地方权力编码: '116223015664386771' }),
      ],
      'ok.csv',
    );
    expect(out.title).toBe('某局权责清单');
    expect(out.items[0]).toMatchObject({
      name_quality: 'scrambled',
      code: null,
      code_read: '01566438677P',
      source_lines: [3, 4],
    });
    expect(out.items[0]!.sub_items).toEqual([
      {
        name: '子项一',
        name_quality: 'ok',
        code: '116223015664386771',
        code_read: null,
        section: null,
        source_lines: [4],
      },
    ]);
  });

  const two = (a: string, b: string) => [
    H,
    row({ ...item, 序号: a }),
    row({ ...item, 序号: b, 事项名称: '对另一事的处罚' }),
  ];
  it.each([
    ['1.', '2.', 'dot'],
    ['1、', '2、', 'comma'],
    ['（1）', '(2)', 'paren'],
    ['一', '二', 'chinese'],
    ['（一）', '十二、', 'chinese'],
  ])('reads 序号 written "%s" and reports the form once', (a, b, form) => {
    const out = parseCleanSheet(two(a, b), 'forms.csv');
    expect(out.items.map((i) => [i.seq, i.seq_origin, i.source_lines])).toEqual([
      [1, 'read', [2]],
      [b === '十二、' ? 12 : 2, 'read', [3]],
    ]);
    expect(out.issues).toEqual([
      {
        source: 'forms.csv',
        line: 2,
        seq: 1,
        field: '序号',
        value: a,
        kind: 'seq_form',
        severity: 'info',
        message: `序号 written "${a}" (${form}) on 2 row(s); read as 1; expected a plain number`,
      },
    ]);
  });

  it("reads a row with an item's 序号 and no name or code as a sub-item whose name could not be read", () => {
    const out = parseCleanSheet([H, row(item), row({ 序号: '1', 备注: '【名称残缺】' })], 'blank.csv');
    expect(out.items).toHaveLength(1);
    expect(out.items[0]!.sub_items).toEqual([
      { name: '', name_quality: 'truncated', code: null, code_read: null, section: null, source_lines: [3] },
    ]);
    expect(out.issues).toContainEqual(
      expect.objectContaining({ line: 3, field: '子项名称', value: '', message: 'sub-item row without a 子项名称' }),
    );
  });

  it('numbers items by row order when 序号 is empty, sub-item rows staying with their item', () => {
    const out = parseCleanSheet(
      [
        H,
        row({ ...item, 序号: '' }),
        row({ 子项名称: '子项一' }),
        row({ ...item, 序号: '', 事项名称: '对另一事的处罚' }),
      ],
      'empty.csv',
    );
    expect(out.items.map((i) => [i.seq, i.seq_origin, i.name, i.sub_items.length])).toEqual([
      [1, 'inferred', '对某事的处罚', 1],
      [2, 'inferred', '对另一事的处罚', 0],
    ]);
    expect(out.issues).toEqual([
      {
        source: 'empty.csv',
        line: 2,
        seq: 1,
        field: '序号',
        value: '',
        kind: 'seq_form',
        severity: 'info',
        message: '序号 empty on 2 item row(s); numbered by row order (this row: 1); expected a plain number',
      },
    ]);
  });

  it.each([
    ['no header', [['a', 'b']], /no header row/],
    ['a header missing 权力类型', [['序号', '事项名称', '实施依据']], /权力类型/],
    ['no items', [H], /no item rows/],
  ])('refuses a sheet with %s', (_what, rows, message) => {
    expect(() => parseCleanSheet(rows, 'bad.xlsx')).toThrow(message);
  });
});
