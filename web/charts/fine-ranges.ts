import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';

export const KIND_LABEL: Record<string, string> = {
  fixed_range: '固定幅度',
  cap_only: '仅有上限',
  per_person_range: '按人计幅度',
  multiple: '倍数',
  unspecified: '未载明数额',
};
const KIND_COLOUR: Record<string, string> = { fixed_range: '#2f6db5', cap_only: '#7fa7d9', per_person_range: '#b5672f', multiple: '#6b3fa0' };

/**
 * The three panels never share an axis: fixed yuan amounts, amounts per person, and multiples
 * of a base are different quantities.
 */
export type FinePanel = 'yuan' | 'per_person' | 'multiple';
const PANEL_KINDS: Record<FinePanel, string[]> = { yuan: ['fixed_range', 'cap_only'], per_person: ['per_person_range'], multiple: ['multiple'] };

export interface FineRangesOptions {
  panel: FinePanel;
  width?: number;
}

type Row = { seq: number; clause_no: number; name: string; kind: string; min_yuan: number | null; max_yuan: number | null; min_multiple: number | null; max_multiple: number | null; base: string | null; clause_text: string; source_lines: string };

const yuan = (v: number | null) => (v === null ? '—' : v >= 10000 && v % 10000 === 0 ? `${v / 10000}万元` : `${v}元`);

const labelOf = (seq: unknown, clause: unknown, name: unknown) => {
  const n = String(name ?? '');
  return `${seq}-${clause} ${n.length > 14 ? `${n.slice(0, 14)}…` : n}`;
};
const label = (d: Row) => labelOf(d.seq, d.clause_no, d.name);

/** The panel's row labels (its y domain) and axis floor, read off the Arrow columns. */
function panelScan(table: Table, kinds: string[]): { labels: string[]; floor: number } {
  const col = (name: string) => table.getChild(name)!;
  const [kind, seq, clause, name, lo, hi] = ['kind', 'seq', 'clause_no', 'name', 'min_yuan', 'max_yuan'].map(col) as [ReturnType<typeof col>, ReturnType<typeof col>, ReturnType<typeof col>, ReturnType<typeof col>, ReturnType<typeof col>, ReturnType<typeof col>];
  const labels: string[] = [];
  let least = Infinity;
  for (let i = 0; i < table.numRows; i++) {
    if (!kinds.includes(kind.get(i) as string)) continue;
    labels.push(labelOf(seq.get(i), clause.get(i), name.get(i)));
    for (const v of [lo.get(i), hi.get(i)]) if (typeof v === 'number' && v > 0) least = Math.min(least, v);
  }
  // Cap-only intervals start at the axis floor: a decade below the least stated amount.
  return { labels, floor: Number.isFinite(least) ? 10 ** Math.floor(Math.log10(least) - 1) : 1 };
}

/** One horizontal interval per fine clause of the panel, coloured by kind; hovering shows the clause. */
export function fineRanges(table: Table, { panel, width = 900 }: FineRangesOptions): Element {
  const kinds = PANEL_KINDS[panel];
  const { labels, floor } = panelScan(table, kinds);
  const inPanel = (d: Row) => kinds.includes(d.kind);
  const isMultiple = panel === 'multiple';
  const x1 = (d: Row) => (isMultiple ? d.min_multiple ?? 0 : d.min_yuan ?? floor);
  const x2 = (d: Row) => (isMultiple ? d.max_multiple : d.max_yuan);
  const title = (d: Row) =>
    [
      `${d.seq}. ${d.name}`,
      `${KIND_LABEL[d.kind] ?? d.kind}：${isMultiple ? `${d.base ?? ''} ${d.min_multiple ?? '—'}–${d.max_multiple ?? '—'} 倍${d.max_yuan !== null ? `，最高 ${yuan(d.max_yuan)}` : ''}` : `${yuan(d.min_yuan)}–${yuan(d.max_yuan)}${panel === 'per_person' ? '/人' : ''}`}`,
      d.clause_text,
      `来源行 ${d.source_lines}`,
    ].join('\n');
  return Plot.plot({
    width,
    marginLeft: width < 700 ? 170 : 200,
    height: 60 + 22 * Math.max(labels.length, 1),
    x: isMultiple ? { label: '倍数', grid: true } : { type: 'log', label: panel === 'per_person' ? '元/人（对数刻度）' : '元（对数刻度）', grid: true },
    y: { label: null, domain: labels },
    color: { domain: kinds, range: kinds.map((k) => KIND_COLOUR[k]!), legend: true, tickFormat: (k: string) => KIND_LABEL[k] ?? k },
    marks: [
      Plot.ruleY(table, { filter: inPanel, y: label, x1, x2, stroke: 'kind', strokeWidth: 6, strokeLinecap: 'round', title, tip: true }),
      Plot.dot(table, { filter: inPanel, y: label, x: x2, fill: 'kind', r: 3 }),
    ],
  });
}
