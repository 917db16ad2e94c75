/**
 * Merges the fragments of one long cell that a page break spread over several rows. Fragments
 * repeat (the same cell printed again on the next page) or overlap; each piece of text is kept once.
 * The cell's wrap points arrive as spaces between Chinese characters ("(不 予受理"); they are not
 * text and are dropped first, so a fragment printed twice with different wrapping is seen as one.
 */
export function unwrap(cell: string): string {
  return cell.trim().replace(/(?<=[\p{Script=Han}\p{P}])\s+(?=[\p{Script=Han}\p{P}])/gu, '');
}

export function mergeFragments(fragments: readonly string[]): string {
  let merged = '';
  for (const raw of fragments) {
    const frag = unwrap(raw);
    if (!frag || merged.includes(frag)) continue;
    if (frag.includes(merged)) {
      merged = frag;
      continue;
    }
    merged = joinOverlap(merged, frag);
  }
  return merged;
}

/** Joins b after a, dropping the longest suffix of a that b starts with (at least 4 characters). */
function joinOverlap(a: string, b: string): string {
  if (!a) return b;
  for (let k = Math.min(a.length, b.length); k >= 4; k--) {
    if (a.endsWith(b.slice(0, k))) return a + b.slice(k);
  }
  // b may also end where a begins (rows read out of page order).
  for (let k = Math.min(a.length, b.length); k >= 4; k--) {
    if (b.endsWith(a.slice(0, k))) return b + a.slice(k);
  }
  return `${a} ${b}`;
}
