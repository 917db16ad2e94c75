import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';
import { range } from '../format.ts';
import { labelMargin } from './marks.ts';

export const KIND_LABEL: Record<string, string> = {
  fixed_range: '固定幅度',
  cap_only: '仅有上限',
  per_person_range: '按人计幅度',
  multiple: '倍数',
  unspecified: '未载明数额',
};
const KIND_COLOUR: Record<string, string> = {
  fixed_range: '#2f6db5',
  cap_only: '#7fa7d9',
  per_person_range: '#b5672f',
  multiple: '#6b3fa0',
};

/**
 * The three panels never share an axis: fixed yuan amounts, amounts per person, and multiples
 * of a base are different quantities.
 */
export type FinePanel = 'yuan' | 'per_person' | 'multiple';
const PANEL_KINDS: Record<FinePanel, string[]> = {
  yuan: ['fixed_range', 'cap_only'],
  per_person: ['per_person_range'],
  multiple: ['multiple'],
};

export interface FineRangesOptions {
  panel: FinePanel;
  /** The item's label (GET /api/items/labels), never a flagged name. */
  labelOf: (seq: number, name: string) => string;
  /** Link of an item's page. */
  hrefOf: (seq: number) => string;
  width?: number;
}

type Row = {
  seq: number;
  clause_no: number;
  name: string;
  kind: string;
  min_yuan: number | null;
  max_yuan: number | null;
  min_multiple: number | null;
  max_multiple: number | null;
  base: string | null;
  clause_text: string;
  source_lines: string;
};

const rowLabel = (seq: unknown, clause: unknown, item: string) => `${seq}-${clause} ${item}`;

/** The panel's row labels (its y domain) and axis floor, read off the Arrow columns. */
function panelScan(
  table: Table,
  kinds: string[],
  labelOf: FineRangesOptions['labelOf'],
): { labels: string[]; floor: number } {
  const col = (name: string) => table.getChild(name)!;
  const [kind, seq, clause, name, lo, hi] = ['kind', 'seq', 'clause_no', 'name', 'min_yuan', 'max_yuan'].map(col) as [
    ReturnType<typeof col>,
    ReturnType<typeof col>,
    ReturnType<typeof col>,
    ReturnType<typeof col>,
    ReturnType<typeof col>,
    ReturnType<typeof col>,
  ];
  const labels: string[] = [];
  let least = Infinity;
  for (let i = 0; i < table.numRows; i++) {
    if (!kinds.includes(kind.get(i) as string)) continue;
    labels.push(rowLabel(seq.get(i), clause.get(i), labelOf(Number(seq.get(i)), String(name.get(i) ?? ''))));
    for (const v of [lo.get(i), hi.get(i)]) if (typeof v === 'number' && v > 0) least = Math.min(least, v);
  }
  // Cap-only intervals start at the axis floor: a decade below the least stated amount.
  return { labels, floor: Number.isFinite(least) ? 10 ** Math.floor(Math.log10(least) - 1) : 1 };
}

/** One horizontal interval per fine clause of the panel, coloured by kind; hovering shows the clause. */
export function fineRanges(table: Table, { panel, labelOf, hrefOf, width = 900 }: FineRangesOptions): Element {
  const kinds = PANEL_KINDS[panel];
  const { labels, floor } = panelScan(table, kinds, labelOf);
  const label = (d: Row) => rowLabel(d.seq, d.clause_no, labelOf(d.seq, d.name));
  const margin = labelMargin(width, width >= 900 ? 330 : 240);
  const inPanel = (d: Row) => kinds.includes(d.kind);
  const isMultiple = panel === 'multiple';
  const x1 = (d: Row) => (isMultiple ? (d.min_multiple ?? 0) : (d.min_yuan ?? floor));
  const x2 = (d: Row) => (isMultiple ? d.max_multiple : d.max_yuan);
  const title = (d: Row) =>
    [
      `第${d.seq}项 ${labelOf(d.seq, d.name)}`,
      `${KIND_LABEL[d.kind] ?? d.kind}：${fineRangeText(d)}`,
      d.clause_text,
      `来源行 ${d.source_lines}`,
      '点击查看事项',
    ].join('\n');
  return Plot.plot({
    width,
    marginLeft: margin.marginLeft,
    marginRight: 36,
    height: 60 + 22 * Math.max(labels.length, 1),
    x: isMultiple
      ? { label: '倍数', grid: true }
      : { type: 'log', label: panel === 'per_person' ? '元/人（对数刻度）' : '元（对数刻度）', grid: true },
    y: { label: null, domain: labels, tickFormat: margin.tickFormat },
    color: {
      domain: kinds,
      range: kinds.map((k) => KIND_COLOUR[k]!),
      legend: true,
      tickFormat: (k: string) => KIND_LABEL[k] ?? k,
    },
    marks: [
      Plot.ruleY(table, {
        filter: inPanel,
        y: label,
        x1,
        x2,
        stroke: 'kind',
        strokeWidth: 6,
        strokeLinecap: 'round',
        title,
        tip: true,
        href: (d: Row) => hrefOf(d.seq),
      }),
      Plot.dot(table, { filter: inPanel, y: label, x: x2, fill: 'kind', r: 3 }),
    ],
  });
}

/** A clause's amounts as printed: "2,000–20,000 元", "≤ 50,000 元/人", "社会保险费 1–3 倍（最高 …）". */
export function fineRangeText(
  d: Pick<Row, 'kind' | 'min_yuan' | 'max_yuan' | 'min_multiple' | 'max_multiple' | 'base'> & { per?: string | null },
): string {
  if (d.kind === 'multiple') {
    const times = range(d.min_multiple, d.max_multiple, '倍') ?? '倍数未载明';
    const cap = d.max_yuan !== null ? `，最高 ${range(null, d.max_yuan, '元')!.replace('≤ ', '')}` : '';
    return `${d.base ? `${d.base} ` : ''}${times}${cap}`;
  }
  const amount = range(d.min_yuan, d.max_yuan, '元');
  if (amount === null) return '未载明数额';
  return d.kind === 'per_person_range' || d.per === 'person' ? `${amount}/人` : amount;
}
