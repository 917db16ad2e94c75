/**
 * Writes rows as the bureau's spreadsheet: xlsx through exceljs, or CSV (UTF-8 with a BOM so
 * Excel opens the Chinese text correctly). Produces bytes; callers decide where they go.
 */
import ExcelJS from 'exceljs';
import { SHEET_COLUMNS } from '../parse/clean-sheet.ts';
import { spreadsheetCell } from './csv-cell.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CLEAN_SHEET_NAME = '权责清单';

/** Column widths (characters) for the clean sheet's columns; long texts wrap. */
const WIDTHS: Record<string, number> = {
  序号: 6,
  事项名称: 28,
  子项名称: 24,
  权力类型: 12,
  地方权力编码: 34,
  子项地方权力编码: 34,
  实施依据: 60,
  责任事项内容: 60,
  追责情形: 50,
};

/** Adds a sheet of string rows; `headerRow` (1-based) is bold and frozen. */
export function addRowsSheet(
  wb: ExcelJS.Workbook,
  name: string,
  rows: readonly (readonly string[])[],
  headerRow: number,
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: headerRow }] });
  for (const r of rows) ws.addRow([...r]);
  const header = rows[headerRow - 1] ?? [];
  header.forEach((h, i) => {
    const column = ws.getColumn(i + 1);
    column.width = WIDTHS[h] ?? 14;
    column.alignment = { wrapText: true, vertical: 'top' };
  });
  ws.getRow(headerRow).font = { bold: true };
  return ws;
}

export async function cleanSheetXlsx(rows: readonly (readonly string[])[], now: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'quanze';
  wb.created = now;
  wb.modified = now;
  const headerRow = rows.findIndex((r) => r[0] === SHEET_COLUMNS[0]) + 1;
  addRowsSheet(wb, CLEAN_SHEET_NAME, rows, headerRow || 1);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function rowsToCsv(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(spreadsheetCell).join(',')).join('\r\n')}\r\n`;
}
