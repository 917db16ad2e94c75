import { el } from '../dom.ts';

/**
 * A chart sized to its container: drawn at the container's width and redrawn when that width
 * changes (ResizeObserver), so a phone gets a narrow chart instead of a cut-off one.
 */
export function sizedChart(
  draw: (width: number) => Element,
  { min = 300, max = 1200 }: { min?: number; max?: number } = {},
): HTMLElement {
  const box = el('div', { class: 'chart-box' });
  let drawn = 0;
  const observer = new ResizeObserver(([entry]) => {
    // Not yet in the page (pages are built off-document), or removed after being drawn.
    if (!box.isConnected) return drawn ? observer.disconnect() : undefined;
    const width = Math.min(max, Math.max(min, Math.floor(entry!.contentRect.width)));
    if (entry!.contentRect.width > 0 && Math.abs(width - drawn) > 8) {
      drawn = width;
      box.replaceChildren(draw(width));
    }
  });
  observer.observe(box);
  return box;
}
