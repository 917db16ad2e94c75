import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';

export interface CountBarsOptions {
  /** Column holding the category (power type, section …). */
  category: string;
  /** Column holding the count. */
  count: string;
  label: string;
  width?: number;
}

/** Horizontal bars, one per category row of the table; Plot reads the Arrow table directly. */
export function countBars(table: Table, { category, count, label, width = 560 }: CountBarsOptions): Element {
  return Plot.plot({
    width,
    marginLeft: 120,
    height: 40 + 28 * table.numRows,
    x: { label, grid: true },
    y: { label: null, domain: table.getChild(category)?.toArray() as string[] },
    marks: [
      Plot.barX(table, { x: count, y: category, fill: '#2f6db5', tip: true }),
      Plot.text(table, { x: count, y: category, text: count, dx: 12, fill: '#1d2733' }),
      Plot.ruleX([0]),
    ],
  });
}
