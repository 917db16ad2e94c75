import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';
import { eachRow, labelMargin } from './marks.ts';

export interface CountBarsOptions {
  /** Column holding the category (power type, section …). */
  category: string;
  /** Column holding the count. */
  count: string;
  label: string;
  /** Colour per category (the section scale), or one colour. */
  colours?: { domain: string[]; range: string[] };
  /** Called with the category of a clicked bar. */
  onSelect?: (category: string) => void;
  width?: number;
}

/** Horizontal bars, one per category row of the table; Plot reads the Arrow table directly. */
export function countBars(
  table: Table,
  { category, count, label, colours, onSelect, width = 560 }: CountBarsOptions,
): Element {
  const categories = table.getChild(category)!;
  const { marginLeft, tickFormat } = labelMargin(width, 120);
  return Plot.plot({
    width,
    marginLeft,
    marginRight: 40,
    height: 40 + 28 * table.numRows,
    x: { label, grid: true },
    y: { label: null, domain: categories.toArray() as string[], tickFormat },
    color: colours ? { ...colours } : undefined,
    marks: [
      Plot.barX(table, {
        x: count,
        y: category,
        fill: colours ? category : '#2f6db5',
        title: (d: Record<string, unknown>) =>
          `${d[category] ?? '未注明'}：${d[count]} 项${onSelect ? '\n点击筛选下表' : ''}`,
        tip: true,
        render: eachRow((rect, i) => {
          const value = String(categories.get(i));
          rect.setAttribute('data-category', value);
          if (!onSelect) return;
          rect.style.cursor = 'pointer';
          rect.addEventListener('click', () => onSelect(value));
        }),
      }),
      Plot.text(table, { x: count, y: category, text: count, dx: 12, fill: '#1d2733' }),
      Plot.ruleX([0]),
    ],
  });
}
