/**
 * Stage duties in 责任事项内容 are numbered: "1. 受理阶段责任:…", "5. 事后监管责任:…".
 * Returns the stage names in order of appearance, each once.
 */
const STAGE = /(?:^|[\s。;；:：])\d{1,2}\s*[.．、]\s*(\p{Script=Han}{2,6}?)(?:阶段)?责任/gu;

export function extractStages(duties: string): string[] {
  const seen: string[] = [];
  for (const m of duties.matchAll(STAGE)) {
    const name = m[1]!;
    if (!seen.includes(name)) seen.push(name);
  }
  return seen;
}
