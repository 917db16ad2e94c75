import type { Table } from 'apache-arrow';
import { fetchTable } from '../api.ts';
import { KIND_LABEL, fineRangeText, fineRanges } from '../charts/fine-ranges.ts';
import { sizedChart } from '../charts/sized-chart.ts';
import { card, el } from '../dom.ts';
import { filterBar } from '../filters.ts';
import { num, versionName } from '../format.ts';
import { itemHref, type Route } from '../hash.ts';
import { itemLabels, itemLink, type ItemLabels } from '../labels.ts';
import { dataTable, text } from '../table.ts';
import { withCodes } from '../zh.ts';
import { readMeta } from './case-window.ts';

type Row = Record<string, unknown>;

/** 罚款幅度: the statutory fine range of every penalty clause, by kind, each on its own axis; fines imposed against them. */
export async function renderFines(root: HTMLElement, route: Route): Promise<void> {
  const p = Object.fromEntries(route.params) as Record<string, string | undefined>;
  const version = p.version;
  const [fines, labels, versions, metaTable] = await Promise.all([
    fetchTable('/api/fines', { version, section: p.section, kind: p.kind }),
    itemLabels(version),
    fetchTable('/api/versions'),
    fetchTable('/api/cases/meta'),
  ]);
  const meta = readMeta(metaTable);
  const kinds = [...(fines.getChild('kind') ?? [])].map(String);
  const count = (k: string) => kinds.filter((x) => x === k).length;
  const items = new Set([...(fines.getChild('seq') ?? [])].map(Number)).size;
  const opts = {
    labelOf: (seq: number, name: string) => labels.bySeq(seq)?.label ?? name,
    hrefOf: (seq: number) => itemHref(seq, version ? { version } : {}),
  };
  const panel = (kind: 'yuan' | 'per_person' | 'multiple', n: number) =>
    n
      ? sizedChart((w) => fineRanges(fines, { panel: kind, width: w, ...opts }))
      : el('p', { class: 'note empty' }, '所选条件下没有此类条款。');
  root.append(
    filterBar(
      {
        versions: [...versions].map((v) => ({ id: Number(v.version_id), name: versionName(v.label, v.version_id) })),
        sections: labels.sections,
        extra: { kind: { label: '幅度类别', options: Object.entries(KIND_LABEL) } },
        months: meta.cases ? { min: meta.min_month, max: meta.max_month } : undefined,
      },
      p,
    ),
    el(
      'p',
      { class: 'note' },
      `${items} 个事项的实施依据中共载明 ${fines.numRows} 处罚款条款；其中 ${count('unspecified')} 处未载明数额（仅列于下表）。点击区间查看事项。`,
    ),
    card('固定金额罚款（元，对数刻度）', panel('yuan', count('fixed_range') + count('cap_only')), {
      chart: 'fine-yuan',
    }),
    el(
      'div',
      { class: 'grid' },
      card('按人计罚款（元/人）', panel('per_person', count('per_person_range')), { chart: 'fine-per-person' }),
      card('按倍数计罚款', panel('multiple', count('multiple')), { chart: 'fine-multiple' }),
    ),
    card('罚款条款', finesTable(fines, labels, version)),
  );
  if (meta.cases)
    root.append(card('实际罚款是否在法定幅度内', await complianceView(p, labels), { section: 'fine-compliance' }));
}

function finesTable(fines: Table, labels: ItemLabels, version: string | undefined): HTMLElement {
  return dataTable(
    [...fines] as unknown as Row[],
    [
      { head: '条款', cell: (r) => `${r.seq}-${r.clause_no}` },
      { head: '事项', cell: (r) => itemLink(labels.bySeq(r.seq), String(r.name ?? '')) },
      { head: '类别', cell: (r) => KIND_LABEL[String(r.kind)] ?? String(r.kind) },
      { head: '幅度', cell: (r) => fineRangeText(r as never), class: 'range' },
      { head: '基数', cell: (r) => (r.kind === 'multiple' ? text(r.base) : '—') },
      {
        head: '条款原文',
        cell: (r) => [
          el('span', { class: 'raw' }, String(r.clause_text ?? '')),
          r.condition ? el('div', { class: 'note' }, '条件：', el('span', { class: 'raw' }, String(r.condition))) : '',
        ],
      },
      { head: '来源行', cell: (r) => String(r.source_lines ?? ''), class: 'note' },
    ],
    {
      id: 'fines-table',
      tall: true,
      empty: '所选条件下没有罚款条款。',
      rowAttrs: (r) => ({
        'data-seq': String(r.seq),
        'data-kind': String(r.kind),
        ...(version ? { 'data-version': version } : {}),
      }),
    },
  ).element;
}

async function complianceView(p: Record<string, string | undefined>, labels: ItemLabels): Promise<HTMLElement> {
  let t: Table;
  try {
    t = await fetchTable('/api/fines/compliance', {
      from: p.from,
      to: p.to,
      section: p.section,
      power_type: p.power_type,
    });
  } catch {
    return el('p', { class: 'note empty' }, '所选承办机构没有案件。');
  }
  const rows = ([...t] as unknown as Row[]).filter((r) => Number(r.fined_cases) > 0);
  let fined = 0,
    outside = 0;
  for (const r of rows) {
    fined += Number(r.fined_cases);
    outside += Number(r.outside);
  }
  return el(
    'div',
    {},
    el(
      'p',
      { class: 'note' },
      `罚款案件 ${num(fined)} 件，其中 ${num(outside)} 件不在实施依据载明的幅度内（按案件的决定月份筛选）。`,
    ),
    dataTable(
      rows,
      [
        {
          head: '事项',
          cell: (r) => itemLink(labels.byCode(r.item_code), labels.labelOfCode(r.item_code, r.item_name)),
        },
        { head: '承办机构', cell: (r) => String(r.section) },
        { head: '法定幅度', cell: (r) => text(r.ranges) },
        { head: '罚款案件', cell: (r) => num(r.fined_cases), class: 'num' },
        { head: '幅度内', cell: (r) => num(r.inside), class: 'num' },
        { head: '低于下限', cell: (r) => num(r.below), class: (r) => (Number(r.below) ? 'num late' : 'num') },
        { head: '高于上限', cell: (r) => num(r.above), class: (r) => (Number(r.above) ? 'num late' : 'num') },
        { head: '超出幅度的案件', cell: (r) => withCodes(String(r.examples ?? '')), class: 'note' },
      ],
      {
        id: 'compliance-table',
        tall: true,
        empty: '所选条件下没有罚款案件。',
        rowAttrs: (r) => ({ 'data-item': String(r.item_code), 'data-outside': String(r.outside) }),
      },
    ).element,
  );
}
