import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';
import type { SectionScale } from './section-colours.ts';

type Row = { month: string; section: string; late: number };

/** Late stage spans per month (rows month × section × span), stacked by section. */
export function lateTrend(
  table: Table,
  { width = 720, colours }: { width?: number; colours?: SectionScale } = {},
): Element {
  return Plot.plot({
    width,
    height: 300,
    marginLeft: 56,
    marginRight: 24,
    marginBottom: 56,
    x: { label: null, type: 'band', tickRotate: -45 },
    y: { label: '逾期环节数', grid: true },
    color: colours ? { ...colours, legend: true, label: '承办机构' } : { legend: true },
    marks: [
      Plot.barY(
        table,
        Plot.groupX(
          {
            y: 'sum',
            title: (ds: Row[]) =>
              `${ds[0]?.month ?? ''} · ${ds[0]?.section ?? ''}：逾期 ${ds.reduce((a, d) => a + Number(d.late), 0)} 个环节`,
          },
          { x: 'month', y: 'late', fill: 'section', title: (d: Row) => d, tip: true },
        ),
      ),
      Plot.ruleY([0]),
    ],
  });
}
