import { tableFromIPC, type Table } from 'apache-arrow';
import { param } from './hash.ts';

/** Fetches an aggregate endpoint as an Arrow table; the one place the web app talks to the server. */
export async function fetchTable(
  path: string,
  params: Record<string, string | number | undefined> = {},
): Promise<Table> {
  const query = new URLSearchParams();
  // The bureau chosen in the header (#…?bureau=) goes with every request.
  for (const [k, v] of Object.entries({ bureau: param('bureau'), ...params }))
    if (v !== undefined && v !== '') query.set(k, String(v));
  const url = `${path}${query.size ? `?${query}` : ''}`;
  const res = await fetch(url, { headers: { Accept: 'application/vnd.apache.arrow.stream' } });
  if (!res.ok) throw new Error(await errorText(res, url));
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()));
}

export async function fetchJson<T>(path: string): Promise<T> {
  const bureau = param('bureau');
  if (bureau && !/[?&]bureau=/.test(path))
    path += `${path.includes('?') ? '&' : '?'}bureau=${encodeURIComponent(bureau)}`;
  const res = await fetch(path);
  if (!res.ok) throw new Error(await errorText(res, path));
  return (await res.json()) as T;
}

async function errorText(res: Response, url: string): Promise<string> {
  try {
    const body = (await res.json()) as { error?: string };
    return `${url}: ${body.error ?? res.statusText}`;
  } catch {
    return `${url}: HTTP ${res.status}`;
  }
}
