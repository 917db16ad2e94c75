import { fetchTable } from '../api.ts';
import { lateTrend } from '../charts/late-trend.ts';
import { onTimeHeatmap, type HeatmapSelection } from '../charts/on-time-heatmap.ts';
import { card, el } from '../dom.ts';
import { caseWindowBanner, readMeta } from './case-window.ts';

/** 办理时效: on-time rate per section × stage span, late spans per month, and the late items behind a cell. */
export async function renderTimeliness(root: HTMLElement): Promise<void> {
  const [metaTable, window, monthly] = await Promise.all([
    fetchTable('/api/cases/meta'),
    fetchTable('/api/timeliness', { per: 'window' }),
    fetchTable('/api/timeliness'),
  ]);
  const meta = readMeta(metaTable);
  root.append(caseWindowBanner(meta));
  if (meta.cases === 0) {
    root.append(el('p', { class: 'note' }, '尚未载入案件数据。'));
    return;
  }
  const drill = el('div', { id: 'late-items' });
  const title = el('h2', {}, '逾期事项（全部）');
  const showLate = async (cell: HeatmapSelection | null) => {
    title.textContent = cell ? `逾期事项：${cell.section} · ${cell.span_label}` : '逾期事项（全部）';
    drill.dataset.state = 'loading';
    const late = await fetchTable('/api/timeliness/late', cell ? { section: cell.section, span: cell.span } : {});
    drill.replaceChildren(lateTable(late));
    drill.dataset.state = 'ready';
    if (cell) drill.dataset.selected = `${cell.section}|${cell.span}`;
  };
  root.append(
    el('p', { class: 'note' }, '期限按法定时限计算：工作日依国务院办公厅节假日安排（含调休）；日历年度未覆盖的案件单独计为“未覆盖”，不作判断。'),
    card('各承办机构 × 办理环节 按时率（点击单元格查看逾期事项）', onTimeHeatmap(window, { onSelect: (c) => void showLate(c) }), { chart: 'on-time-heatmap' }),
    el('section', { class: 'card', 'data-chart': 'late-items' }, title, el('p', { class: 'note' }, '点击热力图中的单元格，查看该机构该环节的逾期事项。'), drill),
    card('逾期趋势（按月，逾期环节数）', lateTrend(monthly), { chart: 'late-trend' }),
  );
  await showLate(null);
}

function lateTable(late: import('apache-arrow').Table): HTMLElement {
  if (late.numRows === 0) return el('p', { class: 'note' }, '没有逾期事项。');
  const body = el('tbody');
  for (const r of late) {
    body.append(
      el(
        'tr',
        { 'data-item': String(r.item_code) },
        el('td', {}, String(r.item_name)),
        el('td', {}, String(r.section)),
        el('td', {}, String(r.span_label)),
        el('td', {}, String(r.limit)),
        el('td', { class: 'num' }, String(r.cases)),
        el('td', { class: 'num late' }, String(r.late)),
        el('td', { class: 'note' }, String(r.examples).split('；').slice(0, 2).join('；')),
      ),
    );
  }
  const head = el('thead', {}, el('tr', {}, ...['事项', '承办机构', '环节', '法定时限', '案件', '逾期', '逾期案件示例'].map((h) => el('th', {}, h))));
  return el('div', { class: 'scroll' }, el('table', { class: 'data', id: 'late-table' }, head, body));
}
