import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';

type Row = { month: string; cases: number };

/**
 * 同比: cases per calendar month, one line per year, so each month sits above the same month of
 * the year before. Reads the monthly rows (month "YYYY-MM", cases) of GET /api/volumes directly.
 */
export function yearOverYear(table: Table, { width = 720 }: { width?: number } = {}): Element {
  const year = (d: Row) => `${d.month.slice(0, 4)}年`;
  const monthNo = (d: Row) => Number(d.month.slice(5, 7));
  return Plot.plot({
    width,
    height: 280,
    marginLeft: 56,
    x: { label: '月份', domain: [1, 12], ticks: 12, tickFormat: (m: number) => `${m}月` },
    y: { label: '案件数（件）', grid: true, zero: true },
    color: { legend: true, type: 'ordinal', scheme: 'tableau10', label: '年份' },
    marks: [
      Plot.lineY(table, Plot.groupX({ y: 'sum' }, { x: monthNo, y: 'cases', stroke: year, marker: 'circle' })),
      Plot.dot(
        table,
        Plot.groupX(
          {
            y: 'sum',
            title: (ds: Row[]) =>
              `${ds[0]!.month.slice(0, 4)}年${monthNo(ds[0]!)}月：${ds.reduce((a, d) => a + Number(d.cases), 0)} 件`,
          },
          { x: monthNo, y: 'cases', stroke: year, fill: year, r: 2.5, title: (d: Row) => d, tip: true },
        ),
      ),
      Plot.ruleY([0]),
    ],
  });
}
