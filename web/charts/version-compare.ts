import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';

export interface VersionCompareOptions {
  /** Column holding the category (power type, section …). */
  category: string;
  /** Columns holding the counts in the older and the newer version. */
  from: string;
  to: string;
  fromLabel: string;
  toLabel: string;
  width?: number;
}

/**
 * Grouped horizontal bars: for each category, the count in the older version above the count in
 * the newer one. Plot reads the Arrow table's columns directly; one mark per version.
 */
export function versionCompare(
  table: Table,
  { category, from, to, fromLabel, toLabel, width = 560 }: VersionCompareOptions,
): Element {
  const versions = [fromLabel, toLabel];
  const bars = (count: string, label: string) => [
    Plot.barX(table, {
      x: count,
      y: () => label,
      fy: category,
      fill: () => label,
      title: (d: Record<string, unknown>) => `${d[category]} · ${label}：${d[count]} 项`,
      tip: true,
    }),
    Plot.text(table, { x: count, y: () => label, fy: category, text: count, dx: 10, fill: '#1d2733' }),
  ];
  return Plot.plot({
    width,
    marginLeft: 130,
    height: 30 + 40 * table.numRows,
    x: { label: '事项数', grid: true },
    y: { axis: null, domain: versions },
    fy: { label: null, axis: 'left', domain: table.getChild(category)?.toArray() as string[] },
    color: { domain: versions, range: ['#9db4cf', '#2f6db5'], legend: true },
    marks: [...bars(from, fromLabel), ...bars(to, toLabel), Plot.ruleX([0])],
  });
}
