/**
 * Page state lives in the URL hash: `#/<page>/<rest…>?<params>`. Reloading or sharing a link keeps
 * the page, its filters, the chosen item and the drill-down. Filters change the hash in place
 * (history.replaceState, no re-render); links to another page or item navigate as usual.
 */
export interface Route {
  path: string;
  rest: string[];
  params: URLSearchParams;
}

export type Params = Record<string, string | number | null | undefined>;

export function readRoute(hash: string = location.hash): Route {
  const body = hash.replace(/^#\/?/, '');
  const [p = '', q = ''] = body.split('?');
  const [path = '', ...rest] = p.split('/').filter(Boolean).map(decodeURIComponent);
  return { path, rest, params: new URLSearchParams(q) };
}

const query = (params: Params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  return q.size ? `?${q}` : '';
};

/** A link to a page (and item), with its state; the bureau chosen in the header goes along. */
export function hrefFor(path: string, params: Params = {}): string {
  const bureau = typeof location === 'undefined' ? undefined : param('bureau');
  return `#/${path}${query({ bureau, ...params })}`;
}

export const itemHref = (seq: number | string, params: Params = {}) => hrefFor(`items/${seq}`, params);

/** One parameter of the current hash, or undefined. */
export function param(name: string): string | undefined {
  return readRoute().params.get(name) ?? undefined;
}

/** Merges params into the current hash without re-rendering the page. */
export function setParams(patch: Params): void {
  const route = readRoute();
  const merged: Params = Object.fromEntries(route.params);
  Object.assign(merged, patch);
  const path = [route.path, ...route.rest].map(encodeURIComponent).join('/');
  history.replaceState(history.state, '', `#/${path}${query(merged)}`);
}
