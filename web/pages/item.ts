import type { Table } from 'apache-arrow';
import { fetchJson, fetchTable } from '../api.ts';
import { STATUS_LABEL } from '../charts/citation-status.ts';
import { KIND_LABEL, fineRangeText } from '../charts/fine-ranges.ts';
import { sizedChart } from '../charts/sized-chart.ts';
import { monthlyVolume } from '../charts/monthly-volume.ts';
import { sectionScale } from '../charts/section-colours.ts';
import { card, el } from '../dom.ts';
import { num, pct, versionName } from '../format.ts';
import { hrefFor, type Route } from '../hash.ts';
import { itemLabels, rawReading } from '../labels.ts';
import { dataTable, text } from '../table.ts';
import { messageNode, withCodes } from '../zh.ts';
import { FIELDS, QUALITY_STATUS, sourceLines, type SourceReply } from './quality-fields.ts';

const MATCH_LABEL: Record<string, string> = { self: '本版', code: '编码相同', name: '名称相同' };

type R = Record<string, unknown>;
const rowsOf = (t: Table) => [...t].map((r) => r.toJSON() as R);

/** #/items/N: everything about one item of a list version, each value with the source lines behind it. */
export async function renderItem(root: HTMLElement, route: Route): Promise<void> {
  const seq = Number(route.rest[0]);
  const version = route.params.get('version') ?? undefined;
  if (!Number.isInteger(seq) || seq < 1) {
    root.append(el('p', { class: 'error', 'data-not-found': '' }, '事项序号应为正整数，例如 #/items/4。'));
    return;
  }
  const labels = await itemLabels(version);
  const me = labels.bySeq(seq);
  if (!me) {
    root.append(
      el(
        'section',
        { class: 'card', 'data-not-found': '' },
        el('h2', {}, `没有第 ${seq} 项`),
        el('p', {}, '本版清单没有这个序号。', el('a', { href: '#/overview' }, '返回事项清单')),
      ),
    );
    return;
  }
  const vq = version ? { version } : {};
  const code = me.code && /^[0-9A-Za-z]+$/.test(me.code) ? me.code : null;
  const [source, citations, fines, history, meta] = await Promise.all([
    fetchJson<SourceReply>(`/api/items/${seq}/source${version ? `?version=${version}` : ''}`),
    fetchTable('/api/citations', vq),
    fetchTable('/api/fines', vq),
    fetchTable(`/api/items/${seq}/history`, vq),
    fetchTable('/api/cases/meta'),
  ]);
  const hasCases = Number(meta.get(0)?.cases ?? 0) > 0 && code !== null;
  const [volumes, timeliness, spans, compliance] = hasCases
    ? await Promise.all([
        fetchTable('/api/volumes', { by: 'section', item: code! }),
        fetchTable('/api/timeliness', { per: 'window', item: code! }),
        fetchTable('/api/timeliness/spans'),
        fetchTable('/api/fines/compliance', { item: code! }),
      ])
    : [null, null, null, null];

  const item = source.item;
  const head = el(
    'section',
    { class: 'card item-head', 'data-item': String(seq) },
    el('h2', { 'data-item-title': '' }, me.label),
    me.label_is_substitute
      ? el(
          'p',
          { class: 'note' },
          el('span', { class: 'flag substitute' }, '代称'),
          '原文中的事项名称乱序或残缺，此处以序号、权力类型和主要依据代称。',
          rawReading(me.name),
        )
      : me.name_origin === 'corrected'
        ? el('p', { class: 'note' }, el('span', { class: 'flag corrected' }, '已更正'), '名称来自复核过的更正文件。')
        : '',
    el(
      'dl',
      { class: 'item-details' },
      ...pair('序号', String(seq)),
      ...pair('权力类型', text(item.power_type)),
      ...pair('承办机构', text(item.section)),
      ...pair('地方权力编码', el('code', {}, text(item.code ?? item.code_read))),
      ...pair('行使主体', text(item.subject)),
      ...pair('办事层级', text(item.level)),
      ...pair('办理环节', (item.stages as string[] | null)?.length ? (item.stages as string[]).join(' → ') : '—'),
      ...pair('清单版本', `第 ${source.version} 版`),
    ),
    el(
      'p',
      { class: 'links' },
      el('a', { href: hrefFor('quality', { item: seq }) }, '在数据质量页查看原文'),
      ' · ',
      el('a', { href: '#/overview' }, '返回事项清单'),
    ),
  );

  root.append(head);
  root.append(card('各字段及其来源', fieldsTable(source), { section: 'fields' }));
  if (source.sub_items.length)
    root.append(card(`子项（${source.sub_items.length} 项）`, subItemsTable(source), { section: 'sub-items' }));
  root.append(card('实施依据引用及状态', citationsTable(citations, seq), { section: 'citations' }));
  root.append(card('罚款条款', finesTable(fines, seq), { section: 'fines' }));
  if (volumes && timeliness && spans && compliance) {
    const colours = sectionScale(labels.sections);
    root.append(
      el(
        'div',
        { class: 'grid' },
        card(
          '每月案件量',
          volumes.numRows
            ? sizedChart((w) => monthlyVolume(volumes, { series: 'section', colours, width: w }))
            : el('p', { class: 'note empty' }, '该事项没有案件。'),
          { chart: 'item-volume' },
        ),
        card('各环节办理时效', timelinessTable(timeliness, spans), { section: 'timeliness' }),
      ),
      card('实际罚款与法定幅度', complianceView(compliance), { section: 'compliance' }),
    );
  } else {
    root.append(
      el(
        'p',
        { class: 'note empty' },
        code ? '尚未载入案件数据：案件量、办理时效和实际罚款暂缺。' : '该事项没有完整的地方权力编码，无法关联案件。',
      ),
    );
  }
  root.append(card('历次清单版本中的该事项', historyTable(history), { section: 'history' }));
  root.append(
    el(
      'section',
      { class: 'card', 'data-section': 'source' },
      el('h2', {}, '原文（', el('code', {}, source.source_file.split('/').pop() ?? ''), '）'),
      sourceLines(source, { id: 'item-source' }),
    ),
  );
}

/** A source line number that scrolls the item's source text to that line and marks it. */
function lineButton(line: number): HTMLElement {
  const b = el('button', { type: 'button', class: 'line-link', 'data-line-link': String(line) }, String(line));
  b.addEventListener('click', () => {
    const target = document.querySelector(`#item-source [data-line="${line}"]`);
    document.querySelectorAll('#item-source .hit').forEach((n) => n.classList.remove('hit'));
    target?.classList.add('hit');
    target?.scrollIntoView({ block: 'center' });
  });
  return b;
}

const pair = (label: string, value: Node | string) => [el('dt', {}, label), el('dd', {}, value)];

function fieldsTable(s: SourceReply): HTMLElement {
  const rows = s.quality.filter((q) => q.sub_no === 0);
  return dataTable(
    rows,
    [
      { head: '字段', cell: (q) => FIELDS[q.field] ?? q.field },
      {
        head: '值',
        cell: (q) => {
          const long = ['basis', 'duties', 'accountability'].includes(q.field);
          const v = long ? String(s.item[q.field] ?? '') : (q.value ?? '—');
          if (long) return el('details', {}, el('summary', {}, '展开原文'), el('p', { class: 'passage raw' }, v));
          // A flagged reading is kept behind a click, like every raw name.
          if (q.status !== 'flagged') return v;
          return q.field === 'name' ? rawReading(v) : el('span', { class: 'raw' }, v);
        },
      },
      {
        head: '读取情况',
        cell: (q) =>
          el(
            'span',
            { class: `flag ${q.status === 'flagged' || q.status === 'missing' ? 'scrambled' : q.status}` },
            QUALITY_STATUS[q.status] ?? q.status,
          ),
      },
      { head: '说明', cell: (q) => messageNode(q.message), class: 'note' },
      { head: '来源行', cell: (q) => q.lines.map(lineButton).flatMap((a, i) => (i ? [', ', a] : [a])), class: 'note' },
    ],
    { id: 'item-fields', rowAttrs: (q) => ({ 'data-field': q.field, 'data-status': q.status }) },
  ).element;
}

function subItemsTable(s: SourceReply): HTMLElement {
  return dataTable(
    s.sub_items,
    [
      { head: '子项', cell: (x) => String(x.sub_no), class: 'num' },
      {
        head: '子项名称',
        cell: (x) =>
          x.name_quality === 'ok'
            ? x.name
            : [`第${x.sub_no}子项`, el('span', { class: 'flag substitute' }, '代称'), rawReading(x.name)],
      },
      { head: '编码', cell: (x) => el('code', {}, text(x.code)) },
      { head: '承办机构', cell: (x) => text(x.section) },
      { head: '来源行', cell: (x) => x.source_lines.join(', '), class: 'note' },
    ],
    { id: 'item-sub-items' },
  ).element;
}

function citationsTable(citations: Table, seq: number): HTMLElement {
  const rows = rowsOf(citations).filter((r) => Number(r.seq) === seq);
  const badge = (s: unknown, verified: unknown) =>
    el(
      'span',
      { class: `status ${s}` },
      STATUS_LABEL[String(s)] ?? String(s),
      verified === false ? el('span', { class: 'flag truncated' }, '待核实') : '',
    );
  return dataTable(
    rows,
    [
      {
        head: '引用文件',
        cell: (r) => [`《${r.title}》`, r.articles ? el('div', { class: 'note' }, String(r.articles)) : ''],
      },
      { head: '引用版本', cell: (r) => text(r.claimed_version_date ?? '未注明') },
      { head: '清单日期时', cell: (r) => badge(r.status_list, r.status_list_verified) },
      { head: '当前', cell: (r) => badge(r.status_now, r.status_now_verified) },
      {
        head: '引文',
        cell: (r) =>
          el('details', {}, el('summary', {}, '引文'), el('p', { class: 'passage raw' }, String(r.passage ?? ''))),
      },
      { head: '来源行', cell: (r) => text(r.source_lines), class: 'note' },
    ],
    {
      id: 'item-citations',
      empty: '实施依据中没有读出引用的法律文件。',
      rowAttrs: (r) => ({ 'data-status': String(r.status_now) }),
    },
  ).element;
}

function finesTable(fines: Table, seq: number): HTMLElement {
  const rows = rowsOf(fines).filter((r) => Number(r.seq) === seq);
  return dataTable(
    rows,
    [
      { head: '条款', cell: (r) => `${r.seq}-${r.clause_no}` },
      { head: '类别', cell: (r) => KIND_LABEL[String(r.kind)] ?? String(r.kind) },
      { head: '幅度', cell: (r) => fineRangeText(r as never) },
      { head: '条款原文', cell: (r) => el('span', { class: 'raw' }, String(r.clause_text ?? '')) },
      { head: '来源行', cell: (r) => text(r.source_lines), class: 'note' },
    ],
    { id: 'item-fines', empty: '实施依据中没有罚款条款。' },
  ).element;
}

function timelinessTable(t: Table, spans: Table): HTMLElement {
  const order = new Map([...spans].map((s) => [String(s.span), Number(s.span_order)]));
  const rows = rowsOf(t).sort((a, b) => (order.get(String(a.span)) ?? 99) - (order.get(String(b.span)) ?? 99));
  return dataTable(
    rows,
    [
      { head: '环节', cell: (r) => String(r.span_label) },
      { head: '判定', cell: (r) => num(Number(r.cases) - Number(r.uncovered)), class: 'num' },
      { head: '延长后按时', cell: (r) => num(r.on_time_extended), class: 'num' },
      { head: '逾期', cell: (r) => num(r.late), class: (r) => (Number(r.late) > 0 ? 'num late' : 'num') },
      { head: '按时率', cell: (r) => pct(r.on_time_rate), class: 'num' },
      { head: '中位用时', cell: (r) => (r.median_wd === null ? '—' : `${num(r.median_wd)} 个工作日`), class: 'num' },
      { head: '90% 用时', cell: (r) => (r.p90_wd === null ? '—' : `${num(r.p90_wd)} 个工作日`), class: 'num' },
    ],
    {
      id: 'item-timeliness',
      empty: '该事项没有可判定时限的环节。',
      rowAttrs: (r) => ({ 'data-span': String(r.span) }),
    },
  ).element;
}

function complianceView(t: Table): HTMLElement {
  const r = t.numRows ? (t.get(0)!.toJSON() as R) : null;
  if (!r || Number(r.fined_cases) === 0) return el('p', { class: 'note empty' }, '该事项没有罚款案件。');
  return el(
    'div',
    { id: 'item-compliance' },
    el(
      'p',
      {},
      `法定幅度：${r.ranges || '未载明'}。罚款案件 ${r.fined_cases} 件：幅度内 ${r.inside} 件，低于下限 ${r.below} 件，高于上限 ${r.above} 件${Number(r.not_checkable) ? `，无法核对 ${r.not_checkable} 件` : ''}。`,
    ),
    r.examples ? el('p', { class: 'note' }, '超出幅度的案件：', ...withCodes(String(r.examples))) : '',
  );
}

function historyTable(t: Table): HTMLElement {
  return dataTable(
    rowsOf(t),
    [
      {
        head: '版本',
        cell: (r) => [
          versionName(r.version_label, r.version_id),
          r.effective_date ? el('div', { class: 'note' }, `${r.effective_date} 起施行`) : '',
        ],
      },
      {
        head: '序号',
        cell: (r) => el('a', { href: hrefFor(`items/${r.seq}`, { version: r.version_id as number }) }, String(r.seq)),
      },
      {
        head: '事项',
        cell: (r) => [String(r.label), r.label_is_substitute ? el('span', { class: 'flag substitute' }, '代称') : ''],
      },
      { head: '权力类型', cell: (r) => text(r.power_type) },
      { head: '承办机构', cell: (r) => text(r.section) },
      { head: '子项', cell: (r) => String(r.sub_items), class: 'num' },
      { head: '依据', cell: (r) => text(r.citations), class: 'note' },
      { head: '对应方式', cell: (r) => MATCH_LABEL[String(r.matched_by)] ?? String(r.matched_by) },
    ],
    { id: 'item-history', empty: '其他版本中没有找到该事项。' },
  ).element;
}
