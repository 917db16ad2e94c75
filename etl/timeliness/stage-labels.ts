/** Chinese names of the case stages and stage spans, as the pages and endpoints show them. */
import { STAGES } from '../parse/case-csv.ts';
import type { CaseStage } from '../parse/case-csv.ts';

export const STAGE_LABELS: Readonly<Record<CaseStage, string>> = {
  received: '收件',
  accepted: '受理',
  investigated: '调查终结',
  reviewed: '审查',
  decided: '决定',
  served: '送达',
  closed: '办结',
};

/** A span as the API names it: "accepted-decided". */
export function spanKey(from: CaseStage, to: CaseStage): string {
  return `${from}-${to}`;
}

export function spanLabel(from: string, to: string): string {
  const f = STAGE_LABELS[from as CaseStage] ?? from;
  const t = STAGE_LABELS[to as CaseStage] ?? to;
  return `${f}→${t}`;
}

/** Reads "accepted-decided" back into its stages, or null when it is not a forward span. */
export function parseSpanKey(key: string): { from: CaseStage; to: CaseStage } | null {
  const m = /^([a-z]+)-([a-z]+)$/.exec(key);
  if (!m) return null;
  const from = STAGES.indexOf(m[1] as CaseStage),
    to = STAGES.indexOf(m[2] as CaseStage);
  if (from < 0 || to < 0 || from >= to) return null;
  return { from: STAGES[from]!, to: STAGES[to]! };
}
