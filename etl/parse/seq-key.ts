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

/**
 * A list whose every item can be stored by its 序号: an item that repeats the 序号 of an earlier,
 * different item (序号重复, already flagged by the parser) keeps its own row under the next free
 * number after the list's last 序号, and an issue says which number it is stored under. Pure.
 */
export function storableSeqs(list: ParsedList): ParsedList {
  const seen = new Set<number>();
  let next = Math.max(0, ...list.items.map((i) => i.seq));
  const issues = [...list.issues];
  const items = list.items.map((it) => {
    if (!seen.has(it.seq)) {
      seen.add(it.seq);
      return it;
    }
    next += 1;
    issues.push({
      source: list.source,
      line: it.source_lines[0]!,
      seq: next,
      field: 'seq',
      value: String(it.seq),
      kind: 'seq_duplicate',
      severity: 'warning',
      message: `序号 ${it.seq} is used by an earlier item (序号重复): this item is stored as item ${next} so that neither is lost; correct the 序号 in the file`,
    });
    return { ...it, seq: next, seq_duplicate: true };
  });
  return { ...list, items, issues };
}
