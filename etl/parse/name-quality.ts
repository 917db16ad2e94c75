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

/** Below this share the name is taken as scrambled; measured on the bundled list (see test/unit/list-*.test.ts). */
export const SCRAMBLED_BELOW = 0.58;

/**
 * Repeated short units ("不是不是不是") or a phrase printed twice in a row ("…招用人单位招用人的") are
 * OCR noise, never a real name. A phrase repeated further apart is legitimate ("不定时工作制和综合计算
 * 工时工作制", "享受失业保险待遇条件,骗取其他失业保险待遇").
 */
const REPEAT = /(\p{Script=Han}{1,3})\1{2,}|(\p{Script=Han}{4,}).{0,3}\2/u;

/** Characters no name in a 权责清单 contains: OCR noise from a damaged cell ("7 一 分 分 子 の の"). */
const FOREIGN = /[\p{Script=Hiragana}\p{Script=Katakana}0-9A-Za-z]/u;

/**
 * A narrow name cell wraps at a fixed width, so every visual line but the last is as wide as the
 * first ("企业实行不定时 工作制和综合计 算工时工作制审 批"). A shorter inner line means characters were
 * lost when the cell was read ("对用人单位违反 劳动合同法有关 建立职工名册 定的处罚": 规 is gone).
 */
export function wrapBroken(cell: string): boolean {
  // A space after punctuation is the text's own, not a wrap point ("对违反规定, 伪 造、涂改…").
  const lines: string[] = [];
  for (const seg of cell.trim().split(/\s+/).filter(Boolean)) {
    if (lines.length && /[,.;:，、。；：]$/.test(lines.at(-1)!)) lines[lines.length - 1] += seg;
    else lines.push(seg);
  }
  if (lines.length < 3) return false;
  // Half-width punctuation takes no full cell width.
  const width = (l: string) => [...l].filter((ch) => !/[,.;:]/.test(ch)).length;
  const first = width(lines[0]!);
  return lines.slice(1, -1).some((l) => width(l) < first);
}

/**
 * Sub-item names are short (4–10 characters), so one pair read out of order weighs more; measured on
 * the bundled list, real sub-item names score at least this ("变更工伤登记", "企业社会保险登记").
 */
export const SUB_SCRAMBLED_BELOW = 0.75;

export function judgeName(
  name: string,
  reference: Set<string>,
  powerType: string | null = null,
  cell: string = name,
  threshold: number = SCRAMBLED_BELOW,
): NameQuality {
  if (REPEAT.test(name) || FOREIGN.test(name) || readingScore(name, reference) < threshold) return 'scrambled';
  if (wrapBroken(cell)) return 'truncated';
  // Penalty items are all named "对…的处罚": one that stops before it was cut.
  if (powerType === '行政处罚' && !name.endsWith('处罚')) return 'truncated';
  return 'ok';
}

/**
 * A penalty's name restates the offence in the words of its own 实施依据 ("对以欺诈、伪造证明材料或者其他
 * 手段骗取社会保险待遇的处罚"). A name cut by the narrow cell keeps both sides of the cut: a pair of
 * characters that never occurs in the list's text, whose two sides the item's own text has a few
 * characters apart ("…材料或｜社会…" where the basis reads "材料或者其他手段骗取社会"). Measured on the
 * bundled list: only penalties' names can be judged so; other names are short titles, not restatements.
 */
export function cutPoint(
  name: string,
  ownText: string,
  reference: Set<string>,
): { left: string; right: string; gap: string } | null {
  const han = ownText.replace(/[^\p{Script=Han}]/gu, '');
  const n = [...name];
  for (let i = 1; i + 2 < n.length; i++) {
    const left = n[i - 1]! + n[i]!;
    const right = n[i + 1]! + n[i + 2]!;
    if (!/^\p{Script=Han}{4}$/u.test(left + right) || reference.has(n[i]! + n[i + 1]!)) continue;
    const m = new RegExp(`${left}(\\p{Script=Han}{1,12}?)${right}`, 'u').exec(han);
    if (m) return { left, right, gap: m[1]! };
  }
  return null;
}
