import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';
import { eachRow, labelMargin } from './marks.ts';

export interface HeatmapSelection {
  section: string;
  span: string;
  span_label: string;
}

export interface OnTimeHeatmapOptions {
  /** Span keys in the order a case passes through them (GET /api/timeliness/spans). */
  spanOrder: readonly string[];
  /** Called with the clicked cell's section and stage span. */
  onSelect?: (cell: HeatmapSelection) => void;
  width?: number;
}

type Cell = {
  section: string;
  span: string;
  span_label: string;
  cases: number;
  late: number;
  uncovered: number;
  on_time_rate: number | null;
};

/**
 * On-time rate per section × stage span (columns section, span, span_label, on_time_rate, late).
 * Cells with no judged span (all uncovered) have no rate and are drawn grey.
 */
export function onTimeHeatmap(table: Table, { spanOrder, onSelect, width = 900 }: OnTimeHeatmapOptions): Element {
  const sections = table.getChild('section')!,
    spans = table.getChild('span')!,
    labels = table.getChild('span_label')!;
  const rows = new Set(sections.toArray() as string[]).size;
  const labelOf = new Map<string, string>();
  for (let i = 0; i < table.numRows; i++) labelOf.set(String(spans.get(i)), String(labels.get(i)));
  const xDomain = spanOrder.filter((s) => labelOf.has(s)).map((s) => labelOf.get(s)!);
  const { marginLeft, tickFormat } = labelMargin(width, 130);
  return Plot.plot({
    width,
    height: 90 + 44 * rows,
    marginLeft,
    marginTop: 40,
    marginBottom: 60,
    padding: 0.04,
    x: { label: '办理环节', tickRotate: -30, domain: xDomain },
    y: { label: null, tickFormat },
    color: {
      type: 'linear',
      domain: [0.5, 0.75, 1],
      range: ['#c0392b', '#f1c40f', '#27ae60'],
      clamp: true,
      legend: true,
      label: '按时率',
      unknown: '#d9dde2',
    },
    marks: [
      // A native title, not Plot's tip: a tip drawn over the cell would swallow the click.
      Plot.cell(table, {
        x: 'span_label',
        y: 'section',
        fill: 'on_time_rate',
        inset: 0.5,
        title: (d: Cell) =>
          `${d.section} · ${d.span_label}\n判定 ${d.cases - d.uncovered} 件，逾期 ${d.late} 件${d.uncovered ? `，未覆盖 ${d.uncovered} 件` : ''}`,
        render: eachRow((rect, i) => {
          const cell = {
            section: String(sections.get(i)),
            span: String(spans.get(i)),
            span_label: String(labels.get(i)),
          };
          rect.setAttribute('data-section', cell.section);
          rect.setAttribute('data-span', cell.span);
          rect.style.cursor = 'pointer';
          rect.addEventListener('click', () => onSelect?.(cell));
        }),
      }),
      Plot.text(table, {
        x: 'span_label',
        y: 'section',
        text: (d: Cell) => (d.on_time_rate === null ? '—' : `${(d.on_time_rate * 100).toFixed(1)}%`),
        fill: 'black',
        pointerEvents: 'none',
      }),
    ],
  });
}
