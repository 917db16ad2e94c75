import { isHeaderRow, mapHeader, type Column } from './list-header.ts';
import { bigramsOf } from './name-quality.ts';
import { readPowerCode, type PowerCode } from './power-code.ts';
import {
  ListParseError,
  type BureauProfile,
  type IssueKind,
  type IssueSeverity,
  type ValueOrigin,
} from './list-types.ts';

/** One data row of the tab-separated text, its cells keyed by canonical column. */
export interface Row {
  line: number;
  cells: Partial<Record<Column, string>>;
  /** The item's 序号: as written, or recovered (seqOrigin 'inferred'). */
  seq: number;
  seqOrigin: ValueOrigin;
  /** Which item the row belongs to (0, 1, … in list order); two items may share a 序号 (序号重复). */
  item: number;
  /** Cells in the raw line, and the first column of the header in force that the line does not reach (a cut line). */
  cellCount: number;
  missingColumn: Column | null;
}

export interface IssueOptions {
  kind?: IssueKind;
  severity?: IssueSeverity;
}
export type IssueFn = (
  line: number,
  seq: number | null,
  field: string,
  value: string,
  message: string,
  options?: IssueOptions,
) => void;

/** Columns every complete row of the bundled list reaches (its last cells may be empty, not absent). */
const FILLED: readonly Column[] = ['basis', 'duties', 'accountability', 'level'];

export const squash = (s: string | undefined) => (s ?? '').replace(/\s+/g, '');

type RawRow = Omit<Row, 'seq' | 'seqOrigin' | 'item'>;

/**
 * Splits the text into data rows under the header in force (the header repeats, varying, at every
 * page break) and gives each row its item. A row printed twice at a page break is kept once.
 */
export function readRows(
  text: string,
  source: string,
  profile: BureauProfile,
  issue: IssueFn,
): { title: string | null; rows: Row[] } {
  let title: string | null = null;
  let header: (Column | null)[] | null = null;
  const raws: RawRow[] = [];
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
    const key = JSON.stringify(
      Object.entries(row)
        .filter(([, v]) => squash(v))
        .map(([k, v]) => [k, squash(v)])
        .sort(),
    );
    const dup = seen.get(key);
    if (dup !== undefined) {
      issue(
        line,
        null,
        'row',
        squash(row.seq),
        `row repeats line ${dup} word for word (page-break repeat); kept once`,
        { kind: 'row_repeat', severity: 'info' },
      );
      return;
    }
    seen.set(key, line);
    // Only the columns a complete row always fills count: a page header may carry stray cells after them.
    const missingColumn =
      (header as (Column | null)[]).find((col, j) => col !== null && FILLED.includes(col) && j >= cells.length) ?? null;
    raws.push({ line, cells: row, cellCount: cells.length, missingColumn });
  });
  if (!header) throw new ListParseError(source, lines.length, 'no header row (序号 / 事项名称 …) found');
  if (raws.length === 0) throw new ListParseError(source, lines.length, 'no item rows after the header');
  return { title, rows: assignItems(raws, source, profile, issue) };
}

interface Group {
  item: number;
  seq: number;
  rows: Row[];
}

/**
 * Gives every row its item. The 序号 is kept as written; it is only evidence, weighed with the row's
 * code and name: a gap in the numbering is an item removed (info), a repeated 序号 on a row whose
 * name and code differ from the item's is a second item (序号重复), and a damaged 序号 is recovered only
 * when the code's item segment or the numbering around it says which item the row starts.
 */
function assignItems(raws: RawRow[], source: string, profile: BureauProfile, issue: IssueFn): Row[] {
  const typeSegments = Object.keys(profile.power_type_segments);
  const code = (r: RawRow) => readPowerCode(r.cells.code ?? '', profile.credit_code, typeSegments);
  const rows: Row[] = [];
  const groups: Group[] = [];
  const start = (r: RawRow, seq: number, origin: ValueOrigin): Row => {
    const g: Group = { item: groups.length, seq, rows: [] };
    groups.push(g);
    return join(r, g, origin);
  };
  const join = (r: RawRow, g: Group, origin: ValueOrigin): Row => {
    const row: Row = { ...r, seq: g.seq, seqOrigin: origin, item: g.item };
    g.rows.push(row);
    rows.push(row);
    return row;
  };
  const numberOf = (r: RawRow) => {
    const cell = squash(r.cells.seq);
    return /^\d+$/.test(cell) ? Number(cell) : NaN;
  };

  raws.forEach((r, k) => {
    const cell = squash(r.cells.seq);
    const n = numberOf(r);
    const cur = groups.at(-1);
    if (!cur) {
      if (n >= 1) start(r, n, 'read');
      else throw new ListParseError(source, r.line, `序号 "${r.cells.seq ?? ''}" of the first item is not a number`);
      return;
    }
    if (n === cur.seq) {
      const verdict = sameItem(r, cur, code);
      if (verdict.same) {
        join(r, cur, 'read');
        if (verdict.doubt)
          issue(r.line, n, 'seq', cell, `序号 "${cell}" repeated with a different name: ${verdict.doubt}`, {
            kind: 'continuation',
            severity: 'warning',
          });
        return;
      }
      const first = cur.rows[0]!.line;
      const c = code(r);
      const prevCode = cur.rows.map(code).find((x) => x?.itemSegment) ?? null;
      const hint =
        c?.itemSegment && prevCode?.itemSegment && Number(c.itemSegment) === Number(prevCode.itemSegment) + 100
          ? ` (its code's item segment ${c.itemSegment} follows ${prevCode.itemSegment}: ${n + 1} may have been meant)`
          : '';
      start(r, n, 'read');
      issue(
        r.line,
        n,
        'seq',
        cell,
        `序号 "${cell}" repeats item ${n} of line ${first} (序号重复): ${verdict.why}${hint}; kept as a separate item with the same 序号, expected a 序号 of its own`,
        { kind: 'seq_duplicate', severity: 'warning' },
      );
      return;
    }
    const top = Math.max(...groups.map((g) => g.seq));
    if (n === top + 1) {
      start(r, n, 'read');
      return;
    }
    // A 序号 that cannot continue the numbering ("8" after 79, "l0"): the item segment of the code
    // tells whether the row starts the next item. A higher 序号 is a gap, not damage, unless the
    // numbering after it says so (below).
    const c = code(r);
    const prevCode = cur.rows.map(code).find((x) => x?.itemSegment) ?? null;
    if (
      cell &&
      (Number.isNaN(n) || n <= top) &&
      c?.itemSegment &&
      prevCode?.itemSegment &&
      Number(c.itemSegment) === Number(prevCode.itemSegment) + 100
    ) {
      start(r, cur.seq + 1, 'inferred');
      issue(
        r.line,
        cur.seq + 1,
        'seq',
        r.cells.seq ?? '',
        `序号 "${cell}" unreadable; taken as ${cur.seq + 1}: its code's item segment ${c.itemSegment} follows ${prevCode.itemSegment} of item ${cur.seq}`,
        { kind: 'seq_unreadable', severity: 'warning' },
      );
      return;
    }
    if (!cell) {
      join(r, cur, 'inferred');
      issue(
        r.line,
        cur.seq,
        'seq',
        '',
        `序号 missing; row taken as a continuation of item ${cur.seq} (line ${cur.rows[0]!.line}), expected a 序号`,
        { kind: 'continuation', severity: 'warning' },
      );
      return;
    }
    // The numbering around a row: the next 序号 written after it, skipping its own continuation rows.
    const next = raws
      .slice(k + 1)
      .map(numberOf)
      .find((m) => !Number.isNaN(m) && m !== n);
    if ((Number.isNaN(n) || n > cur.seq + 1) && next === cur.seq + 2) {
      start(r, cur.seq + 1, 'inferred');
      issue(
        r.line,
        cur.seq + 1,
        'seq',
        cell,
        `序号 "${cell}" unreadable; taken as ${cur.seq + 1}: it follows item ${cur.seq} and the next item reads ${next}`,
        { kind: 'seq_unreadable', severity: 'warning' },
      );
      return;
    }
    if (Number.isNaN(n) || n === 0) {
      join(r, cur, 'inferred');
      issue(
        r.line,
        cur.seq,
        'seq',
        cell,
        `序号 "${cell}" is not a number and no code or neighbouring 序号 says which item the row starts; taken as a continuation of item ${cur.seq} (line ${cur.rows[0]!.line}) — check it`,
        { kind: 'continuation', severity: 'warning' },
      );
      return;
    }
    if (n > top) {
      start(r, n, 'read');
      const missing = n - top === 2 ? `${top + 1} is` : `${top + 1}–${n - 1} are`;
      issue(
        r.line,
        n,
        'seq',
        cell,
        `序号 "${cell}" follows item ${top}: ${missing} not in the list (items removed?); 序号 kept as written`,
        { kind: 'seq_gap', severity: 'info' },
      );
      return;
    }
    const earlier = groups.find((g) => g.seq === n);
    start(r, n, 'read');
    if (earlier) {
      issue(
        r.line,
        n,
        'seq',
        cell,
        `序号 "${cell}" repeats item ${n} of line ${earlier.rows[0]!.line} (序号重复); kept as a separate item with the same 序号, expected a 序号 of its own`,
        { kind: 'seq_duplicate', severity: 'warning' },
      );
    } else {
      issue(
        r.line,
        n,
        'seq',
        cell,
        `序号 "${cell}" follows item ${cur.seq}; out of order, expected ${cur.seq + 1} or more; kept as written`,
        { kind: 'seq_order', severity: 'warning' },
      );
    }
  });
  return rows;
}

/**
 * Whether a row with the item's 序号 continues it. A page break prints the item again with a cut or
 * differently scrambled name, so the row continues the item unless both its name and its code say
 * otherwise: a name that is not a reading of the item's, and a full code that is not the item's.
 * A different name without a code to confirm it is ambiguous: the row continues the item, and says so.
 */
function sameItem(
  r: RawRow,
  g: Group,
  code: (r: RawRow) => PowerCode | null,
): { same: true; doubt?: string } | { same: false; why: string } {
  const name = squash(r.cells.name);
  const names = g.rows.map((x) => squash(x.cells.name)).filter(Boolean);
  const nameSame =
    !name ||
    names.length === 0 ||
    names.some(
      (x) => x.includes(name) || name.includes(x) || dice(x, name) >= SAME_NAME || commonPrefix(x, name) >= SAME_PREFIX,
    );
  if (nameSame) return { same: true };
  const c = code(r);
  const codes = g.rows.map(code).filter((x): x is PowerCode => x !== null);
  if (c && codes.some((x) => x.text === c.text)) return { same: true };
  const itemCode = codes.find((x) => x.full)?.full ?? null;
  if (c?.full && itemCode && c.full !== itemCode) {
    return {
      same: false,
      why: `its name "${name}" is not the item's "${names[0]}" and its code ${c.full} is not the item's ${itemCode}`,
    };
  }
  const codeWhy = c ? `its code ${c.text} cannot tell` : 'it has no code to tell';
  return {
    same: true,
    doubt: `name "${name}" differs from the item's "${names[0]}" but ${codeWhy}; taken as a continuation of item ${g.seq} (line ${g.rows[0]!.line}) — check whether it is a separate item with a repeated 序号`,
  };
}

/**
 * Two readings of one name share at least this share of character pairs; two penalties' names share
 * their frame (对用人单位…的处罚) and reach about 0.5 (items 10 and 11 of the bundled list: 0.51).
 */
const SAME_NAME = 0.7;
/** …or the same first characters (a page break cuts a name's end, scrambles its wrapped tail): "民办职业培训学校设立、". */
const SAME_PREFIX = 8;

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}

/** Dice coefficient of the Han character pairs of two names. */
function dice(a: string, b: string): number {
  const x = bigramsOf(a);
  const y = bigramsOf(b);
  if (!x.size || !y.size) return 0;
  let common = 0;
  for (const p of x) if (y.has(p)) common += 1;
  return (2 * common) / (x.size + y.size);
}
