import { isHeaderRow, mapHeader, type Column } from './list-header.ts';
import { readPowerCode } from './power-code.ts';
import { ListParseError, type BureauProfile, type ValueOrigin } from './list-types.ts';

/** One data row of the tab-separated text, its cells keyed by canonical column. */
export interface Row {
  line: number;
  cells: Partial<Record<Column, string>>;
  seq: number;
  seqOrigin: ValueOrigin;
}

export type IssueFn = (line: number, seq: number | null, field: string, value: string, message: string) => void;

export const squash = (s: string | undefined) => (s ?? '').replace(/\s+/g, '');

/**
 * Splits the text into data rows under the header in force (the header repeats, varying, at every
 * page break) and gives each row its item number. A row printed twice at a page break is kept once.
 */
export function readRows(text: string, source: string, profile: BureauProfile, issue: IssueFn): { title: string | null; rows: Row[] } {
  const typeSegments = Object.keys(profile.power_type_segments);
  let title: string | null = null;
  let header: (Column | null)[] | null = null;
  const rows: Row[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    const cells = raw.split('\t');
    if (isHeaderRow(cells)) {
      header = mapHeader(cells);
      return;
    }
    if (!header) {
      if (cells.length === 1 && title === null) title = raw.trim();
      else throw new ListParseError(source, line, 'data before the first header row (序号 / 事项名称 …)');
      return;
    }
    const row: Partial<Record<Column, string>> = {};
    header.forEach((col, j) => {
      if (col && cells[j] !== undefined) row[col] = cells[j]!.trim();
    });
    const key = JSON.stringify(Object.entries(row).filter(([, v]) => squash(v)).map(([k, v]) => [k, squash(v)]).sort());
    const dup = seen.get(key);
    if (dup !== undefined) {
      issue(line, null, 'row', squash(row.seq), `row repeats line ${dup} word for word (page-break repeat); kept once`);
      return;
    }
    seen.set(key, line);
    const prev = rows.at(-1);
    const { seq, origin } = resolveSeq(row, prev, { source, line }, profile, typeSegments, issue);
    rows.push({ line, cells: row, seq, seqOrigin: origin });
  });
  if (!header) throw new ListParseError(source, lines.length, 'no header row (序号 / 事项名称 …) found');
  if (rows.length === 0) throw new ListParseError(source, lines.length, 'no item rows after the header');
  return { title, rows };
}

function resolveSeq(
  row: Partial<Record<Column, string>>,
  prev: Row | undefined,
  { source, line }: { source: string; line: number },
  profile: BureauProfile,
  typeSegments: string[],
  issue: IssueFn,
): { seq: number; origin: ValueOrigin } {
  const cell = squash(row.seq);
  const n = /^\d+$/.test(cell) ? Number(cell) : NaN;
  if (!prev) {
    if (n >= 1) return { seq: n, origin: 'read' };
    throw new ListParseError(source, line, `序号 "${row.seq ?? ''}" of the first item is not a number`);
  }
  if (n === prev.seq || n === prev.seq + 1) return { seq: n, origin: 'read' };
  // A damaged 序号: the item segment of the code tells whether the row starts the next item.
  const code = readPowerCode(row.code ?? '', profile.credit_code, typeSegments);
  const prevCode = readPowerCode(prev.cells.code ?? '', profile.credit_code, typeSegments);
  if (code?.itemSegment && prevCode?.itemSegment && Number(code.itemSegment) === Number(prevCode.itemSegment) + 100) {
    issue(line, prev.seq + 1, 'seq', row.seq ?? '', `序号 unreadable; taken as ${prev.seq + 1}: its code's item segment ${code.itemSegment} follows ${prevCode.itemSegment} of item ${prev.seq}`);
    return { seq: prev.seq + 1, origin: 'inferred' };
  }
  if (!cell) {
    issue(line, prev.seq, 'seq', '', `序号 missing; row taken as a continuation of item ${prev.seq}`);
    return { seq: prev.seq, origin: 'inferred' };
  }
  throw new ListParseError(source, line, `序号 "${row.seq}" follows item ${prev.seq}; expected ${prev.seq} or ${prev.seq + 1}`);
}
