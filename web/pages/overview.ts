import type { Table } from 'apache-arrow';
import { fetchTable } from '../api.ts';
import { countBars } from '../charts/count-bars.ts';
import { sizedChart } from '../charts/sized-chart.ts';
import { sectionScale } from '../charts/section-colours.ts';
import { card, el } from '../dom.ts';
import { filterBar, navigate } from '../filters.ts';
import { versionName } from '../format.ts';
import { setParams, type Route } from '../hash.ts';
import { itemLabels, itemLink, type ItemLabels } from '../labels.ts';
import { dataTable, text } from '../table.ts';

const ORIGIN_LABEL: Record<string, string> = { repaired: '修复', inferred: '推断', corrected: '已更正' };

/** 总览: items by power type, by handling section (a bar filters the list), and the searchable list of items. */
export async function renderOverview(root: HTMLElement, route: Route): Promise<void> {
  const p = Object.fromEntries(route.params) as Record<string, string | undefined>;
  const version = p.version;
  const [byType, bySection, items, labels, versions] = await Promise.all([
    fetchTable('/api/summary/by-type', { version }),
    fetchTable('/api/summary/by-section', { version }),
    fetchTable('/api/items', { version }),
    itemLabels(version),
    fetchTable('/api/versions'),
  ]);
  const colours = sectionScale(labels.sections);
  root.append(
    filterBar(
      {
        versions: [...versions].map((v) => ({ id: Number(v.version_id), name: versionName(v.label, v.version_id) })),
        sections: labels.sections,
        types: true,
      },
      p,
    ),
    el('p', { class: 'note' }, `当前清单共 ${items.numRows} 项权力事项。点击柱条按类型或承办机构筛选下方清单。`),
    el(
      'div',
      { class: 'grid' },
      card(
        '按权力类型统计',
        sizedChart((w) =>
          countBars(byType, {
            category: 'power_type',
            count: 'items',
            label: '事项数（项）',
            width: w,
            onSelect: (power_type) => navigate({ power_type }),
          }),
        ),
        { chart: 'by-type' },
      ),
      card(
        '按承办机构统计',
        sizedChart((w) =>
          countBars(bySection, {
            category: 'section',
            count: 'items',
            label: '事项数（项）',
            colours,
            width: w,
            onSelect: (section) => navigate({ section }),
          }),
        ),
        { chart: 'by-section' },
      ),
    ),
    card('事项清单', itemsTable(items, labels, p)),
  );
}

type Row = Record<string, unknown>;

/** Every word of the query must occur: "工伤 认定" finds 工伤认定. */
const matches = (haystack: string, q: string) =>
  q
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => haystack.includes(w));

function itemsTable(items: Table, labels: ItemLabels, p: Record<string, string | undefined>): HTMLElement {
  const search = el('input', {
    type: 'search',
    placeholder: '搜索 名称 / 编码 / 承办机构 / 类型（空格分隔多个词）',
    'aria-label': '搜索事项',
    value: p.q ?? '',
  }) as HTMLInputElement;
  const flag = (origin: unknown) =>
    typeof origin === 'string' && ORIGIN_LABEL[origin]
      ? el('span', { class: `flag ${origin}` }, ORIGIN_LABEL[origin]!)
      : '';
  const table = dataTable(
    [...items] as unknown as Row[],
    [
      { head: '序号', cell: (r) => String(r.seq), class: 'num' },
      { head: '事项名称', cell: (r) => itemLink(labels.bySeq(r.seq), String(r.name ?? '')) },
      { head: '权力类型', cell: (r) => [text(r.power_type), flag(r.power_type_origin)] },
      { head: '承办机构', cell: (r) => [text(r.section), flag(r.section_origin)] },
      {
        head: '地方权力编码',
        cell: (r) => [
          el('code', {}, text(r.code)),
          r.code_partial ? el('span', { class: 'flag truncated' }, '不完整') : '',
        ],
      },
      { head: '子项', cell: (r) => String(r.sub_items ?? 0), class: 'num' },
      { head: '来源行', cell: (r) => String(r.source_lines ?? ''), class: 'note' },
    ],
    { id: 'items-table', rowAttrs: (r) => ({ 'data-seq': String(r.seq) }) },
  );
  const haystack = (r: Row) => {
    const l = labels.bySeq(r.seq);
    return `${r.seq} ${l?.label ?? ''} ${l?.label_is_substitute ? '' : r.name} ${r.code} ${r.section} ${r.power_type}`;
  };
  const count = el('span', { class: 'note', id: 'items-count' });
  const apply = () => {
    const q = search.value.trim();
    const shown = table.filter(
      (r) =>
        matches(haystack(r), q) &&
        (!p.section || r.section === p.section) &&
        (!p.power_type || r.power_type === p.power_type),
    );
    count.textContent = `${shown} 项`;
  };
  search.addEventListener('input', () => {
    setParams({ q: search.value.trim() || null });
    apply();
  });
  apply();
  return el('div', {}, search, ' ', count, table.element);
}
