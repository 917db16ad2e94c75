/**
 * Shared pieces of the charts: a fixed left margin with labels cut to fit it, and a render hook
 * that gives each drawn element its row of the Arrow table (Plot's public render transform).
 */
import type { RenderFunction } from '@observablehq/plot';

/** Left margin for row labels at a chart width, and a formatter cutting labels to fit it. */
export function labelMargin(width: number, wide = 220): { marginLeft: number; tickFormat: (s: unknown) => string } {
  const marginLeft = width < 520 ? Math.min(wide, Math.round(width * 0.4)) : wide;
  // Plot's 10px sans-serif: a CJK character is about 10px wide; keep a few pixels for the tick.
  const chars = Math.max(4, Math.floor((marginLeft - 14) / 10.5));
  return { marginLeft, tickFormat: (s: unknown) => cut(String(s ?? ''), chars) };
}

export const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A render transform calling `each(element, row)` for every drawn element, in index order. */
export function eachRow(each: (node: SVGElement, row: number) => void): RenderFunction {
  return (index, scales, values, dimensions, context, next) => {
    const g = next!(index, scales, values, dimensions, context)!;
    const nodes = g.querySelectorAll<SVGElement>(':scope > rect, :scope > line, :scope > circle, :scope > a');
    index.forEach((row, k) => nodes[k] && each(nodes[k]!, row));
    return g;
  };
}
