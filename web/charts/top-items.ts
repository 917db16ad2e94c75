import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';

/** Items with the most cases (columns item_name, cases, section), longest bar first. */
export function topItems(table: Table, { width = 640 }: { width?: number } = {}): Element {
  return Plot.plot({
    width,
    marginLeft: 230,
    marginRight: 56,
    height: 40 + 26 * table.numRows,
    x: { label: '案件数', grid: true },
    y: { label: null, domain: table.getChild('item_name')?.toArray() as string[] },
    color: { legend: true },
    marks: [
      Plot.barX(table, { x: 'cases', y: 'item_name', fill: 'section', tip: true }),
      Plot.text(table, { x: 'cases', y: 'item_name', text: 'cases', dx: 6, textAnchor: 'start', fill: '#1d2733' }),
      Plot.ruleX([0]),
    ],
  });
}
