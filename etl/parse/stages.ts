/**
 * Stage duties in 责任事项内容 are numbered: "1. 受理阶段责任:…", "5. 事后监管责任:…".
 * Stage names come from a known vocabulary (the labels the bundled list uses); OCR damage to the
 * label ("告知的段责任", "受理所投页任", "文理所权页任", "调查阶段页位") is read back onto it, and
 * anything else that merely looks like "N. xxx" ("3. 审查的是是是一个…") is not a stage.
 */

/** The stage labels 权责清单 use, longest first so "审查及决定" wins over "审查". */
export const STAGE_VOCABULARY = [
  '审查及决定',
  '事后监管',
  '受理',
  '立案',
  '调查',
  '审查',
  '审核',
  '告知',
  '决定',
  '送达',
  '执行',
  '监管',
  '发放',
  '实施',
] as const;
export type DutyStage = (typeof STAGE_VOCABULARY)[number];

/** Characters OCR read in place of a stage label's first character ("文理" for 受理). */
const FIRST_CHAR_DAMAGE: Record<string, string> = { 文: '受' };

export interface StageHit {
  stage: DutyStage;
  /** The stage's number in the text ("3." → 3); "日." is OCR's reading of "1.". */
  number: number;
  /** The label as it stands in the text, e.g. "告知的段责任". */
  label: string;
  /** True when the label was damaged and read back onto the vocabulary. */
  repaired: boolean;
}

// A stage number ("1." … "12.", or "日." where OCR broke the "1"), then up to 9 characters ending in 责任 or
// its damaged forms 页任 / 页位 / 责位.
const MARKER = /(?:^|[\s。;；:：)）])(\d{1,2}|日)\s*[.．、]\s*(\p{Script=Han}{2,9}?)(责任|页任|页位|责位)/gu;
// What may stand between the stage name and 责任: nothing, 阶段, or a damaged 阶段 of at most three characters.
const SUFFIX = /^(?:阶段|\p{Script=Han}{0,3})$/u;

export function findStages(duties: string): StageHit[] {
  const hits: StageHit[] = [];
  for (const m of duties.matchAll(MARKER)) {
    const number = m[1] === '日' ? 1 : Number(m[1]);
    const raw = m[2]!;
    const head = FIRST_CHAR_DAMAGE[raw[0]!] ? FIRST_CHAR_DAMAGE[raw[0]!] + raw.slice(1) : raw;
    const stage = STAGE_VOCABULARY.find((s) => head.startsWith(s) && SUFFIX.test(head.slice(s.length)));
    if (!stage) continue;
    const rest = head.slice(stage.length);
    const clean = raw === head && (rest === '阶段' || rest === '') && m[3] === '责任';
    hits.push({ stage, number, label: raw + m[3], repaired: !clean });
  }
  return hits;
}

/**
 * The stage names, each once, in the order of their numbers (an item merged from rows of several
 * pages may meet "2. 审核" before "1. 受理"); ties keep the order of appearance.
 */
export function orderStages(hits: readonly StageHit[]): DutyStage[] {
  const first = new Map<DutyStage, { number: number; at: number }>();
  hits.forEach((h, at) => {
    const seen = first.get(h.stage);
    if (!seen || h.number < seen.number) first.set(h.stage, { number: h.number, at: seen?.at ?? at });
  });
  return [...first.entries()].sort((a, b) => a[1].number - b[1].number || a[1].at - b[1].at).map(([s]) => s);
}

export function extractStages(duties: string): DutyStage[] {
  return orderStages(findStages(duties));
}
