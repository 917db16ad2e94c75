/**
 * Maps a damaged short cell (section, subject, level) onto one of a known set of names.
 * Wrapped cells arrive split ("劳动监 察大队"), cut ("察大队", "劳动监") or with a character
 * lost ("劳动监队"): the cell's characters must appear in order inside exactly one name.
 */
export function matchCanonical(cell: string, names: readonly string[]): { value: string; exact: boolean } | null {
  const c = cell.replace(/\s+/g, '');
  if (!c) return null;
  const exact = names.find((n) => n === c);
  if (exact) return { value: exact, exact: true };
  if (c.length < 2) return null;
  const fits = names.filter((n) => isSubsequence(c, n));
  if (fits.length === 1) return { value: fits[0]!, exact: false };
  if (fits.length > 1) return null;
  // One character misread in a full-length cell ("县组" for 县级): the same length, all but one in place.
  const oneOff = names.filter((n) => n.length === c.length && [...n].filter((ch, i) => ch !== c[i]).length === 1);
  return oneOff.length === 1 ? { value: oneOff[0]!, exact: false } : null;
}

function isSubsequence(part: string, whole: string): boolean {
  let i = 0;
  for (const ch of whole) if (ch === part[i]) i++;
  return i === part.length;
}
