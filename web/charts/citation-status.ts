import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';
import { STATUS_LABEL as LABELS } from '../../etl/legal/status-labels.ts';
import { labelMargin } from './marks.ts';

/** Status → Chinese label, for any status string the API sends. */
export const STATUS_LABEL: Record<string, string> = LABELS;

// Worst first; only statuses the API can send (several versions in the list is a flag, not a status).
const COLOUR: Record<string, string> = {
  repealed: '#7a0c0c',
  outdated: '#d4380d',
  unknown: '#8c8c8c',
  undated: '#bfbfbf',
  current: '#389e0d',
};
const STATUSES = Object.keys(COLOUR).filter((s) => s in STATUS_LABEL);
const COLOURS = STATUSES.map((s) => COLOUR[s]!);

export interface CitationStatusOptions {
  /** Which status column colours the bars: status_now (default) or status_list. */
  status?: 'status_now' | 'status_list';
  width?: number;
}

/** Citations counted by instrument (stacked by status), read straight off the Arrow table. */
export function citationStatusChart(
  table: Table,
  { status = 'status_now', width = 900 }: CitationStatusOptions = {},
): Element {
  const instruments = new Set(table.getChild('instrument_label')?.toArray() as string[]).size;
  const { marginLeft, tickFormat } = labelMargin(width, 260);
  return Plot.plot({
    width,
    marginLeft,
    marginRight: 20,
    height: 60 + 18 * instruments,
    x: { label: '引用次数', grid: true },
    y: { label: null, tickFormat },
    color: { domain: STATUSES, range: COLOURS, legend: true, tickFormat: (s: string) => STATUS_LABEL[s] ?? s },
    marks: [
      Plot.barX(
        table,
        Plot.groupY(
          {
            x: 'count',
            title: (ds: Record<string, unknown>[]) =>
              `${ds[0]?.instrument_label ?? ''}\n${STATUS_LABEL[String(ds[0]?.[status])] ?? ''}：${ds.length} 处引用`,
          },
          {
            y: 'instrument_label',
            fill: status,
            order: STATUSES,
            sort: { y: '-x' },
            title: (d: Record<string, unknown>) => d,
            tip: true,
          },
        ),
      ),
      Plot.ruleX([0]),
    ],
  });
}
