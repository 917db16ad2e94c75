import { describe, expect, it } from 'vitest';
import { csvField, restoreFormulaText, spreadsheetCell } from '../../etl/export/csv-cell.ts';
import { rowsToCsv } from '../../etl/export/sheet-write.ts';
import { csvRows } from '../../etl/sources/clean-sheet-file.ts';
import { toCsv } from '../../server/table-reply.ts';

const PAYLOADS = ['=1+1', '+cmd|/C calc!A0', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1', '=HYPERLINK("http://x","点我")'];

describe('CSV cells', () => {
  it.each(PAYLOADS)('neutralises the formula %j in files people open, never in data files', (payload) => {
    const cell = spreadsheetCell(payload);
    const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
    expect(unquoted).toBe(`'${payload}`);
    expect(csvField(payload).replace(/^"|"$/g, '').replace(/""/g, '"')).toBe(payload);
    expect(restoreFormulaText(`'${payload}`)).toBe(payload);
  });

  it('leaves plain numbers, text and empty values as they are', () => {
    expect(spreadsheetCell('-3')).toBe('-3');
    expect(spreadsheetCell('+1.5')).toBe('+1.5');
    expect(spreadsheetCell('劳动监察大队')).toBe('劳动监察大队');
    expect(spreadsheetCell(null)).toBe('');
    expect(spreadsheetCell(['a', 'b'])).toBe('a、b');
    expect(spreadsheetCell('a,"b"')).toBe('"a,""b"""');
    expect(restoreFormulaText("'text")).toBe("'text");
  });

  it('every table endpoint CSV neutralises formula cells', () => {
    const csv = toCsv([{ name: '=1+1', n: -5 }], { name: 'string', n: 'int' });
    expect(csv).toBe("name,n\n'=1+1,-5\n");
  });

  it('a clean sheet written and read back keeps a cell that starts like a formula', () => {
    const rows = [
      ['序号', '事项名称'],
      ['1', '=对用人单位的处罚'],
      ['2', '-'],
    ];
    expect(csvRows(Buffer.from(rowsToCsv(rows)), 'x.csv')).toEqual(rows);
  });
});
