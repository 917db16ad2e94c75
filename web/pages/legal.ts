import type { Table } from 'apache-arrow';
import { fetchTable } from '../api.ts';
import { STATUS_LABEL, citationStatusChart } from '../charts/citation-status.ts';
import { card, el } from '../dom.ts';
import { num } from '../format.ts';
import { setParams, type Route } from '../hash.ts';
import { itemLabels, itemLink, type ItemLabels } from '../labels.ts';
import { dataTable, text } from '../table.ts';
import { sizedChart } from '../charts/sized-chart.ts';

const EVENT_LABEL: Record<string, string> = {
  amended: '修正',
  revised: '修订',
  adopted: '通过',
  promulgated: '公布',
  effective: '施行',
  issued: '印发',
};

type Row = Record<string, unknown>;
const BASIS_LABEL: Record<string, string> = {
  given_at_load: '载入清单时给出的日期',
  stated: '公开来源所载日期',
  latest_cited_date: '清单未载明日期，按清单所引最晚日期',
};

/** 法律依据: every citation of the list against the instrument registry, flagged ones first. */
export async function renderLegal(root: HTMLElement, route: Route): Promise<void> {
  const [citations, instruments, labels] = await Promise.all([
    fetchTable('/api/citations'),
    fetchTable('/api/instruments'),
    itemLabels(),
  ]);
  const first = citations.numRows ? citations.get(0)!.toJSON() : null;
  const flagged = [...(citations.getChild('flagged') ?? [])].filter(Boolean).length;
  root.append(
    el(
      'p',
      { class: 'note' },
      `共 ${citations.numRows} 处引用，其中 ${flagged} 处需复核。清单日期：${first?.list_date ?? '未知'}（${BASIS_LABEL[String(first?.list_date_basis)] ?? '未知'}）。`,
      '“核实”标记为“待核实”的状态所依据的登记事实尚无公开来源。',
      el(
        'span',
        { class: 'print-only' },
        '打印版仅列出前 20 处需复核的引用；完整复核清单请用“导出待复核引用（Excel）”。',
      ),
    ),
    card(
      '各文件引用状态（当前）',
      sizedChart((w) => citationStatusChart(citations, { width: w }), { min: 340 }),
      { chart: 'citation-status' },
    ),
    card('引用清单', citationList(citations, labels, route.params)),
    card('法律文件登记册', registryTable(instruments), { section: 'instruments' }),
  );
}

function options(values: Iterable<unknown>, all: string, labels: Record<string, string> = {}): HTMLElement[] {
  const distinct = [...new Set([...values].filter((v) => v !== null && v !== undefined).map(String))].sort((a, b) =>
    a.localeCompare(b, 'zh'),
  );
  return [el('option', { value: '' }, all), ...distinct.map((v) => el('option', { value: v }, labels[v] ?? v))];
}

function badge(status: unknown, verified: unknown): HTMLElement {
  const s = String(status);
  return el(
    'span',
    { class: `status ${s}` },
    STATUS_LABEL[s] ?? s,
    verified === false ? el('span', { class: 'flag truncated' }, '待核实') : '',
  );
}

function currentText(r: Record<string, unknown>): string {
  if (r.status_now === 'unknown') return '登记册未收录此文件，无法核对版本。';
  if (r.status_now === 'repealed')
    return `已废止${r.repealed_on ? `（${r.repealed_on}）` : ''}${r.repealed_by ? `，由 ${r.repealed_by} 替代` : ''}。`;
  const parts: string[] = [];
  if (r.newer_now_date)
    parts.push(
      `现行版本：${r.newer_now_date} ${EVENT_LABEL[String(r.newer_now_event)] ?? ''}${r.newer_now_by ? `（${r.newer_now_by}）` : ''}；引用之后共有 ${r.newer_now_count} 次修改。`,
    );
  else if (r.latest_version_date)
    parts.push(`最新修改：${r.latest_version_date} ${EVENT_LABEL[String(r.latest_version_event)] ?? ''}。`);
  else parts.push('登记册中无修改记录。');
  if (r.inconsistent)
    parts.push(`本清单引用了该文件的不同版本：${String(r.versions_in_list).replace(/original/g, '最初文本')}。`);
  if (r.claimed_date_in_registry === false) parts.push('所引日期不在登记的版本日期中。');
  return parts.join(' ');
}

function citationList(citations: Table, labels: ItemLabels, params: URLSearchParams): HTMLElement {
  const status = el(
    'select',
    { 'aria-label': '按状态筛选', id: 'filter-status' },
    ...options(citations.getChild('status_now') ?? [], '全部状态', STATUS_LABEL),
  ) as HTMLSelectElement;
  const instrument = el(
    'select',
    { 'aria-label': '按文件筛选', id: 'filter-instrument' },
    ...options(citations.getChild('instrument_label') ?? [], '全部文件'),
  ) as HTMLSelectElement;
  const section = el(
    'select',
    { 'aria-label': '按承办机构筛选', id: 'filter-section' },
    ...options(citations.getChild('section') ?? [], '全部承办机构'),
  ) as HTMLSelectElement;
  status.value = params.get('status') ?? '';
  instrument.value = params.get('instrument') ?? '';
  section.value = params.get('section') ?? '';
  const exportLink = el(
    'a',
    { class: 'button', href: '/api/citations/export.xlsx', download: '', id: 'export-xlsx' },
    '导出待复核引用（Excel）',
  );
  const source = (r: Row) =>
    r.source_url
      ? /^https?:\/\//.test(String(r.source_url))
        ? el('a', { href: String(r.source_url).split(' ')[0]!, target: '_blank', rel: 'noopener' }, '来源')
        : el('span', { class: 'raw' }, String(r.source_url))
      : el('span', { class: 'note' }, '无来源');
  const table = dataTable(
    [...citations].map((row) => row.toJSON() as Row),
    [
      { head: '序号', cell: (r) => String(r.seq) },
      {
        head: '事项 / 承办机构',
        cell: (r) => [
          itemLink(labels.bySeq(r.seq), String(r.name ?? '')),
          el('div', { class: 'note' }, String(r.section ?? '—')),
        ],
      },
      {
        head: '引用文件',
        cell: (r) => [
          `《${r.title}》`,
          r.instrument_title && r.instrument_title !== r.title
            ? el('div', { class: 'note' }, `登记名称：${r.instrument_title}`)
            : '',
          r.articles ? el('div', { class: 'note' }, String(r.articles)) : '',
        ],
      },
      { head: '引用版本', cell: (r) => String(r.claimed_version_date ?? '未注明') },
      { head: '清单日期时', cell: (r) => badge(r.status_list, r.status_list_verified) },
      { head: '当前', cell: (r) => badge(r.status_now, r.status_now_verified) },
      { head: '现行情况与来源', cell: (r) => [currentText(r), ' ', source(r)] },
      {
        head: '引文',
        cell: (r) => [
          el('details', {}, el('summary', {}, '引文'), el('p', { class: 'passage raw' }, String(r.passage ?? ''))),
          el('div', { class: 'note' }, `来源行 ${r.source_lines}`),
        ],
      },
    ],
    {
      id: 'citations-table',
      rowAttrs: (r) => ({
        'data-seq': String(r.seq),
        'data-status': String(r.status_now),
        class: r.flagged ? 'flagged' : '',
      }),
    },
  );
  const count = el('span', { class: 'note', id: 'citation-count' }, `${table.rows.length} 处`);
  const apply = () => {
    const shown = table.filter(
      (r) =>
        (!status.value || r.status_now === status.value) &&
        (!instrument.value || r.instrument_label === instrument.value) &&
        (!section.value || r.section === section.value),
    );
    count.textContent = `${shown} 处`;
    setParams({ status: status.value || null, instrument: instrument.value || null, section: section.value || null });
    const q = new URLSearchParams();
    if (status.value) q.set('status', status.value);
    if (instrument.value) q.set('instrument', instrument.value);
    if (section.value) q.set('section', section.value);
    exportLink.setAttribute('href', `/api/citations/export.xlsx${q.size ? `?${q}` : ''}`);
  };
  for (const s of [status, instrument, section]) s.addEventListener('change', apply);
  if (status.value || instrument.value || section.value) apply();
  return el(
    'div',
    {},
    el('div', { class: 'filters' }, status, ' ', instrument, ' ', section, ' ', count, ' ', exportLink),
    table.element,
  );
}

const INSTRUMENT_STATUS: Record<string, string> = { in_force: '现行有效', repealed: '已废止', unknown: '未收录' };

/** The registry: every instrument with its versions, how often the list cites it, and unverified facts. */
function registryTable(instruments: Table): HTMLElement {
  return dataTable(
    [...instruments].map((r) => r.toJSON() as Row),
    [
      {
        head: '文件',
        cell: (r) => [`《${r.title}》`, r.doc_number ? el('div', { class: 'note' }, String(r.doc_number)) : ''],
      },
      { head: '类别 / 制定机关', cell: (r) => [text(r.kind), el('div', { class: 'note' }, text(r.issuer))] },
      {
        head: '状态',
        cell: (r) =>
          el(
            'span',
            { class: `status ${r.status === 'repealed' ? 'repealed' : r.in_registry ? 'current' : 'unknown'}` },
            r.in_registry ? (INSTRUMENT_STATUS[String(r.status)] ?? String(r.status)) : '登记册未收录',
          ),
      },
      { head: '版本数', cell: (r) => text(r.versions), class: 'num' },
      {
        head: '最新版本',
        cell: (r) =>
          r.latest_version_date ? `${r.latest_version_date} ${EVENT_LABEL[String(r.latest_version_event)] ?? ''}` : '—',
      },
      { head: '被引次数', cell: (r) => num(r.citations), class: 'num' },
      { head: '引用事项', cell: (r) => num(r.citing_items), class: 'num' },
      {
        head: '待核实事实',
        cell: (r) =>
          Number(r.unverified_facts) ? el('span', { class: 'flag truncated' }, `${r.unverified_facts} 项`) : '—',
      },
    ],
    {
      id: 'instruments-table',
      tall: true,
      rowAttrs: (r) => ({
        'data-instrument': String(r.instrument_id ?? ''),
        'data-in-registry': String(r.in_registry),
      }),
    },
  ).element;
}
