/** Counts for the reform report: items by power type and by section in each version, changes by kind. */
import type { ParsedItem } from '../parse/list-types.ts';
import { CHANGE_KINDS, CHANGE_LABELS, type ReformChange } from './types.ts';

export interface CountRow {
  /** 'power_type' or 'section' */
  dimension: 'power_type' | 'section';
  category: string;
  from_items: number;
  to_items: number;
  delta: number;
}

export const UNKNOWN_CATEGORY = '（未注明）';

export function versionCounts(from: readonly ParsedItem[], to: readonly ParsedItem[]): CountRow[] {
  const rows: CountRow[] = [];
  for (const dimension of ['power_type', 'section'] as const) {
    const count = (items: readonly ParsedItem[]) => {
      const m = new Map<string, number>();
      for (const it of items) {
        const k = it[dimension] ?? UNKNOWN_CATEGORY;
        m.set(k, (m.get(k) ?? 0) + 1);
      }
      return m;
    };
    const a = count(from);
    const b = count(to);
    const cats = [...new Set([...a.keys(), ...b.keys()])].sort(
      (x, y) => (b.get(y) ?? 0) - (b.get(x) ?? 0) || (a.get(y) ?? 0) - (a.get(x) ?? 0) || x.localeCompare(y),
    );
    for (const category of cats) {
      const f = a.get(category) ?? 0;
      const t = b.get(category) ?? 0;
      rows.push({ dimension, category, from_items: f, to_items: t, delta: t - f });
    }
  }
  return rows;
}

export function kindCounts(changes: readonly ReformChange[]): { kind: string; label: string; changes: number }[] {
  return CHANGE_KINDS.map((kind) => ({
    kind,
    label: CHANGE_LABELS[kind],
    changes: changes.filter((c) => c.kind === kind).length,
  }));
}
