import type { Table } from 'apache-arrow';
import { fetchTable } from '../api.ts';
import { sizedChart } from '../charts/sized-chart.ts';
import { versionCompare } from '../charts/version-compare.ts';
import { card, el } from '../dom.ts';
import { versionName } from '../format.ts';
import { itemHref } from '../hash.ts';
import { itemLabels, itemLink, rawReading, type ItemLabels } from '../labels.ts';
import { type Column, dataTable } from '../table.ts';

/** How a change's items were paired (the API gives the method and score). */
const METHOD_LABEL: Record<string, string> = {
  code: '编码相同',
  similarity: '名称与依据相似',
  containment: '内容包含',
};

interface HashParams {
  from?: number;
  to?: number;
  /** "version:seq" of the item whose details are shown. */
  item?: string;
}

function readHash(): HashParams {
  const q = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const num = (k: string) => (q.get(k) && Number.isInteger(Number(q.get(k))) ? Number(q.get(k)) : undefined);
  return { from: num('from'), to: num('to'), item: q.get('item') ?? undefined };
}

const hashFor = (p: HashParams) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined) q.set(k, String(v));
  return `#/reform?${q}`;
};

/** 年度调整: two versions side by side, the changes between them grouped by kind, and the report. */
export async function renderReform(root: HTMLElement): Promise<void> {
  const versions = await fetchTable('/api/reform/versions');
  const ids = [...versions.getChild('version_id')!].map(Number);
  if (ids.length < 2) {
    root.append(
      el(
        'p',
        { class: 'note', id: 'reform-empty' },
        `比较需要至少两个清单版本，当前已加载 ${ids.length} 个。请用 `,
        el('code', {}, 'npm run etl -- load 文件 --label 2025年版'),
        ' 加载新版本。',
      ),
    );
    return;
  }
  const hash = readHash();
  const to = hash.to && ids.includes(hash.to) ? hash.to : ids.at(-1)!;
  const from =
    hash.from && ids.includes(hash.from)
      ? hash.from
      : (ids.filter((id) => id < to).at(-1) ?? ids.find((id) => id !== to)!);
  const labelOf = (id: number) => {
    const i = ids.indexOf(id);
    const date = versions.getChild('effective_date')!.get(i);
    return `${versionName(versions.getChild('label')!.get(i), id)}（第${id}版${date ? `，${date}` : ''}）`;
  };

  const picker = (name: 'from' | 'to', value: number) => {
    const select = el(
      'select',
      { name, 'aria-label': name === 'from' ? '原版本' : '新版本' },
      ...ids.map((id) =>
        el('option', id === value ? { value: String(id), selected: '' } : { value: String(id) }, labelOf(id)),
      ),
    ) as HTMLSelectElement;
    select.addEventListener('change', () => {
      location.hash = hashFor({
        from: name === 'from' ? Number(select.value) : from,
        to: name === 'to' ? Number(select.value) : to,
      });
    });
    return select;
  };
  const q = `from=${from}&to=${to}`;
  root.append(
    el(
      'div',
      { class: 'card reform-head' },
      el('label', {}, '原版本 ', picker('from', from)),
      ' → ',
      el('label', {}, '新版本 ', picker('to', to)),
      el('a', { href: hashFor({ from: to, to: from }), id: 'reform-swap', title: '交换原版本与新版本' }, '⇄ 交换'),
      el(
        'span',
        { class: 'reform-links' },
        el('a', { href: `/api/reform/report.xlsx?${q}`, id: 'report-xlsx' }, '导出调整报告（Excel）'),
        el('a', { href: `/api/reform/report.html?${q}`, target: '_blank', id: 'report-print' }, '打印版报告'),
        el('a', { href: `/api/items/export.xlsx?version=${to}` }, '导出新版清单（Excel）'),
        el('a', { href: `/api/items/export.csv?version=${to}` }, 'CSV'),
      ),
    ),
  );
  if (from === to) {
    root.append(el('p', { class: 'error' }, '请选择两个不同的版本。'));
    return;
  }

  const [byType, bySection, diff, fromLabels, toLabels] = await Promise.all([
    fetchTable('/api/reform/summary', { from, to, dimension: 'power_type' }),
    fetchTable('/api/reform/summary', { from, to, dimension: 'section' }),
    fetchTable('/api/reform/diff', { from, to }),
    itemLabels(from),
    itemLabels(to),
  ]);
  const labels = { [from]: fromLabels, [to]: toLabels };
  if (hash.item) {
    const detail = await itemDetails(hash.item, { from, to }, labels);
    // The page opens at the item, not at the top (main.ts scrolls to this mark once drawn).
    detail.dataset.scrollIntoView = '';
    root.append(detail);
  }
  const opts = {
    category: 'category',
    from: 'from_items',
    to: 'to_items',
    fromLabel: labelOf(from),
    toLabel: labelOf(to),
  };
  root.append(
    el(
      'div',
      { class: 'grid' },
      card(
        '按权力类型对比',
        sizedChart((width) => versionCompare(byType, { ...opts, width })),
        { chart: 'reform-by-type' },
      ),
      card(
        '按承办机构对比',
        sizedChart((width) => versionCompare(bySection, { ...opts, width })),
        { chart: 'reform-by-section' },
      ),
    ),
    card(`调整明细（共 ${diff.numRows} 条）`, changeList(diff, { from, to }, labels)),
  );
}

/** The items a change names, each under its label (first seq linked to its item page). */
function namesCell(labels: ItemLabels, seqs: string, name: unknown): Node | string {
  const list = seqs.split(',').filter(Boolean);
  if (list.length !== 1) return name === null || name === undefined ? '—' : String(name);
  return itemLink(labels.bySeq(list[0]), String(name ?? '—'));
}

type Row = Record<string, unknown>;

function changeList(diff: Table, pair: { from: number; to: number }, labels: Record<number, ItemLabels>): HTMLElement {
  const kindSelect = el(
    'select',
    { 'aria-label': '变化类型', id: 'kind-filter' },
    el('option', { value: '' }, '全部类型'),
  ) as HTMLSelectElement;
  const search = el('input', {
    type: 'search',
    placeholder: '搜索 名称 / 编码 / 说明',
    'aria-label': '搜索调整',
  }) as HTMLInputElement;
  const link = (version: number, seqs: string) =>
    seqs
      ? el('a', { href: hashFor({ ...pair, item: `${version}:${seqs.split(',')[0]}` }), class: 'item-link' }, seqs)
      : '';
  const byKind = new Map<string, Row[]>();
  for (const r of diff) {
    const row = r.toJSON() as Row;
    byKind.set(String(row.kind), [...(byKind.get(String(row.kind)) ?? []), row]);
  }
  const columns: Column<Row>[] = [
    { head: '原序号', cell: (r) => link(pair.from, String(r.from_seqs ?? '')) },
    { head: '新序号', cell: (r) => link(pair.to, String(r.to_seqs ?? '')) },
    { head: '原事项', cell: (r) => namesCell(labels[pair.from]!, String(r.from_seqs ?? ''), r.name_before) },
    { head: '新事项', cell: (r) => namesCell(labels[pair.to]!, String(r.to_seqs ?? ''), r.name_after) },
    { head: '说明', cell: (r) => String(r.detail ?? '') },
    {
      head: '匹配',
      cell: (r) => (r.method ? `${METHOD_LABEL[String(r.method)] ?? r.method} ${Number(r.score).toFixed(2)}` : '—'),
      class: 'note',
    },
  ];
  const groups = [...byKind].map(([kind, rows]) => {
    const table = dataTable(rows, columns, { rowAttrs: () => ({ 'data-change': kind }) });
    const heading = el('h3', {});
    const label = String(rows[0]!.kind_label);
    kindSelect.append(el('option', { value: kind }, label));
    return {
      kind,
      label,
      table,
      heading,
      section: el('section', { 'data-kind': kind, class: 'change-group' }, heading, table.element),
    };
  });
  const haystack = (r: Row) =>
    `${r.name_before ?? ''} ${r.name_after ?? ''} ${r.code_before ?? ''} ${r.code_after ?? ''} ${r.detail ?? ''}`;
  const apply = () => {
    const kind = kindSelect.value;
    const text = search.value.trim();
    for (const g of groups) {
      const shown = g.table.filter(
        (r) => (kind === '' || g.kind === kind) && (text === '' || haystack(r).includes(text)),
      );
      g.section.hidden = shown === 0;
      g.heading.textContent = `${g.label}（${shown}）`;
    }
  };
  kindSelect.addEventListener('change', apply);
  search.addEventListener('input', apply);
  apply();
  const empty = groups.length ? '' : el('p', { class: 'note empty' }, '两个版本之间没有变化。');
  return el('div', { id: 'change-list' }, kindSelect, ' ', search, empty, ...groups.map((g) => g.section));
}

async function itemDetails(
  ref: string,
  pair: { from: number; to: number },
  labels: Record<number, ItemLabels>,
): Promise<HTMLElement> {
  const [version, seq] = ref.split(':').map(Number);
  const t = await fetchTable('/api/reform/item', { version, seq });
  const r = t.get(0)!;
  const field = (label: string, value: unknown) => [el('dt', {}, label), el('dd', {}, String(value ?? '—') || '—')];
  return card(
    `事项详情：第${version}版 序号 ${seq}`,
    el(
      'div',
      {},
      el(
        'dl',
        { class: 'item-details' },
        ...nameField(labels[version!] ?? (await itemLabels(version)), seq!, r.name),
        ...field('地方权力编码', r.code),
        ...field('权力类型', r.power_type),
        ...field('承办机构', r.section),
        ...field('行使主体', r.subject),
        ...field('子项', r.sub_items),
        ...field('实施依据', r.basis),
        ...field('责任事项内容', r.duties),
        ...field('追责情形', r.accountability),
      ),
      el(
        'p',
        {},
        el('a', { href: itemHref(seq!, { version }) }, '查看事项全部信息'),
        ' · ',
        el('a', { href: hashFor(pair) }, '关闭详情'),
      ),
    ),
    { detail: `${version}:${seq}` },
  );
}

function nameField(labels: ItemLabels, seq: number, name: unknown): HTMLElement[] {
  const l = labels.bySeq(seq);
  const value = l?.label_is_substitute
    ? el('span', {}, l.label, el('span', { class: 'flag substitute' }, '代称'), rawReading(String(name ?? '')))
    : String(name ?? '—');
  return [el('dt', {}, '事项名称'), el('dd', {}, value)];
}
