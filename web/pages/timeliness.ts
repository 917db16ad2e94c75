import type { Table } from 'apache-arrow';
import { fetchTable } from '../api.ts';
import { sizedChart } from '../charts/sized-chart.ts';
import { lateTrend } from '../charts/late-trend.ts';
import { onTimeHeatmap, type HeatmapSelection } from '../charts/on-time-heatmap.ts';
import { sectionScale } from '../charts/section-colours.ts';
import { card, el } from '../dom.ts';
import { filterBar } from '../filters.ts';
import { pct } from '../format.ts';
import { setParams, type Route } from '../hash.ts';
import { itemLabels, itemLink, type ItemLabels } from '../labels.ts';
import { dataTable } from '../table.ts';
import { withCodes } from '../zh.ts';
import { caseWindowBanner, readMeta } from './case-window.ts';

/** 办理时效: on-time rate per section × stage span, late spans per month, and the late items behind a cell. */
export async function renderTimeliness(root: HTMLElement, route: Route): Promise<void> {
  const p = Object.fromEntries(route.params) as Record<string, string | undefined>;
  const filters = { from: p.from, to: p.to, section: p.section, power_type: p.power_type };
  const [metaTable, labels] = await Promise.all([fetchTable('/api/cases/meta'), itemLabels()]);
  const meta = readMeta(metaTable);
  root.append(caseWindowBanner(meta));
  if (meta.cases === 0) {
    root.append(el('p', { class: 'note empty' }, '尚未载入案件数据。'));
    return;
  }
  const [window, monthly, spans] = await Promise.all([
    fetchTable('/api/timeliness', { per: 'window', ...filters }),
    fetchTable('/api/timeliness', filters),
    fetchTable('/api/timeliness/spans'),
  ]);
  const spanOrder = [...spans.getChild('span')!].map(String);
  const drill = el('div', { id: 'late-items' });
  const title = el('h2', {}, '逾期事项（全部）');
  const showLate = async (cell: HeatmapSelection | null) => {
    title.textContent = cell ? `逾期事项：${cell.section} · ${cell.span_label}` : '逾期事项（全部）';
    drill.dataset.state = 'loading';
    drill.replaceChildren(
      el('p', { class: 'loading', role: 'status' }, el('span', { class: 'spinner' }), '正在读取逾期事项…'),
    );
    setParams({ cell: cell ? `${cell.section}|${cell.span}` : null });
    const late = await fetchTable(
      '/api/timeliness/late',
      cell ? { ...filters, section: cell.section, span: cell.span } : filters,
    );
    drill.replaceChildren(lateTable(late, labels));
    drill.dataset.state = 'ready';
    if (cell) drill.dataset.selected = `${cell.section}|${cell.span}`;
    else delete drill.dataset.selected;
  };
  const colours = sectionScale(labels.sections);
  root.append(
    filterBar({ months: { min: meta.min_month, max: meta.max_month }, sections: labels.sections, types: true }, p),
    el(
      'p',
      { class: 'note' },
      '期限按法定时限计算：工作日依国务院办公厅节假日安排（含调休）；日历年度未覆盖的案件单独计为“未覆盖”，不作判断。',
    ),
    card('按时、经批准延长后按时与逾期（所选期间，按办理环节计）', extensionCounts(window), {
      chart: 'extension-counts',
    }),
    card(
      '各承办机构 × 办理环节 按时率（点击单元格查看逾期事项）',
      window.numRows
        ? sizedChart((w) => onTimeHeatmap(window, { spanOrder, width: w, onSelect: (c) => void showLate(c) }), {
            min: 300,
            max: 900,
          })
        : el('p', { class: 'note empty' }, '所选条件下没有可判定的环节。'),
      { chart: 'on-time-heatmap' },
    ),
    el(
      'section',
      { class: 'card', 'data-chart': 'late-items' },
      title,
      el('p', { class: 'note' }, '点击热力图中的单元格，查看该机构该环节的逾期事项；点击事项查看详情。'),
      drill,
    ),
    card(
      '逾期趋势（按月，逾期环节数）',
      monthly.numRows
        ? sizedChart((w) => lateTrend(monthly, { width: w, colours }))
        : el('p', { class: 'note empty' }, '所选条件下没有数据。'),
      { chart: 'late-trend' },
    ),
  );
  // A drill-down named in the link is opened again.
  const chosen = p.cell?.split('|');
  const cell =
    chosen?.length === 2 ? [...window].find((r) => r.section === chosen[0] && r.span === chosen[1]) : undefined;
  await showLate(
    cell ? { section: String(cell.section), span: String(cell.span), span_label: String(cell.span_label) } : null,
  );
}

type Row = Record<string, unknown>;

/**
 * On time within the limit, on time only within an approved extension, and late, counted apart:
 * the totals of the window, then per section × span. 延长未适用: late spans whose case had an
 * approved extension that could not extend them (no provision for one, or approved too late).
 */
function extensionCounts(window: Table): HTMLElement {
  const rows = [...window] as unknown as Row[];
  const sum = (k: string) => rows.reduce((n, r) => n + Number(r[k] ?? 0), 0);
  const totals = {
    on_time: sum('on_time'),
    on_time_extended: sum('on_time_extended'),
    late: sum('late'),
    extension_unapplied: sum('extension_unapplied'),
  };
  const figure = (key: keyof typeof totals, label: string, cls = '') =>
    el('span', { class: `figure ${cls}`.trim(), 'data-count': key }, label, el('strong', {}, String(totals[key])));
  return el(
    'div',
    {},
    el(
      'p',
      { id: 'timeliness-totals', class: 'figures' },
      figure('on_time', '按时：'),
      '　',
      figure('on_time_extended', '经批准延长后按时：'),
      '　',
      figure('late', '逾期：', 'late'),
      '　',
      figure('extension_unapplied', '其中已批准延长但未能适用：'),
    ),
    el(
      'p',
      { class: 'note' },
      '“经批准延长后按时”：超过法定时限、但在法定可延长期限内办结，且延长在原期限届满前已获批准。' +
        '“延长未适用”：案件已批准延长，但该环节的时限没有延长规定，或批准时原期限已过，仍计为逾期。',
    ),
    dataTable(
      rows,
      [
        { head: '承办机构', cell: (r) => String(r.section) },
        { head: '环节', cell: (r) => String(r.span_label) },
        { head: '按时', cell: (r) => String(r.on_time), class: 'num' },
        { head: '延长后按时', cell: (r) => String(r.on_time_extended), class: 'num extended' },
        { head: '逾期', cell: (r) => String(r.late), class: 'num late' },
        { head: '延长未适用', cell: (r) => String(r.extension_unapplied), class: 'num' },
        { head: '未覆盖', cell: (r) => String(r.uncovered), class: 'num' },
        { head: '按时率', cell: (r) => pct(r.on_time_rate), class: 'num' },
      ],
      {
        id: 'extension-table',
        tall: true,
        empty: '所选条件下没有可判定的环节。',
        rowAttrs: (r) => ({ 'data-section': String(r.section), 'data-span': String(r.span) }),
      },
    ).element,
  );
}

function lateTable(late: Table, labels: ItemLabels): HTMLElement {
  return dataTable(
    [...late] as unknown as Row[],
    [
      { head: '事项', cell: (r) => itemLink(labels.byCode(r.item_code), labels.labelOfCode(r.item_code, r.item_name)) },
      { head: '承办机构', cell: (r) => String(r.section) },
      { head: '环节', cell: (r) => String(r.span_label) },
      { head: '法定时限', cell: (r) => String(r.limit) },
      { head: '案件', cell: (r) => String(r.cases), class: 'num' },
      { head: '延长后按时', cell: (r) => String(r.on_time_extended), class: 'num extended' },
      { head: '逾期', cell: (r) => String(r.late), class: 'num late' },
      { head: '逾期率', cell: (r) => pct(r.late_rate), class: 'num' },
      {
        head: '逾期案件示例',
        cell: (r) => withCodes(String(r.examples).split('；').slice(0, 2).join('；')),
        class: 'note',
      },
    ],
    { id: 'late-table', tall: true, empty: '没有逾期事项。', rowAttrs: (r) => ({ 'data-item': String(r.item_code) }) },
  ).element;
}
