import type { Table } from 'apache-arrow';
import { fetchJson, fetchTable } from '../api.ts';
import { qualityBars } from '../charts/quality-bars.ts';
import { card, el } from '../dom.ts';

const FIELDS: Record<string, string> = {
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
const STATUSES: Record<string, string> = {
  read: '读取正常',
  repaired: '已修复',
  inferred: '推断',
  corrected: '人工更正',
  flagged: '待复核',
  missing: '缺失',
};
const COLORS: Record<string, string> = {
  read: '#52a36b',
  repaired: '#e0b440',
  inferred: '#8fb3de',
  corrected: '#2f6db5',
  flagged: '#d4380d',
  missing: '#b8c0c8',
};

interface SourceReply {
  seq: number;
  source_file: string;
  corrections_file: string | null;
  lines: { line: number; text: string }[];
  item: Record<string, unknown>;
  sub_items: { sub_no: number; name: string; name_quality: string; name_origin: string; code: string | null; section: string | null; source_lines: number[] }[];
  corrections: { field: string; sub_no: number; original: string | null; value: string; reason: string; author: string; date: string; source_file: string; source_line: number }[];
  quality: { field: string; sub_no: number; status: string; value: string | null; message: string | null; lines: number[] }[];
}

/** 数据质量: how well each field of the list was read, the values to review, and their source text. */
export async function renderQuality(root: HTMLElement): Promise<void> {
  const [quality, flagged, items] = await Promise.all([fetchTable('/api/quality'), fetchTable('/api/quality/flagged'), fetchTable('/api/items')]);
  const detail = el('div', { id: 'source-view' }, el('p', { class: 'note' }, '在上方列表中点“查看原文”,此处并列显示该事项的原文与解析结果。'));
  const show = (seq: number) => {
    detail.replaceChildren(el('p', { class: 'note' }, `正在读取第 ${seq} 项的原文…`));
    fetchJson<SourceReply>(`/api/items/${seq}/source`).then(
      (s) => detail.replaceChildren(sourceView(s)),
      (err: Error) => detail.replaceChildren(el('p', { class: 'error' }, err.message)),
    );
  };
  root.append(
    el('p', { class: 'note' }, '清单由 PDF 转换的文本解析而来,部分单元格在转换中错位或残缺。下表按字段统计每项事项的读取情况:读取正常、已修复(残缺单元格按已知名称还原)、推断(由编码等其他证据得出,并注明依据)、人工更正(来自复核过的更正文件)、待复核、缺失。'),
    card('各字段读取情况', el('div', {}, qualityBars(quality, { fields: FIELDS, statuses: STATUSES, colors: COLORS }), countsTable(quality)), { chart: 'quality' }),
    card(`待复核(${flagged.numRows} 处)`, flaggedTable(flagged, show)),
    card('人工更正的事项', correctedTable(items, show)),
    card('原文与解析结果', detail),
  );
}

/** The numbers behind the chart, one row per field. */
function countsTable(quality: Table): HTMLElement {
  const cell = new Map<string, number>();
  for (const r of quality) cell.set(`${r.field}|${r.status}`, Number(r.items));
  const body = el('tbody');
  for (const f of Object.keys(FIELDS)) {
    const counts = Object.keys(STATUSES).map((s) => cell.get(`${f}|${s}`) ?? 0);
    body.append(
      el(
        'tr',
        { 'data-field': f },
        el('td', {}, FIELDS[f]!),
        ...counts.map((n, i) => el('td', { class: 'num', 'data-status': Object.keys(STATUSES)[i]! }, String(n))),
        el('td', { class: 'num', 'data-status': 'total' }, String(counts.reduce((a, b) => a + b, 0))),
      ),
    );
  }
  const head = el('thead', {}, el('tr', {}, el('th', {}, '字段'), ...Object.values(STATUSES).map((s) => el('th', {}, s)), el('th', {}, '合计')));
  return el('table', { class: 'data', id: 'quality-table' }, head, body);
}

function flaggedTable(flagged: Table, show: (seq: number) => void): HTMLElement {
  const body = el('tbody');
  for (const r of flagged) {
    const seq = Number(r.seq);
    const button = el('button', { type: 'button', 'data-seq': String(seq) }, '查看原文');
    button.addEventListener('click', () => show(seq));
    body.append(
      el(
        'tr',
        { class: 'flagged', 'data-seq': String(seq), 'data-field': String(r.field) },
        el('td', {}, String(seq), Number(r.sub_no) ? `-${r.sub_no}` : ''),
        el('td', {}, FIELDS[String(r.field)] ?? String(r.field)),
        el('td', {}, String(r.value ?? '—')),
        el('td', { class: 'note' }, String(r.message ?? '')),
        el('td', { class: 'note' }, String(r.source_lines ?? '')),
        el('td', {}, button),
      ),
    );
  }
  const head = el('thead', {}, el('tr', {}, ...['序号', '字段', '读到的值', '说明', '来源行', ''].map((h) => el('th', {}, h))));
  return el('div', { style: 'max-height: 28rem; overflow: auto' }, el('table', { class: 'data', id: 'flagged-table' }, head, body));
}

function correctedTable(items: Table, show: (seq: number) => void): HTMLElement {
  const body = el('tbody');
  for (const r of items) {
    if (!r.corrected) continue;
    const seq = Number(r.seq);
    const button = el('button', { type: 'button', 'data-seq': String(seq) }, '查看原文');
    button.addEventListener('click', () => show(seq));
    body.append(el('tr', { 'data-seq': String(seq) }, el('td', {}, String(seq)), el('td', {}, String(r.name), el('span', { class: 'flag corrected' }, '已更正')), el('td', { class: 'note' }, String(r.corrected_fields ?? '')), el('td', {}, button)));
  }
  if (!body.childElementCount) return el('p', { class: 'note' }, '本版清单没有人工更正。');
  const head = el('thead', {}, el('tr', {}, ...['序号', '事项名称', '更正字段', ''].map((h) => el('th', {}, h))));
  return el('table', { class: 'data', id: 'corrected-table' }, head, body);
}

const ORIGIN: Record<string, string> = { repaired: '已修复', inferred: '推断', corrected: '已更正', flagged: '待复核', missing: '缺失' };

/** The item's source lines beside its parsed fields; corrected values marked, with reason and the value read. */
function sourceView(s: SourceReply): HTMLElement {
  const text = s.lines.length
    ? el('pre', { class: 'source-text' }, ...s.lines.map((l) => el('div', { 'data-line': String(l.line) }, el('span', { class: 'note' }, `${l.line}  `), l.text.replace(/\t/g, ' ⇥ '))))
    : el('p', { class: 'note' }, '本版清单未保存原文(例如来自整理表格)。');
  const rows = s.quality
    .filter((q) => q.field !== 'seq' || q.status !== 'read')
    .map((q) => {
      const fix = s.corrections.find((c) => c.field === q.field && c.sub_no === q.sub_no);
      const label = (FIELDS[q.field] ?? q.field) + (q.sub_no ? ` (子项 ${q.sub_no})` : '');
      const value = q.field === 'basis' || q.field === 'duties' || q.field === 'accountability' ? `${String(s.item[q.field] ?? '').slice(0, 80)}…` : (q.value ?? '—');
      return el(
        'tr',
        { 'data-field': q.field, 'data-status': q.status },
        el('th', { style: 'white-space: nowrap' }, label),
        el('td', {}, value, ORIGIN[q.status] ? el('span', { class: `flag ${q.status === 'flagged' || q.status === 'missing' ? 'scrambled' : q.status}` }, ORIGIN[q.status]!) : ''),
        el(
          'td',
          { class: 'note' },
          fix ? `原读作“${fix.original ?? ''}”;${fix.reason}(${fix.author},${fix.date},${fix.source_file} 第 ${fix.source_line} 行)` : (q.message ?? ''),
          ` [行 ${q.lines.join(',')}]`,
        ),
      );
    });
  return el(
    'div',
    { class: 'grid', 'data-seq': String(s.seq) },
    el('div', {}, el('h3', {}, `原文(${s.source_file})`), text),
    el('div', {}, el('h3', {}, `第 ${s.seq} 项的解析结果`), el('table', { class: 'data', id: 'parsed-fields' }, el('tbody', {}, ...rows))),
  );
}
