import { isHeaderRow, mapHeader, type Column } from './list-header.ts';
import { matchCanonical } from './canonical-name.ts';
import { bigramsOf, judgeName } from './name-quality.ts';
import { readPowerCode, type PowerCode } from './power-code.ts';
import { readPowerType } from './power-type.ts';
import { extractStages } from './stages.ts';
import { mergeFragments } from './text-merge.ts';
import {
  ListParseError,
  type BureauProfile,
  type NameQuality,
  type ParseIssue,
  type ParsedItem,
  type ParsedList,
  type ParsedSubItem,
  type PowerType,
  type ValueOrigin,
} from './list-types.ts';

/** One data row of the tab-separated text, its cells keyed by canonical column. */
interface Row {
  line: number;
  cells: Partial<Record<Column, string>>;
  seq: number;
  seqOrigin: ValueOrigin;
}

const squash = (s: string | undefined) => (s ?? '').replace(/\s+/g, '');

/**
 * Parses the PDF-to-text export of a 权责清单 (tab-separated, header repeated per page).
 * Pure: text in, items with provenance and the issues met out.
 */
export function parseListText(text: string, source: string, profile: BureauProfile): ParsedList {
  const issues: ParseIssue[] = [];
  const issue = (line: number, seq: number | null, field: string, value: string, message: string) =>
    issues.push({ source, line, seq, field, value, message });
  const typeSegments = Object.keys(profile.power_type_segments);

  let title: string | null = null;
  let header: (Column | null)[] | null = null;
  const rows: Row[] = [];
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
    const prev = rows.at(-1);
    const { seq, origin } = resolveSeq(row, prev, { source, line }, profile, typeSegments, issue);
    rows.push({ line, cells: row, seq, seqOrigin: origin });
  });
  if (!header) throw new ListParseError(source, lines.length, 'no header row (序号 / 事项名称 …) found');
  if (rows.length === 0) throw new ListParseError(source, lines.length, 'no item rows after the header');

  const reference = bigramsOf(rows.map((r) => `${r.cells.basis ?? ''}${r.cells.duties ?? ''}${r.cells.accountability ?? ''}`).join(' '));
  const groups = new Map<number, Row[]>();
  for (const r of rows) groups.set(r.seq, [...(groups.get(r.seq) ?? []), r]);
  const items = [...groups.values()].map((g) => buildItem(g, profile, typeSegments, reference, issue));
  return { source, title, items, issues };
}

type IssueFn = (line: number, seq: number | null, field: string, value: string, message: string) => void;

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

function buildItem(
  rows: Row[],
  profile: BureauProfile,
  typeSegments: string[],
  reference: Set<string>,
  issue: IssueFn,
): ParsedItem {
  const seq = rows[0]!.seq;
  const first = rows[0]!.line;

  const powerType0 = rows.map((r) => readPowerType(r.cells.power_type ?? '')?.value).find(Boolean) ?? null;
  // Name: the best-read of the row's name cells.
  const names = rows
    .map((r) => squash(r.cells.name))
    .filter(Boolean)
    .map((n) => ({ n, q: judgeName(n, reference, powerType0) }));
  const best = names.sort((a, b) => rank(a.q) - rank(b.q) || b.n.length - a.n.length)[0];
  const name = best?.n ?? '';
  const nameQuality: NameQuality = best?.q ?? 'truncated';
  if (!best) issue(first, seq, 'name', '', '事项名称 missing on every row of the item');
  else if (nameQuality !== 'ok') issue(first, seq, 'name', name, `事项名称 ${nameQuality}: reading order broken`);

  // Codes: item code from the code column, sub-item codes from either code column.
  const codes = rows.flatMap((r) =>
    (['code', 'sub_code'] as const)
      .map((col) => ({ line: r.line, col, code: readPowerCode(r.cells[col] ?? '', profile.credit_code, typeSegments) }))
      .filter((c): c is { line: number; col: 'code' | 'sub_code'; code: PowerCode } => c.code !== null),
  );
  const itemFull = codes.find((c) => c.col === 'code' && c.code.full && c.code.subDigit === '0');
  const subFull = codes.find((c) => c.code.full && c.code.subDigit !== '0');
  let code: string | null = null;
  let codeOrigin: ValueOrigin | null = null;
  if (itemFull) {
    code = itemFull.code.full;
    codeOrigin = 'read';
  } else if (subFull) {
    code = subFull.code.full!.slice(0, -1) + '0';
    codeOrigin = 'inferred';
    issue(subFull.line, seq, 'code', subFull.code.text, `item code inferred from sub-item code ${subFull.code.full}`);
  }
  const longest = [...codes].sort((a, b) => b.code.text.length - a.code.text.length)[0];
  const codeRead = code ? null : (longest?.code.text ?? null);
  if (!code) issue(longest?.line ?? first, seq, 'code', codeRead ?? '', 'no full 地方权力编码 in the text; kept as partial');

  // Power type: the column, cross-checked with the code's type segment.
  const columnTypes = rows.map((r) => ({ line: r.line, raw: r.cells.power_type ?? '', t: readPowerType(r.cells.power_type ?? '') }));
  const colBest = columnTypes.find((c) => c.t?.exact) ?? columnTypes.find((c) => c.t);
  const segment = codes.map((c) => c.code.typeSegment).find((s) => s && profile.power_type_segments[s]);
  const codeType = segment ? (profile.power_type_segments[segment] as PowerType) : null;
  let powerType: PowerType | null = null;
  let ptOrigin: ValueOrigin | null = null;
  let ptEvidence: 'column' | 'code' | null = null;
  if (colBest?.t) {
    powerType = colBest.t.value;
    ptOrigin = colBest.t.exact ? 'read' : 'repaired';
    ptEvidence = 'column';
    if (codeType && codeType !== powerType) {
      issue(colBest.line, seq, 'power_type', colBest.raw, `权力类型 column reads ${powerType} but the code's type segment ${segment} means ${codeType}`);
    }
  } else if (codeType) {
    powerType = codeType;
    ptOrigin = 'inferred';
    ptEvidence = 'code';
    issue(first, seq, 'power_type', columnTypes.map((c) => c.raw).filter(Boolean).join(' / '), `权力类型 unreadable; taken from the code's type segment ${segment}`);
  } else {
    issue(first, seq, 'power_type', columnTypes.map((c) => c.raw).join(' / '), '权力类型 unreadable and no code type segment');
  }

  const pick = (col: Column, names: readonly string[]) => {
    const found = rows
      .map((r) => ({ line: r.line, raw: r.cells[col] ?? '', m: matchCanonical(r.cells[col] ?? '', names) }))
      .filter((x) => x.raw.trim());
    const hit = found.find((x) => x.m?.exact) ?? found.find((x) => x.m);
    return { hit, found };
  };
  const sec = pick('section', profile.sections);
  const section = sec.hit?.m?.value ?? null;
  if (!section) issue(first, seq, 'section', sec.found.map((f) => f.raw).join(' / '), '承办机构 missing or unreadable');
  const subj = pick('subject', [profile.short_name]);
  const lvl = pick('level', profile.levels);

  const basis = mergeFragments(rows.map((r) => r.cells.basis ?? ''));
  const duties = mergeFragments(rows.map((r) => r.cells.duties ?? ''));
  const accountability = mergeFragments(rows.map((r) => r.cells.accountability ?? ''));

  return {
    seq,
    seq_origin: rows[0]!.seqOrigin,
    name,
    name_quality: nameQuality,
    power_type: powerType,
    power_type_origin: ptOrigin,
    power_type_evidence: ptEvidence,
    code,
    code_origin: codeOrigin,
    code_read: codeRead,
    code_partial: code === null,
    section,
    section_origin: sec.hit?.m ? (sec.hit.m.exact ? 'read' : 'repaired') : null,
    subject: subj.hit?.m?.value ?? null,
    level: lvl.hit?.m?.value ?? null,
    basis,
    duties,
    accountability,
    stages: extractStages(duties),
    sub_items: subItems(rows, codes, reference, profile),
    source_lines: rows.map((r) => r.line),
  };
}

const rank = (q: NameQuality) => ({ ok: 0, truncated: 1, scrambled: 2 })[q];

function subItems(
  rows: Row[],
  codes: { line: number; code: PowerCode }[],
  reference: Set<string>,
  profile: BureauProfile,
): ParsedSubItem[] {
  const subs: ParsedSubItem[] = [];
  for (const r of rows) {
    const name = squash(r.cells.sub_name);
    if (!name) continue;
    const same = subs.find((s) => s.name.includes(name) || name.includes(s.name));
    const code = codes.find((c) => c.line === r.line && c.code.full && c.code.subDigit !== '0')?.code.full ?? null;
    const section = matchCanonical(r.cells.section ?? '', profile.sections)?.value ?? null;
    if (same) {
      if (name.length > same.name.length) same.name = name;
      same.source_lines.push(r.line);
      same.code ??= code;
      same.section ??= section;
      continue;
    }
    subs.push({ name, name_quality: judgeName(name, reference), code, section, source_lines: [r.line] });
  }
  return subs;
}
