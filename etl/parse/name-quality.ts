import type { NameQuality } from './list-types.ts';

/**
 * Judges whether a name cell was read in the right order. Narrow cells wrapped vertically were
 * read column by column, so a scrambled name is made of character pairs that never occur in the
 * list's own running text. The reference is the list's long text columns (legal basis, duties),
 * where the same terms appear in reading order.
 */
export function bigramsOf(text: string): Set<string> {
  const set = new Set<string>();
  const chars = [...text.replace(/[^\p{Script=Han}]/gu, ' ')];
  for (let i = 0; i + 1 < chars.length; i++) {
    if (chars[i] !== ' ' && chars[i + 1] !== ' ') set.add(chars[i]! + chars[i + 1]!);
  }
  return set;
}

/** Share of the name's character pairs that occur in the reference text (1 when it has none). */
export function readingScore(name: string, reference: Set<string>): number {
  const pairs = [...bigramsOf(name)];
  if (pairs.length === 0) return 1;
  return pairs.filter((p) => reference.has(p)).length / pairs.length;
}

/** Below this share the name is taken as scrambled; measured on the bundled list (see test/parse). */
export const SCRAMBLED_BELOW = 0.58;

/** Repeated short units ("不是不是不是") or a phrase printed twice are OCR noise, never a real name. */
const REPEAT = /(\p{Script=Han}{1,3})\1{2,}|(\p{Script=Han}{4,}).*\2/u;

export function judgeName(name: string, reference: Set<string>, powerType: string | null = null): NameQuality {
  if (REPEAT.test(name) || readingScore(name, reference) < SCRAMBLED_BELOW) return 'scrambled';
  // Penalty items are all named "对…的处罚": one that stops before it was cut.
  if (powerType === '行政处罚' && !name.endsWith('处罚')) return 'truncated';
  return 'ok';
}
