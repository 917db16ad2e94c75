/**
 * The citations that need the legal section as an xlsx workbook: first those to act on
 * (outdated, repealed, wrong doc number), then those the registry or the list cannot settle
 * (unknown, undated), each part grouped by instrument, with the version to cite instead.
 * Chinese headers; the column a reviewer fills in is left empty at the end.
 */
import ExcelJS from 'exceljs';
import type { CitationStatus } from './citation-status.ts';
import { STATUS_LABEL } from './status-labels.ts';

export interface ReviewRow {
  seq: number;
  code: string | null;
  name: string;
  section: string | null;
  title: string;
  instrument_title: string | null;
  claimed_version_date: string | null;
  articles: string[];
  status_list: CitationStatus;
  status_now: CitationStatus;
  newer_now_date: string | null;
  newer_now_by: string | null;
  latest_version_date: string | null;
  repealed_by: string | null;
  inconsistent: boolean;
  versions_in_list: string[];
  newer_cited_by: readonly (number | string)[];
  needs_action: boolean;
  version_to_cite: string | null;
  doc_number_mismatch: string | null;
  doc_number_belongs_to: string | null;
  verified: boolean | null;
  source_url: string | null;
  passage: string;
  source_lines: string;
}

const COLUMNS: Array<{ header: string; width: number; value: (r: ReviewRow) => string | number }> = [
  { header: '类别', width: 10, value: (r) => (r.needs_action ? '需处理' : '待核实') },
  { header: '序号', width: 6, value: (r) => r.seq },
  { header: '事项编码', width: 18, value: (r) => r.code ?? '' },
  { header: '事项名称', width: 30, value: (r) => r.name },
  { header: '承办机构', width: 14, value: (r) => r.section ?? '' },
  { header: '引用文件（原文）', width: 34, value: (r) => r.title },
  { header: '登记名称', width: 30, value: (r) => r.instrument_title ?? '（未登记）' },
  { header: '引用版本日期', width: 13, value: (r) => r.claimed_version_date ?? '（未注明）' },
  { header: '引用条款', width: 16, value: (r) => r.articles.join('、') },
  { header: '清单日期时状态', width: 13, value: (r) => STATUS_LABEL[r.status_list] },
  { header: '当前状态', width: 12, value: (r) => STATUS_LABEL[r.status_now] },
  { header: '较新版本日期', width: 13, value: (r) => r.newer_now_date ?? '' },
  { header: '较新版本依据', width: 30, value: (r) => r.newer_now_by ?? '' },
  { header: '最新版本日期', width: 13, value: (r) => r.latest_version_date ?? '' },
  { header: '废止/替代', width: 20, value: (r) => r.repealed_by ?? '' },
  { header: '应改引', width: 36, value: (r) => r.version_to_cite ?? '' },
  {
    header: '文号问题',
    width: 30,
    value: (r) => (r.doc_number_mismatch ? `${r.doc_number_mismatch}属于${r.doc_number_belongs_to ?? '其他文件'}` : ''),
  },
  {
    header: '清单内引用的版本',
    width: 24,
    value: (r) =>
      r.inconsistent ? `${r.versions_in_list.join('、')}（较新版本见序号${r.newer_cited_by.join('、')}）` : '',
  },
  {
    header: '登记事实已核实',
    width: 10,
    value: (r) => (r.verified === null ? '不适用' : r.verified ? '是' : '否（待核实）'),
  },
  { header: '来源', width: 40, value: (r) => r.source_url ?? '' },
  { header: '引文段落', width: 60, value: (r) => r.passage },
  { header: '来源行', width: 10, value: (r) => r.source_lines },
  { header: '复核意见', width: 24, value: () => '' },
];

export async function reviewWorkbook(
  rows: readonly ReviewRow[],
  meta: { listLabel: string; listDate: string | null; listDateBasis: string | null; today: string },
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'quanze';
  const ws = wb.addWorksheet('待复核引用');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, width: c.width }));
  for (const r of rows) ws.addRow(COLUMNS.map((c) => c.value(r)));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const about = wb.addWorksheet('说明');
  about.addRows([
    ['清单', meta.listLabel],
    ['清单日期', meta.listDate ?? '（未知）'],
    ['清单日期依据', meta.listDateBasis === 'stated' ? '公开来源所载日期' : '清单所引最晚日期（清单本身未载明日期）'],
    ['当前日期', meta.today],
    [
      '说明',
      '“登记事实已核实”为“否”的状态依据尚未有公开来源的登记事实，请法制股核实后在 data/instruments.yaml 中补充来源。',
    ],
  ]);
  about.getColumn(1).width = 16;
  about.getColumn(2).width = 80;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
