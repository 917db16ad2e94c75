import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';

export interface QualityBarsOptions {
  /** Labels of the fields (y) and statuses (colour), in display order. */
  fields: Record<string, string>;
  statuses: Record<string, string>;
  colors: Record<string, string>;
  width?: number;
}

/**
 * One stacked bar per field: how many items have it read, repaired, inferred, corrected, flagged or
 * missing. Reads the long table of GET /api/quality (field, status, items) directly.
 */
export function qualityBars(table: Table, { fields, statuses, colors, width = 720 }: QualityBarsOptions): Element {
  const fieldKeys = Object.keys(fields);
  const statusKeys = Object.keys(statuses);
  return Plot.plot({
    width,
    marginLeft: 110,
    height: 50 + 30 * fieldKeys.length,
    x: { label: '事项数(子项名称按子项计)', grid: true },
    y: { label: null, domain: fieldKeys, tickFormat: (f: string) => fields[f] ?? f },
    color: {
      domain: statusKeys,
      range: statusKeys.map((s) => colors[s]!),
      legend: true,
      tickFormat: (s: string) => statuses[s] ?? s,
    },
    marks: [
      Plot.barX(
        table,
        Plot.stackX({
          x: 'items',
          y: 'field',
          fill: 'status',
          order: statusKeys,
          filter: (d: { items: number }) => d.items > 0,
          title: (d: { field: string; status: string; items: number }) =>
            `${fields[d.field] ?? d.field} · ${statuses[d.status] ?? d.status}：${d.items}`,
          tip: true,
        }),
      ),
      Plot.ruleX([0]),
    ],
  });
}
