import { el } from '../dom.ts';

/** Names the 数据质量 and item pages give the parsed fields and their reading status. */
export const FIELDS: Record<string, string> = {
  seq: '序号',
  name: '事项名称',
  power_type: '权力类型',
  code: '地方权力编码',
  section: '承办机构',
  subject: '行使主体',
  level: '办事层级',
  basis: '实施依据',
  duties: '责任事项内容',
  accountability: '追责情形',
  stages: '办理环节',
  sub_name: '子项名称',
};

export const QUALITY_STATUS: Record<string, string> = {
  read: '读取正常',
  repaired: '已修复',
  inferred: '推断',
  corrected: '人工更正',
  flagged: '待复核',
  missing: '缺失',
};

/** GET /api/items/:seq/source. */
export interface SourceReply {
  version: number;
  seq: number;
  source_file: string;
  corrections_file: string | null;
  lines: { line: number; text: string }[];
  item: Record<string, unknown>;
  sub_items: {
    sub_no: number;
    name: string;
    name_quality: string;
    name_origin: string;
    code: string | null;
    section: string | null;
    source_lines: number[];
  }[];
  corrections: {
    field: string;
    sub_no: number;
    original: string | null;
    value: string;
    reason: string;
    author: string;
    date: string;
    source_file: string;
    source_line: number;
  }[];
  quality: {
    field: string;
    sub_no: number;
    status: string;
    value: string | null;
    message: string | null;
    lines: number[];
  }[];
}

/** The item's source lines as read (a tab shown as ⇥), or a note when the version kept none. */
export function sourceLines(s: SourceReply, attrs: Record<string, string> = {}): HTMLElement {
  if (!s.lines.length) return el('p', { class: 'note' }, '本版清单未保存原文（例如来自整理表格）。');
  return el(
    'pre',
    { class: 'source-text', ...attrs },
    ...s.lines.map((l) =>
      el(
        'div',
        { 'data-line': String(l.line) },
        el('span', { class: 'note' }, `${l.line}  `),
        l.text.replace(/\t/g, ' ⇥ '),
      ),
    ),
  );
}
