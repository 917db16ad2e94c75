import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';

const STAGE_ORDER = ['received', 'accepted', 'investigated', 'reviewed', 'decided', 'served', 'closed'];

export interface HeatmapSelection {
  section: string;
  span: string;
  span_label: string;
}

export interface OnTimeHeatmapOptions {
  /** Called with the clicked cell's section and stage span. */
  onSelect?: (cell: HeatmapSelection) => void;
  width?: number;
}

/**
 * On-time rate per section × stage span (columns section, span, span_label, on_time_rate, late).
 * Cells with no judged span (all uncovered) have no rate and are drawn grey.
 */
export function onTimeHeatmap(table: Table, { onSelect, width = 900 }: OnTimeHeatmapOptions = {}): Element {
  const sections = table.getChild('section')!, spans = table.getChild('span')!, labels = table.getChild('span_label')!;
  const rows = new Set(sections.toArray() as string[]).size;
  // Columns in the order a case passes through the stages, not alphabetically.
  const rank = (span: string) => span.split('-').map((st) => STAGE_ORDER.indexOf(st)).reduce((a, b) => a * 10 + b, 0);
  const columns = new Map<string, string>();
  for (let i = 0; i < table.numRows; i++) columns.set(String(spans.get(i)), String(labels.get(i)));
  const xDomain = [...columns].sort(([a], [b]) => rank(a) - rank(b)).map(([, label]) => label);
  const chart = Plot.plot({
    width,
    height: 90 + 44 * rows,
    marginLeft: 130,
    marginTop: 40,
    marginBottom: 48,
    padding: 0.04,
    x: { label: '办理环节', tickRotate: -20, domain: xDomain },
    y: { label: null },
    color: { type: 'linear', domain: [0.5, 0.75, 1], range: ['#c0392b', '#f1c40f', '#27ae60'], clamp: true, legend: true, label: '按时率', unknown: '#d9dde2' },
    marks: [
      // A native title, not Plot's tip: a tip drawn over the cell would swallow the click.
      Plot.cell(table, {
        x: 'span_label',
        y: 'section',
        fill: 'on_time_rate',
        inset: 0.5,
        title: (d: { section: string; span_label: string; cases: number; late: number; uncovered: number }) =>
          `${d.section} · ${d.span_label}\n判定 ${d.cases - d.uncovered} 件，逾期 ${d.late} 件${d.uncovered ? `，未覆盖 ${d.uncovered} 件` : ''}`,
      }),
      Plot.text(table, {
        x: 'span_label',
        y: 'section',
        text: (d: { on_time_rate: number | null }) => (d.on_time_rate === null ? '—' : `${(d.on_time_rate * 100).toFixed(1)}%`),
        fill: 'black',
        pointerEvents: 'none',
      }),
    ],
  });
  // Plot binds each cell to its row index, so a click finds its row in the Arrow table.
  for (const rect of chart.querySelectorAll('g[aria-label="cell"] rect')) {
    const i = (rect as unknown as { __data__: number }).__data__;
    rect.setAttribute('data-section', String(sections.get(i)));
    rect.setAttribute('data-span', String(spans.get(i)));
    (rect as SVGElement).style.cursor = 'pointer';
    rect.addEventListener('click', () => onSelect?.({ section: String(sections.get(i)), span: String(spans.get(i)), span_label: String(labels.get(i)) }));
  }
  return chart;
}
