/**
 * The reform report as an xlsx workbook (exceljs): 统计 (counts by type and section in both
 * versions, changes by kind), one sheet per change kind, and 新版清单 (the full cleaned new list
 * in the clean-sheet layout). Produces bytes.
 */
import ExcelJS from 'exceljs';
import { cleanSheetRows } from '../export/clean-sheet-rows.ts';
import { addRowsSheet } from '../export/sheet-write.ts';
import { seqText, versionTitle, type ReformReport } from './report-data.ts';
import { beijingTime } from '../calendar/civil-date.ts';
import { CHANGE_KINDS, CHANGE_LABELS } from './types.ts';

export const REPORT_TITLE = '权责清单动态调整报告';
export const CHANGE_HEADER = [
  '原序号',
  '新序号',
  '原编码',
  '新编码',
  '原事项名称',
  '新事项名称',
  '调整前',
  '调整后',
  '说明',
  '匹配方式',
  '匹配得分',
];
const METHOD_LABEL: Record<string, string> = {
  code: '编码相同',
  similarity: '名称与依据相似',
  containment: '内容包含',
};

export function changeRow(c: ReformReport['changes'][number]): string[] {
  return [
    seqText(c.from_seqs),
    seqText(c.to_seqs),
    c.code_before ?? '',
    c.code_after ?? '',
    c.name_before ?? '',
    c.name_after ?? '',
    c.before ?? '',
    c.after ?? '',
    c.detail,
    c.method ? METHOD_LABEL[c.method]! : '',
    c.score === null ? '' : c.score.toFixed(3),
  ];
}

export async function reportWorkbook(r: ReformReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'quanze';
  wb.created = r.generatedAt;
  wb.modified = r.generatedAt;

  const head = [
    [REPORT_TITLE],
    [`单位：${r.bureau}`],
    [`比较版本：${versionTitle(r.from)} → ${versionTitle(r.to)}`],
    [`生成时间：${beijingTime(r.generatedAt)}（北京时间）`],
    [],
  ];
  const counts: string[][] = [...head];
  for (const [dimension, title] of [
    ['power_type', '权力类型'],
    ['section', '承办机构'],
  ] as const) {
    counts.push([title, `${r.from.label}`, `${r.to.label}`, '增减']);
    for (const c of r.counts.filter((x) => x.dimension === dimension))
      counts.push([c.category, String(c.from_items), String(c.to_items), String(c.delta)]);
    counts.push(
      ['合计', String(r.from.items.length), String(r.to.items.length), String(r.to.items.length - r.from.items.length)],
      [],
    );
  }
  counts.push(['变化类型', '条数']);
  for (const k of r.kinds) counts.push([k.label, String(k.changes)]);
  const stats = addRowsSheet(wb, '统计', counts, 1);
  stats.getColumn(1).width = 30;
  stats.getRow(1).font = { bold: true, size: 14 };

  for (const kind of CHANGE_KINDS) {
    const rows = r.changes.filter((c) => c.kind === kind).map(changeRow);
    addRowsSheet(wb, CHANGE_LABELS[kind], [CHANGE_HEADER, ...rows], 1);
  }
  const list = cleanSheetRows({ title: null, items: r.to.items });
  addRowsSheet(wb, '新版清单', list, 1);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
