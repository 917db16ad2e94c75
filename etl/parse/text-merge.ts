/**
 * Merges the fragments of one long cell that a page break spread over several rows. Fragments
 * repeat (the same cell printed again on the next page) or overlap; each piece of text is kept once.
 */
export function mergeFragments(fragments: readonly string[]): string {
  let merged = '';
  for (const raw of fragments) {
    const frag = raw.trim();
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
  return `${a} ${b}`;
}
