/**
 * Text similarity for matching items whose code changed between versions. The measure is the
 * Sørensen–Dice coefficient on character bigrams (pairs of adjacent letters/digits/Han
 * characters, whitespace and punctuation removed): 2|A∩B| / (|A|+|B|). Bigrams suit Chinese
 * names, which have no word spaces, and tolerate small edits. Containment |A∩B| / |A| measures
 * how much of one text is found in another (a merged item contains each item merged into it).
 */

export function textBigrams(text: string): Set<string> {
  const chars = [...text.replace(/[^\p{L}\p{N}]/gu, '')];
  const set = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i += 1) set.add(chars[i]! + chars[i + 1]!);
  return set;
}

const common = (a: Set<string>, b: Set<string>) => {
  let n = 0;
  for (const x of a) if (b.has(x)) n += 1;
  return n;
};

/** Dice coefficient; two empty texts are equal (1), one empty text matches nothing (0). */
export function dice(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 1;
  return (2 * common(a, b)) / (a.size + b.size);
}

/** Share of a's bigrams found in b; an empty a is contained in nothing (0). */
export function containment(a: Set<string>, b: Set<string>): number {
  return a.size ? common(a, b) / a.size : 0;
}

export interface Fingerprint {
  name: Set<string>;
  basis: Set<string>;
}

export const fingerprint = (item: { name: string; basis: string }): Fingerprint => ({
  name: textBigrams(item.name),
  basis: textBigrams(item.basis),
});

/** Weights of name and legal basis in the match score. */
export const NAME_WEIGHT = 0.6;
export const BASIS_WEIGHT = 0.4;
/** Pairs scoring below this are never matched: they are reported as removed + added. */
export const MATCH_THRESHOLD = 0.75;
/** An item is taken as merged into / split from another only at or above this containment. */
export const CONTAINMENT_THRESHOLD = 0.85;

/** NAME_WEIGHT·Dice(names) + BASIS_WEIGHT·Dice(bases); the name alone when neither has a basis. */
export function similarity(a: Fingerprint, b: Fingerprint): number {
  if (!a.basis.size && !b.basis.size) return dice(a.name, b.name);
  return NAME_WEIGHT * dice(a.name, b.name) + BASIS_WEIGHT * dice(a.basis, b.basis);
}

/** How much of part (name and basis, equally weighted) is found in whole. */
export function containedIn(part: Fingerprint, whole: Fingerprint): number {
  return 0.5 * containment(part.name, whole.name) + 0.5 * containment(part.basis, whole.basis);
}

/**
 * Evidence that part was merged into / split off whole: the larger of the two containments, per
 * field. A merged item usually contains each old name ("A及B"); a split part usually contains the
 * old name plus a qualifier ("工伤认定（职工）") while its basis is contained in the old basis.
 */
export function overlap(part: Fingerprint, whole: Fingerprint): number {
  const name = Math.max(containment(part.name, whole.name), containment(whole.name, part.name));
  const basis = Math.max(containment(part.basis, whole.basis), containment(whole.basis, part.basis));
  return 0.5 * name + 0.5 * basis;
}
