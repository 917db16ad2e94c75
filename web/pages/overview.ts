import type { Table } from 'apache-arrow';
import { fetchTable } from '../api.ts';
import { countBars } from '../charts/count-bars.ts';
import { card, el } from '../dom.ts';

/** 总览: items by power type, by handling section, and the searchable list of items. */
export async function renderOverview(root: HTMLElement): Promise<void> {
  const [byType, bySection, items] = await Promise.all([
    fetchTable('/api/summary/by-type'),
    fetchTable('/api/summary/by-section'),
    fetchTable('/api/items'),
  ]);
  const total = items.numRows;
  root.append(
    el('p', { class: 'note' }, `当前清单共 ${total} 项权力事项。`),
    el(
      'div',
      { class: 'grid' },
      card('按权力类型统计', countBars(byType, { category: 'power_type', count: 'items', label: '事项数' }), { chart: 'by-type' }),
      card('按承办机构统计', countBars(bySection, { category: 'section', count: 'items', label: '事项数' }), { chart: 'by-section' }),
    ),
    card('事项清单', itemsTable(items)),
  );
}

const ORIGIN_LABEL: Record<string, string> = { repaired: '修复', inferred: '推断', corrected: '已更正' };
const QUALITY_LABEL: Record<string, string> = { scrambled: '乱序', truncated: '残缺' };

function itemsTable(items: Table): HTMLElement {
  const search = el('input', { type: 'search', placeholder: '搜索 名称 / 编码 / 承办机构 / 类型', 'aria-label': '搜索事项' }) as HTMLInputElement;
  const body = el('tbody');
  const rows: { text: string; tr: HTMLElement }[] = [];
  for (const r of items) {
    const flag = (origin: unknown, labels: Record<string, string>) =>
      typeof origin === 'string' && labels[origin] ? el('span', { class: `flag ${origin}` }, labels[origin]!) : '';
    const tr = el(
      'tr',
      { 'data-seq': String(r.seq) },
      el('td', {}, String(r.seq)),
      el('td', {}, String(r.name ?? ''), flag(r.name_quality, QUALITY_LABEL), flag(r.name_origin, ORIGIN_LABEL)),
      el('td', {}, String(r.power_type ?? '—'), flag(r.power_type_origin, ORIGIN_LABEL)),
      el('td', {}, String(r.section ?? '—'), flag(r.section_origin, ORIGIN_LABEL)),
      el('td', {}, el('code', {}, String(r.code ?? '—')), r.code_partial ? el('span', { class: 'flag truncated' }, '不完整') : ''),
      el('td', {}, String(r.sub_items ?? 0)),
      el('td', { class: 'note' }, String(r.source_lines ?? '')),
    );
    rows.push({ text: `${r.seq} ${r.name} ${r.code} ${r.section} ${r.power_type}`, tr });
    body.append(tr);
  }
  const count = el('span', { class: 'note' }, `${rows.length} 项`);
  search.addEventListener('input', () => {
    const q = search.value.trim();
    let shown = 0;
    for (const { text, tr } of rows) {
      const hit = !q || text.includes(q);
      tr.hidden = !hit;
      if (hit) shown++;
    }
    count.textContent = `${shown} 项`;
  });
  const head = el('thead', {}, el('tr', {}, ...['序号', '事项名称', '权力类型', '承办机构', '地方权力编码', '子项', '来源行'].map((h) => el('th', {}, h))));
  return el('div', {}, search, ' ', count, el('table', { class: 'data', id: 'items-table' }, head, body));
}
