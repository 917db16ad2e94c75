import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';
import type { SectionScale } from './section-colours.ts';
import { labelMargin } from './marks.ts';

export interface TopItemsOptions {
  /** The label of an item code (GET /api/items/labels), never a flagged name. */
  labelOf: (code: string, name: string) => string;
  /** The item page of an item code, or null. */
  hrefOf: (code: string) => string | null;
  colours: SectionScale;
  width?: number;
}

type Row = { item_code: string; item_name: string; section: string; cases: number };

/** Items with the most cases (columns item_code, item_name, cases, section), longest bar first; a bar opens its item. */
export function topItems(table: Table, { labelOf, hrefOf, colours, width = 640 }: TopItemsOptions): Element {
  const label = (d: Row) => labelOf(d.item_code, d.item_name);
  const domain = [...table].map((r) => label(r as unknown as Row));
  const { marginLeft, tickFormat } = labelMargin(width, 230);
  return Plot.plot({
    width,
    marginLeft,
    marginRight: 60,
    height: 50 + 26 * table.numRows,
    x: { label: '案件数（件）', grid: true, nice: true, insetRight: 36 },
    y: { label: null, domain, tickFormat },
    color: { ...colours, legend: true },
    marks: [
      Plot.barX(table, {
        x: 'cases',
        y: label,
        fill: 'section',
        href: (d: Row) => hrefOf(d.item_code),
        title: (d: Row) => `${label(d)}\n${d.section}：${d.cases} 件\n点击查看事项`,
        tip: true,
      }),
      Plot.text(table, { x: 'cases', y: label, text: 'cases', dx: 6, textAnchor: 'start', fill: '#1d2733' }),
      Plot.ruleX([0]),
    ],
  });
}
