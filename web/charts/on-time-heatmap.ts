import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';

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
export function onTimeHeatmap(table: Table, { onSelect, width = 720 }: OnTimeHeatmapOptions = {}): Element {
  const sections = table.getChild('section')!, spans = table.getChild('span')!, labels = table.getChild('span_label')!;
  const chart = Plot.plot({
    width,
    marginLeft: 120,
    marginBottom: 48,
    padding: 0.04,
    x: { label: '办理环节', tickRotate: -20 },
    y: { label: null },
    color: { type: 'linear', domain: [0.5, 1], range: ['#c0392b', '#f1c40f', '#27ae60'], legend: true, label: '按时率', percent: true, unknown: '#d9dde2' },
    marks: [
      Plot.cell(table, { x: 'span_label', y: 'section', fill: 'on_time_rate', inset: 0.5, tip: true, channels: { 逾期: 'late', 案件: 'cases' } }),
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
