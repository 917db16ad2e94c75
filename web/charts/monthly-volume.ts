import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';

export interface MonthlyVolumeOptions {
  /** Column that splits each month's bar (section, item …). */
  series: string;
  width?: number;
}

/** Cases per month as stacked bars, one colour per series value; Plot reads the Arrow table directly. */
export function monthlyVolume(table: Table, { series, width = 720 }: MonthlyVolumeOptions): Element {
  return Plot.plot({
    width,
    height: 320,
    marginLeft: 56,
    marginBottom: 56,
    x: { label: null, type: 'band', tickRotate: -45 },
    y: { label: '案件数', grid: true },
    color: { legend: true },
    marks: [Plot.barY(table, { x: 'month', y: 'cases', fill: series, tip: true }), Plot.ruleY([0])],
  });
}
