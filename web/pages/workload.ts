import { fetchTable } from '../api.ts';
import { monthlyVolume } from '../charts/monthly-volume.ts';
import { topItems } from '../charts/top-items.ts';
import { card, el } from '../dom.ts';
import { caseWindowBanner, readMeta } from './case-window.ts';

const TOP_ITEMS = 15;

/** 工作量: cases per section and month, and the items with the most cases. */
export async function renderWorkload(root: HTMLElement): Promise<void> {
  const [metaTable, bySection, byItem, sectionTotals] = await Promise.all([
    fetchTable('/api/cases/meta'),
    fetchTable('/api/volumes', { by: 'section' }),
    fetchTable('/api/volumes', { by: 'item', per: 'window' }),
    fetchTable('/api/volumes', { by: 'section', per: 'window' }),
  ]);
  const meta = readMeta(metaTable);
  root.append(caseWindowBanner(meta));
  if (meta.cases === 0) {
    root.append(el('p', { class: 'note' }, '尚未载入案件数据：把案件导出文件放入收件箱，等待下一次定时任务。'));
    return;
  }
  const top = byItem.slice(0, TOP_ITEMS);
  root.append(
    el(
      'div',
      { class: 'grid' },
      card('各承办机构月度案件量', monthlyVolume(bySection, { series: 'section' }), { chart: 'monthly-volume' }),
      card(`案件最多的 ${top.numRows} 个事项`, topItems(top), { chart: 'top-items' }),
    ),
    card('各承办机构案件合计', sectionTable(sectionTotals)),
  );
}

function sectionTable(totals: import('apache-arrow').Table): HTMLElement {
  const body = el('tbody');
  for (const r of totals) {
    body.append(el('tr', { 'data-section': String(r.section) }, el('td', {}, String(r.section)), el('td', { class: 'num' }, String(r.cases))));
  }
  const head = el('thead', {}, el('tr', {}, el('th', {}, '承办机构'), el('th', {}, '案件数')));
  return el('table', { class: 'data', id: 'section-totals' }, head, body);
}
