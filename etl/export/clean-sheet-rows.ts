/**
 * A list (parsed, or read back from the database) as clean-sheet rows: the layout
 * etl/parse/clean-sheet.ts reads (README "Clean sheet"). Pure.
 */
import { SHEET_COLUMNS, remarkFor } from '../parse/clean-sheet.ts';
import type { ParsedItem } from '../parse/list-types.ts';

export interface SheetList {
  title: string | null;
  items: readonly ParsedItem[];
}

/** Title row (when the list has one), header row, then one row per item and per sub-item. */
export function cleanSheetRows(list: SheetList): string[][] {
  const rows: string[][] = [];
  if (list.title) rows.push([list.title]);
  rows.push([...SHEET_COLUMNS]);
  for (const it of list.items) {
    rows.push(itemRow(it));
    for (const s of it.sub_items) {
      const partial = s.code === null && Boolean(s.code_read);
      rows.push(
        row({
          序号: String(it.seq),
          子项名称: s.name,
          子项地方权力编码: s.code ?? s.code_read ?? '',
          承办机构: s.section ?? '',
          备注: remarkFor(s.name_quality, partial),
        }),
      );
    }
  }
  return rows;
}

export function itemRow(it: ParsedItem): string[] {
  const partial = it.code === null && it.code_read !== null;
  return row({
    序号: String(it.seq),
    事项名称: it.name,
    权力类型: it.power_type ?? '',
    地方权力编码: it.code ?? it.code_read ?? '',
    行使主体: it.subject ?? '',
    承办机构: it.section ?? '',
    实施依据: it.basis,
    责任事项内容: it.duties,
    追责情形: it.accountability,
    办事层级: it.level ?? '',
    备注: remarkFor(it.name_quality, partial),
  });
}

function row(cells: Partial<Record<(typeof SHEET_COLUMNS)[number], string>>): string[] {
  return SHEET_COLUMNS.map((c) => cells[c] ?? '');
}
