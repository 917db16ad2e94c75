import type { IssueFn, Row } from './list-rows.ts';
import type { ParsedItem, ParsedList } from './list-types.ts';

/** A long cell that ends on one of these ends a sentence (or a run of filler the list itself prints). */
const SENTENCE_END = /[。．.;；!！?？)）】》」"”…⋯*·]$/u;

const LABEL: Record<string, string> = {
  basis: '实施依据',
  duties: '责任事项内容',
  accountability: '追责情形',
  level: '办事层级',
};

const LONG = [
  ['basis', '实施依据'],
  ['duties', '责任事项内容'],
  ['accountability', '追责情形'],
] as const;

/**
 * Whether the file ends inside an item: its last row was cut (it stops before a column the header has),
 * or one of its long cells stops mid-sentence (the rest of the item was on a page the file lacks).
 * Such a list is loaded with what was read; the warning names the cut item and the last complete one.
 */
export function findTruncation(items: ParsedItem[], groups: Row[][], issue: IssueFn): ParsedList['truncated'] {
  const last = items.at(-1);
  const lastRow = groups.at(-1)?.at(-1);
  if (!last || !lastRow) return null;
  const evidence: string[] = [];
  const cut = LONG.map(([col, label]) => ({ col, label, text: (lastRow.cells[col] ?? '').trim() })).filter(
    (c) => c.text,
  );
  const open = cut.find((c) => !SENTENCE_END.test(c.text));
  if (lastRow.missingColumn)
    evidence.push(
      `the line has ${lastRow.cellCount} cells and stops before the ${LABEL[lastRow.missingColumn] ?? lastRow.missingColumn} column`,
    );
  if (open) evidence.push(`${open.label} stops mid-sentence at "…${[...open.text].slice(-8).join('')}"`);
  if (!evidence.length) return null;
  const prev = items.at(-2) ?? null;
  const prevLine = prev ? prev.source_lines[0] : null;
  issue(
    lastRow.line,
    last.seq,
    open?.col ?? 'item',
    open ? [...open.text].slice(-8).join('') : '',
    `the file ends inside item ${last.seq} (truncated): ${evidence.join(' and ')}; ` +
      `the last complete item is ${prev ? `${prev.seq} (line ${prevLine})` : 'none'}; item ${last.seq} is loaded as far as it was read, expected the rest of its rows`,
    { kind: 'truncated', severity: 'warning' },
  );
  return { seq: last.seq, line: lastRow.line, last_complete_seq: prev?.seq ?? null };
}
