import { POWER_TYPES, type PowerType } from './list-types.ts';

/**
 * Reads a damaged 权力类型 cell. The narrow cell was wrapped and cut, so the text is often a
 * prefix ("行政处", "其他行"), a scramble ("行政罚") or a fragment ("可"). Returns null when the
 * fragment fits no type or more than one.
 */
export function readPowerType(cell: string): { value: PowerType; exact: boolean } | null {
  const c = cell.replace(/\s+/g, '');
  if (!c) return null;
  const exact = POWER_TYPES.find((t) => t === c);
  if (exact) return { value: exact, exact: true };
  if (c.startsWith('其他')) return { value: '其他行政权力', exact: false };
  const rest = c.startsWith('行政') ? c.slice(2) : c;
  if (!rest || !/^\p{Script=Han}+$/u.test(rest)) return null;
  // Every remaining character must belong to the type's own two-character tail.
  const fits = POWER_TYPES.filter((t) => t !== '其他行政权力' && [...rest].every((ch) => t.slice(2).includes(ch)));
  return fits.length === 1 ? { value: fits[0]!, exact: false } : null;
}
