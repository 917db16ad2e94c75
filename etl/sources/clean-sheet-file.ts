/**
 * Reads a clean sheet (xlsx via exceljs, or CSV via csv-parse) into rows of strings, row i
 * being sheet row i+1 (CSV: record i+1), plus the content hash that identifies the load.
 */
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { CLEAN_SHEET_NAME } from '../export/sheet-write.ts';
import { decodeUtf8, readSourceFile } from './source-file.ts';
import { restoreFormulaText } from '../export/csv-cell.ts';

export interface SheetFile {
  path: string;
  name: string;
  rows: string[][];
  hash: string;
}

export const isCleanSheetPath = (path: string) => ['.xlsx', '.csv'].includes(extname(path).toLowerCase());

export async function readCleanSheetFile(path: string): Promise<SheetFile> {
  const { name, bytes, hash } = await readSourceFile(path);
  const rows = extname(path).toLowerCase() === '.xlsx' ? await xlsxRows(bytes, path) : csvRows(bytes, path);
  return { path, name, rows, hash };
}

export async function xlsxRows(bytes: Buffer, path: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new Error(`${path}: not a readable xlsx workbook (${(err as Error).message}); save it as .xlsx`, {
      cause: err,
    });
  }
  const ws = wb.getWorksheet(CLEAN_SHEET_NAME) ?? wb.worksheets[0];
  if (!ws) throw new Error(`${path}: the workbook has no worksheet`);
  const rows: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      cells[c - 1] = cellText(cell);
    });
    rows[n - 1] = Array.from(cells, (c) => c ?? '');
  });
  return Array.from(rows, (r) => r ?? []);
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
  return cell.text;
}

export function csvRows(bytes: Buffer, path: string): string[][] {
  const text = decodeUtf8(bytes, path, 'the CSV');
  try {
    return (parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][]).map((r) =>
      r.map(restoreFormulaText),
    );
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`, { cause: err });
  }
}
