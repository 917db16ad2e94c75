import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';
import type { SectionScale } from './section-colours.ts';
import { eachRow } from './marks.ts';

export interface MonthlyVolumeOptions {
  /** Column that splits each month's bar (section …). */
  series: string;
  colours?: SectionScale;
  /** Called with the series value of a clicked bar. */
  onSelect?: (value: string) => void;
  width?: number;
}

type Row = { month: string; cases: number } & Record<string, unknown>;

/** Cases per month as stacked bars, one colour per series value; Plot reads the Arrow table directly. */
export function monthlyVolume(table: Table, { series, colours, onSelect, width = 720 }: MonthlyVolumeOptions): Element {
  const values = table.getChild(series)!;
  const select = onSelect
    ? eachRow((rect, i) => {
        const v = String(values.get(i));
        rect.setAttribute('data-series', v);
        rect.style.cursor = 'pointer';
        rect.addEventListener('click', () => onSelect(v));
      })
    : undefined;
  return Plot.plot({
    width,
    height: 320,
    marginLeft: 56,
    marginRight: 24,
    marginBottom: 56,
    x: { label: null, type: 'band', tickRotate: -45 },
    // Counts: whole-number ticks only, with thousands separators.
    y: {
      label: '案件数（件）',
      grid: true,
      tickFormat: (d: number) => (Number.isInteger(d) ? d.toLocaleString('zh-CN') : ''),
    },
    color: colours ? { ...colours, legend: true } : { legend: true },
    marks: [
      Plot.barY(table, {
        x: 'month',
        y: 'cases',
        fill: series,
        title: (d: Row) => `${d.month} · ${d[series]}：${d.cases} 件`,
        tip: true,
        render: select,
      }),
      Plot.ruleY([0]),
    ],
  });
}
