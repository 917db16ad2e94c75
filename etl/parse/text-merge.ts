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
    if (!frag) continue;
    // A continuation that starts by repeating the cut text joins there, even when its words also
    // occur earlier in the cell (laws often repeat a clause word for word).
    const k = overlapAtEnd(merged, frag);
    if (k > 0) {
      merged += frag.slice(k);
      continue;
    }
    if (merged.includes(frag)) continue;
    if (frag.includes(merged)) {
      merged = frag;
      continue;
    }
    merged = joinOverlap(merged, frag);
  }
  return merged;
}

/** Length of the longest prefix of b (at least 4 characters) that a ends with; 0 when none. */
function overlapAtEnd(a: string, b: string): number {
  for (let k = Math.min(a.length, b.length); k >= 4; k--) if (a.endsWith(b.slice(0, k))) return k;
  return 0;
}

/** Joins b after a when neither repeats the other: b may end where a begins (rows read out of page order). */
function joinOverlap(a: string, b: string): string {
  if (!a) return b;
  const k = overlapAtEnd(b, a);
  return k > 0 ? b + a.slice(k) : `${a} ${b}`;
}
