import type { Page } from 'playwright-core';

/** Visible text outside raw source readings (.raw, code, source text, closed disclosures). */
export function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const skip = '.raw, code, pre, .source-text, [lang="en"], script, style, title';
    const parts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement!;
      if (parent.closest(skip)) continue;
      const closed = parent.closest('details:not([open])');
      if (closed && !parent.closest('summary')) continue;
      if (
        parent.closest('[hidden]') ||
        (parent instanceof HTMLElement && parent.offsetParent === null && !parent.closest('svg'))
      )
        continue;
      if (n.textContent!.trim()) parts.push(n.textContent!.trim());
    }
    return parts.join('\n');
  });
}

/** Latin words in a text, except the file formats named in Chinese prose (Excel, CSV, PDF). */
export function latinWords(text: string): string[] {
  return (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !['Excel', 'CSV', 'PDF'].includes(w));
}
