import type { Table } from 'apache-arrow';
import { fetchTable } from './api.ts';
import { el } from './dom.ts';
import { itemHref } from './hash.ts';

/** One row of GET /api/items/labels: the label every page shows for an item. */
export interface ItemLabel {
  seq: number;
  code: string | null;
  label: string;
  label_is_substitute: boolean;
  name: string;
  name_quality: string;
  name_origin: string;
  power_type: string | null;
  section: string | null;
  /** The item's page, in the version the labels were read from. */
  href: string;
}

export interface ItemLabels {
  table: Table;
  bySeq(seq: unknown): ItemLabel | undefined;
  /** The item a case-table row stands for (cases carry the item code). */
  byCode(code: unknown): ItemLabel | undefined;
  /** Label of an item by code, falling back to the text given (never a flagged name). */
  labelOfCode(code: unknown, fallback?: unknown): string;
  /** Sections of the list, in the order the colour scale uses. */
  sections: string[];
}

const cache = new Map<string, Promise<ItemLabels>>();

/** The labels of a list version (default the latest), fetched once per version. */
export function itemLabels(version?: number | string): Promise<ItemLabels> {
  const key = String(version ?? '');
  let hit = cache.get(key);
  if (!hit) {
    hit = fetchTable('/api/items/labels', { version: version ?? undefined }).then((t) => readLabels(t, version));
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
  }
  return hit;
}

function readLabels(table: Table, version: number | string | undefined): ItemLabels {
  const bySeq = new Map<number, ItemLabel>();
  const byCode = new Map<string, ItemLabel>();
  const sections = new Map<string, number>();
  for (const r of table) {
    const row = r.toJSON() as unknown as ItemLabel;
    row.href = itemHref(row.seq, version ? { version } : {});
    bySeq.set(Number(row.seq), row);
    if (row.code) byCode.set(row.code, row);
    if (row.section) sections.set(row.section, (sections.get(row.section) ?? 0) + 1);
  }
  return {
    table,
    bySeq: (seq) => bySeq.get(Number(seq)),
    byCode: (code) => byCode.get(String(code)),
    labelOfCode: (code, fallback) =>
      byCode.get(String(code))?.label ??
      (fallback === null || fallback === undefined ? String(code) : String(fallback)),
    sections: [...sections.keys()],
  };
}

/**
 * An item's label as a link to its page. A substitute label is marked 代称, and the raw reading of
 * the name stays one click away (a disclosure holding the text as read).
 */
export function itemLink(item: ItemLabel | undefined, fallback = '—'): HTMLElement {
  if (!item) return el('span', {}, fallback);
  const link = el('a', { href: item.href, class: 'item-link', 'data-item-label': '' }, item.label);
  if (!item.label_is_substitute)
    return el(
      'span',
      { class: 'item-label' },
      link,
      item.name_origin === 'corrected' ? el('span', { class: 'flag corrected' }, '已更正') : '',
    );
  return el(
    'span',
    { class: 'item-label substitute' },
    link,
    el('span', { class: 'flag substitute', title: '名称在原文中乱序或残缺，以序号、权力类型和主要依据代称' }, '代称'),
    rawReading(item.name),
  );
}

/** The name as the parser read it, behind a click. */
export function rawReading(name: string): HTMLElement {
  return el('details', { class: 'raw-name' }, el('summary', {}, '原文读取'), el('span', { class: 'raw' }, name));
}
