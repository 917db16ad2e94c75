import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';
import { labelMargin } from './marks.ts';

export interface BureauBarsOptions {
  /** Column with the bureau's short name (one row per bureau, or per bureau and `series`). */
  bureau: string;
  value: string;
  label: string;
  /** Stacks the bars by this column (power type …), coloured by it. */
  series?: string;
  /** Shows the value as a percentage of 1. */
  percent?: boolean;
  width?: number;
}

/** One horizontal bar per bureau, side by side (stacked by a series when given); Plot reads the Arrow table directly. */
export function bureauBars(
  table: Table,
  { bureau, value, label, series, percent = false, width = 560 }: BureauBarsOptions,
): Element {
  const bureaus = [...new Set(table.getChild(bureau)!.toArray() as string[])];
  const { marginLeft, tickFormat } = labelMargin(width, 140);
  return Plot.plot({
    width,
    marginLeft,
    marginRight: 40,
    height: 50 + 30 * bureaus.length,
    x: { label, grid: true, percent, domain: percent ? [0, 100] : undefined },
    y: { label: null, domain: bureaus, tickFormat },
    color: series ? { legend: true } : undefined,
    marks: [
      Plot.barX(table, {
        x: value,
        y: bureau,
        fill: series ?? '#2f6db5',
        title: (d: Record<string, unknown>) =>
          `${d[bureau]}${series ? ` · ${d[series]}` : ''}：${percent ? `${(Number(d[value]) * 100).toFixed(1)}%` : `${d[value]}`}`,
        tip: true,
      }),
      Plot.ruleX([0]),
    ],
  });
}
