/**
 * A clean sheet may carry its list's own date in a title row above the header:
 * "发布日期：2023-06-17" (also 2023年6月17日, 2023/6/17; 印发/公布/通过日期). Pure.
 */
import { dayFromParts, formatDay } from '../calendar/civil-date.ts';

const DATE_ROW = /(?:发布|印发|公布|通过|施行)日期\s*[：:]\s*(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})/;

export interface SheetListDate {
  date: string;
  /** Sheet row (1-based) the date was read from. */
  row: number;
}

/** The first stated date among the rows before the header row (the one whose first cell is 序号). */
export function sheetListDate(rows: readonly (readonly string[])[]): SheetListDate | null {
  for (const [i, row] of rows.entries()) {
    if (row.some((c) => c.replace(/\s/g, '') === '序号')) return null;
    for (const cell of row) {
      const m = DATE_ROW.exec(cell);
      if (!m) continue;
      const day = dayFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
      if (day !== null) return { date: formatDay(day), row: i + 1 };
    }
  }
  return null;
}
