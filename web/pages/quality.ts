import type { Table } from 'apache-arrow';
import { fetchJson, fetchTable } from '../api.ts';
import { qualityBars } from '../charts/quality-bars.ts';
import { card, el } from '../dom.ts';
import { setParams, type Route } from '../hash.ts';
import { itemLabels, itemLink, type ItemLabels } from '../labels.ts';
import { dataTable } from '../table.ts';
import { messageNode } from '../zh.ts';
import { FIELDS, QUALITY_STATUS, sourceLines, type SourceReply } from './quality-fields.ts';

const STATUSES = QUALITY_STATUS;
const COLORS: Record<string, string> = {
  read: '#52a36b',
  repaired: '#e0b440',
  inferred: '#8fb3de',
  corrected: '#2f6db5',
  flagged: '#d4380d',
  missing: '#b8c0c8',
};

/** 数据质量: how well each field of the list was read, the values to review, and their source text. */
export async function renderQuality(root: HTMLElement, route: Route): Promise<void> {
  const [quality, flagged, items, labels] = await Promise.all([
    fetchTable('/api/quality'),
    fetchTable('/api/quality/flagged'),
    fetchTable('/api/items'),
    itemLabels(),
  ]);
  const detail = el(
    'div',
    { id: 'source-view' },
    el('p', { class: 'note' }, '在上方列表中点“查看原文”,此处并列显示该事项的原文与解析结果。'),
  );
  const show = (seq: number, scroll = true) => {
    setParams({ item: seq });
    detail.replaceChildren(el('p', { class: 'note' }, `正在读取第 ${seq} 项的原文…`));
    if (scroll) detail.scrollIntoView({ block: 'start' });
    return fetchJson<SourceReply>(`/api/items/${seq}/source`).then(
      (s) => {
        detail.replaceChildren(sourceView(s, labels));
        if (scroll) detail.scrollIntoView({ block: 'start' });
      },
      (err: Error) =>
        detail.replaceChildren(
          el('p', { class: 'error' }, '读取失败：', el('span', { class: 'raw', lang: 'en' }, err.message)),
        ),
    );
  };
  root.append(
    el(
      'p',
      { class: 'note' },
      '清单由 PDF 转换的文本解析而来,部分单元格在转换中错位或残缺。下表按字段统计每项事项的读取情况:读取正常、已修复(残缺单元格按已知名称还原)、推断(由编码等其他证据得出,并注明依据)、人工更正(来自复核过的更正文件)、待复核、缺失。',
    ),
    card(
      '各字段读取情况',
      el('div', {}, qualityBars(quality, { fields: FIELDS, statuses: STATUSES, colors: COLORS }), countsTable(quality)),
      { chart: 'quality' },
    ),
    card(`待复核(${flagged.numRows} 处)`, flaggedTable(flagged, show, labels)),
    card('人工更正的事项', correctedTable(items, show, labels)),
    card('原文与解析结果', detail),
  );
  // The item chosen in the link opens again.
  const chosen = Number(route.params.get('item'));
  if (Number.isInteger(chosen) && chosen > 0) {
    await show(chosen, false);
    detail.dataset.scrollIntoView = '';
  }
}

/** The numbers behind the chart, one row per field. */
function countsTable(quality: Table): HTMLElement {
  const cell = new Map<string, number>();
  for (const r of quality) cell.set(`${r.field}|${r.status}`, Number(r.items));
  const n = (f: string, st: string) => cell.get(`${f}|${st}`) ?? 0;
  return dataTable(
    Object.keys(FIELDS),
    [
      { head: '字段', cell: (f) => FIELDS[f]! },
      ...Object.entries(STATUSES).map(([st, label]) => ({
        head: label,
        cell: (f: string) => String(n(f, st)),
        class: 'num',
        attrs: () => ({ 'data-status': st }),
      })),
      {
        head: '合计',
        cell: (f) => String(Object.keys(STATUSES).reduce((sum, st) => sum + n(f, st), 0)),
        class: 'num',
        attrs: () => ({ 'data-status': 'total' }),
      },
    ],
    { id: 'quality-table', rowAttrs: (f) => ({ 'data-field': f }) },
  ).element;
}

type Row = Record<string, unknown>;

function viewButton(seq: number, show: (seq: number) => void): HTMLElement {
  const button = el('button', { type: 'button', 'data-seq': String(seq) }, '查看原文');
  button.addEventListener('click', () => show(seq));
  return button;
}

function flaggedTable(flagged: Table, show: (seq: number) => void, labels: ItemLabels): HTMLElement {
  return dataTable(
    [...flagged] as unknown as Row[],
    [
      { head: '序号', cell: (r) => `${r.seq}${Number(r.sub_no) ? `-${r.sub_no}` : ''}` },
      { head: '事项', cell: (r) => itemLink(labels.bySeq(r.seq)) },
      { head: '字段', cell: (r) => FIELDS[String(r.field)] ?? String(r.field) },
      { head: '读到的值', cell: (r) => el('span', { class: 'raw' }, String(r.value ?? '—')) },
      { head: '说明', cell: (r) => messageNode(r.message), class: 'note' },
      { head: '来源行', cell: (r) => String(r.source_lines ?? ''), class: 'note' },
      { head: '', cell: (r) => viewButton(Number(r.seq), show) },
    ],
    {
      id: 'flagged-table',
      tall: true,
      rowAttrs: (r) => ({ class: 'flagged', 'data-seq': String(r.seq), 'data-field': String(r.field) }),
    },
  ).element;
}

function correctedTable(items: Table, show: (seq: number) => void, labels: ItemLabels): HTMLElement {
  const rows = ([...items] as unknown as Row[]).filter((r) => r.corrected);
  if (!rows.length) return el('p', { class: 'note empty' }, '本版清单没有人工更正。');
  return dataTable(
    rows,
    [
      { head: '序号', cell: (r) => String(r.seq) },
      {
        head: '事项名称',
        cell: (r) => [itemLink(labels.bySeq(r.seq), String(r.name)), el('span', { class: 'flag corrected' }, '已更正')],
      },
      {
        head: '更正字段',
        cell: (r) =>
          String(r.corrected_fields ?? '')
            .split(',')
            .map((f) => FIELDS[f] ?? f)
            .join('、'),
        class: 'note',
      },
      { head: '', cell: (r) => viewButton(Number(r.seq), show) },
    ],
    { id: 'corrected-table', rowAttrs: (r) => ({ 'data-seq': String(r.seq) }) },
  ).element;
}

const ORIGIN: Record<string, string> = {
  repaired: '已修复',
  inferred: '推断',
  corrected: '已更正',
  flagged: '待复核',
  missing: '缺失',
};

/** The item's source lines beside its parsed fields; corrected values marked, with reason and the value read. */
function sourceView(s: SourceReply, labels: ItemLabels): HTMLElement {
  const text = sourceLines(s);
  const long = (f: string) => f === 'basis' || f === 'duties' || f === 'accountability';
  const fields = dataTable(
    s.quality.filter((q) => q.field !== 'seq' || q.status !== 'read'),
    [
      {
        head: '字段',
        header: true,
        cell: (q) => (FIELDS[q.field] ?? q.field) + (q.sub_no ? `（子项 ${q.sub_no}）` : ''),
      },
      {
        head: '解析结果',
        cell: (q) => {
          const value = long(q.field) ? `${String(s.item[q.field] ?? '').slice(0, 80)}…` : (q.value ?? '—');
          const flag = ORIGIN[q.status]
            ? el(
                'span',
                { class: `flag ${q.status === 'flagged' || q.status === 'missing' ? 'scrambled' : q.status}` },
                ORIGIN[q.status]!,
              )
            : '';
          return [q.status === 'flagged' || long(q.field) ? el('span', { class: 'raw' }, value) : value, flag];
        },
      },
      {
        head: '说明与来源行',
        class: 'note',
        cell: (q) => {
          const fix = s.corrections.find((c) => c.field === q.field && c.sub_no === q.sub_no);
          const why = fix
            ? [
                '原读作“',
                el('span', { class: 'raw' }, fix.original ?? ''),
                '”；更正依据（更正文件原文）：',
                el('span', { class: 'raw', lang: 'en' }, fix.reason),
                `（${fix.author}，${fix.date}，`,
                el('code', {}, fix.source_file),
                ` 第 ${fix.source_line} 行）`,
              ]
            : [messageNode(q.message)];
          return [...why, `［行 ${q.lines.join('，')}］`];
        },
      },
    ],
    { id: 'parsed-fields', rowAttrs: (q) => ({ 'data-field': q.field, 'data-status': q.status }) },
  );
  return el(
    'div',
    { class: 'grid', 'data-seq': String(s.seq) },
    el('div', {}, el('h3', {}, '原文（', el('code', {}, s.source_file.split('/').pop() ?? ''), '）'), text),
    el(
      'div',
      {},
      el('h3', {}, `第 ${s.seq} 项的解析结果`),
      el('p', {}, itemLink(labels.bySeq(s.seq)), ' ', el('a', { href: `#/items/${s.seq}` }, '查看事项详情')),
      fields.element,
    ),
  );
}
