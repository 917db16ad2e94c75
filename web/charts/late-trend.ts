import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';

/** Late stage spans per month (rows month × section × span), stacked by section. */
export function lateTrend(table: Table, { width = 720 }: { width?: number } = {}): Element {
  return Plot.plot({
    width,
    height: 300,
    marginLeft: 56,
    marginBottom: 56,
    x: { label: null, type: 'band', tickRotate: -45 },
    y: { label: '逾期环节数', grid: true },
    color: { legend: true },
    marks: [Plot.barY(table, Plot.groupX({ y: 'sum' }, { x: 'month', y: 'late', fill: 'section', tip: true })), Plot.ruleY([0])],
  });
}
