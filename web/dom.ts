/** Tiny DOM helpers: pages build their markup with these instead of string templates. */
export function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** A titled card; `data` attributes mark charts for tests and styling. */
export function card(title: string, body: Node, data: Record<string, string> = {}): HTMLElement {
  const attrs: Record<string, string> = { class: 'card' };
  for (const [k, v] of Object.entries(data)) attrs[`data-${k}`] = v;
  return el('section', attrs, el('h2', {}, title), body);
}
