import type { ParsedList } from './list-types.ts';

/**
 * The database keys a list's items by 序号 (bureau, version, seq). A list that repeats a 序号 on two
 * different items (序号重复, flagged by the parser) cannot be stored as it is: this says so in words a
 * person can act on, naming the file and the lines, instead of a constraint violation. Null when every
 * 序号 is used once.
 */
export function duplicateSeqMessage(list: ParsedList): string | null {
  const bySeq = new Map<number, number[]>();
  for (const it of list.items) bySeq.set(it.seq, [...(bySeq.get(it.seq) ?? []), it.source_lines[0]!]);
  const dups = [...bySeq].filter(([, lines]) => lines.length > 1);
  if (!dups.length) return null;
  const what = dups.map(([seq, lines]) => `序号 ${seq} on lines ${lines.join(' and ')}`).join('; ');
  return `${list.source}: 序号重复 (${what}): each item needs a 序号 of its own to be stored; correct the 序号 in the file (the parse issues say which row looks misnumbered) and load it again`;
}
