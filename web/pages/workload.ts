import type { Table } from 'apache-arrow';
import { fetchTable } from '../api.ts';
import { sizedChart } from '../charts/sized-chart.ts';
import { monthlyVolume } from '../charts/monthly-volume.ts';
import { sectionScale } from '../charts/section-colours.ts';
import { topItems } from '../charts/top-items.ts';
import { yearOverYear } from '../charts/year-over-year.ts';
import { card, el } from '../dom.ts';
import { filterBar, filterLink, navigate } from '../filters.ts';
import { num } from '../format.ts';
import { itemHref, type Route } from '../hash.ts';
import { itemLabels, itemLink } from '../labels.ts';
import { dataTable } from '../table.ts';
import { caseWindowBanner, readMeta } from './case-window.ts';

const TOP_ITEMS = 15;

/** 工作量: cases per section and month (or year over year), the items with the most cases; filters in the URL. */
export async function renderWorkload(root: HTMLElement, route: Route): Promise<void> {
  const p = Object.fromEntries(route.params) as Record<string, string | undefined>;
  const filters = { from: p.from, to: p.to, section: p.section, power_type: p.power_type };
  const [metaTable, labels] = await Promise.all([fetchTable('/api/cases/meta'), itemLabels()]);
  const meta = readMeta(metaTable);
  root.append(caseWindowBanner(meta));
  if (meta.cases === 0) {
    root.append(el('p', { class: 'note empty' }, '尚未载入案件数据：把案件导出文件放入收件箱，等待下一次定时任务。'));
    return;
  }
  const [bySection, byItem, sectionTotals] = await Promise.all([
    fetchTable('/api/volumes', { by: 'section', ...filters }),
    fetchTable('/api/volumes', { by: 'item', per: 'window', ...filters }),
    fetchTable('/api/volumes', { by: 'section', per: 'window', ...filters }),
  ]);
  const colours = sectionScale(labels.sections);
  const yoy = p.view === 'yoy';
  const viewSwitch = el(
    'p',
    { class: 'view-switch' },
    el('a', { href: '#', 'data-view': 'monthly', class: yoy ? '' : 'active' }, '按月'),
    ' · ',
    el('a', { href: '#', 'data-view': 'yoy', class: yoy ? 'active' : '' }, '同比（按年对照各月）'),
  );
  for (const a of viewSwitch.querySelectorAll('a')) {
    a.addEventListener('click', (e) => {
      e.preventDefault();
      navigate({ view: (a as HTMLElement).dataset.view === 'yoy' ? 'yoy' : null });
    });
  }
  const top = byItem.slice(0, TOP_ITEMS);
  const volumeChart = bySection.numRows
    ? yoy
      ? sizedChart((w) => yearOverYear(bySection, { width: w }))
      : sizedChart((w) =>
          monthlyVolume(bySection, {
            series: 'section',
            colours,
            width: w,
            onSelect: (section) => navigate({ section }),
          }),
        )
    : el('p', { class: 'note empty' }, '所选条件下没有案件。');
  root.append(
    filterBar({ months: { min: meta.min_month, max: meta.max_month }, sections: labels.sections, types: true }, p),
    el(
      'div',
      { class: 'grid' },
      card(
        yoy ? '月度案件量同比' : '各承办机构月度案件量（点击柱条按机构筛选）',
        el('div', {}, viewSwitch, volumeChart),
        { chart: yoy ? 'year-over-year' : 'monthly-volume' },
      ),
      card(
        `案件最多的 ${top.numRows} 个事项（点击查看事项）`,
        top.numRows
          ? sizedChart((w) =>
              topItems(top, {
                labelOf: (code, name) => labels.labelOfCode(code, name),
                hrefOf: (code) => (labels.byCode(code) ? itemHref(labels.byCode(code)!.seq) : null),
                colours,
                width: w,
              }),
            )
          : el('p', { class: 'note empty' }, '所选条件下没有案件。'),
        { chart: 'top-items' },
      ),
    ),
    el(
      'div',
      { class: 'grid' },
      card('各承办机构案件合计', sectionTable(sectionTotals)),
      card(`各事项案件量${p.section ? `：${p.section}` : ''}`, itemTable(byItem, labels)),
    ),
  );
}

type Row = Record<string, unknown>;

function sectionTable(totals: Table): HTMLElement {
  return dataTable(
    [...totals] as unknown as Row[],
    [
      { head: '承办机构', cell: (r) => filterLink(String(r.section), { section: String(r.section) }) },
      { head: '案件数', cell: (r) => String(r.cases), class: 'num' },
    ],
    { id: 'section-totals', rowAttrs: (r) => ({ 'data-section': String(r.section) }), empty: '所选条件下没有案件。' },
  ).element;
}

function itemTable(byItem: Table, labels: Awaited<ReturnType<typeof itemLabels>>): HTMLElement {
  return dataTable(
    [...byItem] as unknown as Row[],
    [
      { head: '事项', cell: (r) => itemLink(labels.byCode(r.item_code), labels.labelOfCode(r.item_code, r.item_name)) },
      { head: '承办机构', cell: (r) => String(r.section) },
      { head: '权力类型', cell: (r) => String(r.power_type) },
      { head: '案件数', cell: (r) => num(r.cases), class: 'num' },
    ],
    {
      id: 'item-volumes',
      tall: true,
      rowAttrs: (r) => ({ 'data-item': String(r.item_code) }),
      empty: '所选条件下没有案件。',
    },
  ).element;
}
