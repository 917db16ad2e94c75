import type { Column } from './list-header.ts';
import { matchCanonical } from './canonical-name.ts';
import { bigramsOf, cutPoint, judgeName, readingScore } from './name-quality.ts';
import { readPowerCode, type PowerCode } from './power-code.ts';
import { readPowerType } from './power-type.ts';
import { findStages, orderStages } from './stages.ts';
import { mergeFragments } from './text-merge.ts';
import { readRows, squash, type IssueFn, type Row } from './list-rows.ts';
import { readSubItems, type RowCode } from './list-sub-items.ts';
import { inferSections } from './list-section-inference.ts';
import { findTruncation } from './list-truncation.ts';
import type {
  BureauProfile,
  NameQuality,
  ParseIssue,
  ParsedItem,
  ParsedList,
  PowerType,
  ValueOrigin,
} from './list-types.ts';

/**
 * Parses the PDF-to-text export of a 权责清单 (tab-separated, header repeated per page).
 * Pure: text in, items with provenance and the issues met out.
 */
export function parseListText(text: string, source: string, profile: BureauProfile): ParsedList {
  const issues: ParseIssue[] = [];
  const issue: IssueFn = (line, seq, field, value, message, o = {}) =>
    issues.push({
      source,
      line,
      seq,
      field,
      value,
      message,
      kind: o.kind ?? 'field',
      severity: o.severity ?? 'warning',
    });
  const typeSegments = Object.keys(profile.power_type_segments);
  const { title, rows } = readRows(text, source, profile, issue);

  const reference = bigramsOf(
    rows.map((r) => `${r.cells.basis ?? ''}${r.cells.duties ?? ''}${r.cells.accountability ?? ''}`).join(' '),
  );
  const groups = new Map<number, Row[]>();
  for (const r of rows) groups.set(r.item, [...(groups.get(r.item) ?? []), r]);
  const items = [...groups.values()].map((g) => buildItem(g, profile, typeSegments, reference, issue));
  const perSeq = new Map<number, number>();
  for (const it of items) perSeq.set(it.seq, (perSeq.get(it.seq) ?? 0) + 1);
  for (const it of items) if (perSeq.get(it.seq)! > 1) it.seq_duplicate = true;
  inferSections(items, issue);
  const truncated = findTruncation(items, [...groups.values()], issue);
  issues.sort((a, b) => a.line - b.line);
  return { source, title, items, issues, truncated };
}

const rank = (q: NameQuality) => ({ ok: 0, truncated: 1, scrambled: 2 })[q];

function buildItem(
  rows: Row[],
  profile: BureauProfile,
  typeSegments: string[],
  reference: Set<string>,
  issue: IssueFn,
): ParsedItem {
  const seq = rows[0]!.seq;
  const first = rows[0]!.line;
  const fieldLines: Record<string, number[]> = {};

  const powerType0 = rows.map((r) => readPowerType(r.cells.power_type ?? '')?.value).find(Boolean) ?? null;
  // Name: the best-read of the rows' name cells (a page break prints the name again, often better).
  const names = rows
    .filter((r) => squash(r.cells.name))
    .map((r) => {
      const n = squash(r.cells.name);
      return {
        line: r.line,
        n,
        q: judgeName(n, reference, powerType0, r.cells.name),
        score: readingScore(n, reference),
      };
    });
  // Best quality first, then the reading whose character pairs the list's own text confirms most
  // ("…设立、变更及终止审批" over "…设立、会并、变更企主申批"), then the longest.
  const best = [...names].sort((a, b) => rank(a.q) - rank(b.q) || b.score - a.score || b.n.length - a.n.length)[0];
  const name = best?.n ?? '';
  let nameQuality: NameQuality = best?.q ?? 'truncated';
  // A penalty's name (对…的处罚) read in order may still have lost characters at a wrap point: its own text says where.
  const cut =
    best && nameQuality === 'ok' && /^对.+处罚$/.test(name)
      ? cutPoint(
          name,
          rows.map((r) => `${r.cells.basis ?? ''}${r.cells.duties ?? ''}${r.cells.accountability ?? ''}`).join(''),
          reference,
        )
      : null;
  if (cut) nameQuality = 'truncated';
  if (best) fieldLines.name = [best.line];
  if (!best) issue(first, seq, 'name', '', '事项名称 missing on every row of the item');
  else if (cut)
    issue(
      best.line,
      seq,
      'name',
      name,
      `事项名称 truncated: characters lost between "${cut.left}" and "${cut.right}" (the pair never occurs in the list; the item's own text reads "${cut.left}${cut.gap}${cut.right}"); expected the whole name`,
    );
  else if (nameQuality !== 'ok')
    issue(
      best.line,
      seq,
      'name',
      name,
      `事项名称 ${nameQuality}: ${nameQuality === 'scrambled' ? 'reading order broken' : 'characters lost'}`,
    );

  // Codes: item code from the code column, sub-item codes from either code column.
  const codes: RowCode[] = rows.flatMap((r) =>
    (['code', 'sub_code'] as const)
      .map((col) => ({ line: r.line, col, code: readPowerCode(r.cells[col] ?? '', profile.credit_code, typeSegments) }))
      .filter((c): c is { line: number; col: 'code' | 'sub_code'; code: PowerCode } => c.code !== null),
  );
  // Rows may carry several item-level codes (item 64: …402300 0 and …402400 0): the item takes the
  // lowest, whatever the row order; the others mark sub-items (list-sub-items.ts).
  const itemFull = codes
    .filter((c) => c.col === 'code' && c.code.full && c.code.subDigit === '0')
    .sort((a, b) => a.code.full!.localeCompare(b.code.full!))[0];
  const subFull = codes.find((c) => c.code.full && c.code.subDigit !== '0');
  let code: string | null = null;
  let codeOrigin: ValueOrigin | null = null;
  if (itemFull) {
    code = itemFull.code.full;
    codeOrigin = 'read';
    fieldLines.code = [itemFull.line];
  } else if (subFull) {
    code = `${subFull.code.full!.slice(0, -1)}0`;
    codeOrigin = 'inferred';
    fieldLines.code = [subFull.line];
    issue(subFull.line, seq, 'code', subFull.code.text, `item code inferred from sub-item code ${subFull.code.full}`);
  }
  const longest = [...codes]
    .filter((c) => c.col === 'code' || !code)
    .sort((a, b) => b.code.text.length - a.code.text.length)[0];
  const codeRead = code ? null : (longest?.code.text ?? null);
  if (!code) {
    if (longest) fieldLines.code = [longest.line];
    issue(longest?.line ?? first, seq, 'code', codeRead ?? '', 'no full 地方权力编码 in the text; kept as partial');
  }

  // Power type: the column, cross-checked with the code's type segment.
  const columnTypes = rows.map((r) => ({
    line: r.line,
    raw: r.cells.power_type ?? '',
    t: readPowerType(r.cells.power_type ?? ''),
  }));
  const colBest = columnTypes.find((c) => c.t?.exact) ?? columnTypes.find((c) => c.t);
  const segHit = codes.find((c) => c.code.typeSegment && profile.power_type_segments[c.code.typeSegment]);
  const segment = segHit?.code.typeSegment ?? null;
  const codeType = segment ? (profile.power_type_segments[segment] as PowerType) : null;
  let powerType: PowerType | null = null;
  let ptOrigin: ValueOrigin | null = null;
  let ptEvidence: 'column' | 'code' | null = null;
  if (colBest?.t) {
    powerType = colBest.t.value;
    ptOrigin = colBest.t.exact ? 'read' : 'repaired';
    ptEvidence = 'column';
    fieldLines.power_type = [colBest.line];
    if (codeType && codeType !== powerType) {
      issue(
        colBest.line,
        seq,
        'power_type',
        colBest.raw,
        `权力类型 column reads ${powerType} but the code's type segment ${segment} means ${codeType}`,
      );
    }
  } else if (codeType) {
    powerType = codeType;
    ptOrigin = 'inferred';
    ptEvidence = 'code';
    fieldLines.power_type = [segHit!.line];
    issue(
      first,
      seq,
      'power_type',
      columnTypes
        .map((c) => c.raw)
        .filter(Boolean)
        .join(' / '),
      `权力类型 unreadable; taken from the code's type segment ${segment}`,
    );
  } else {
    issue(
      first,
      seq,
      'power_type',
      columnTypes.map((c) => c.raw).join(' / '),
      '权力类型 unreadable and no code type segment',
    );
  }

  const pick = (col: Column, known: readonly string[]) => {
    const found = rows
      .map((r) => ({ line: r.line, raw: r.cells[col] ?? '', m: matchCanonical(r.cells[col] ?? '', known) }))
      .filter((x) => x.raw.trim());
    const hit = found.find((x) => x.m?.exact) ?? found.find((x) => x.m);
    if (hit) fieldLines[col] = [hit.line];
    return {
      hit,
      found,
      value: hit?.m?.value ?? null,
      origin: hit?.m ? ((hit.m.exact ? 'read' : 'repaired') as ValueOrigin) : null,
    };
  };
  const sec = pick('section', profile.sections);
  if (!sec.value)
    issue(first, seq, 'section', sec.found.map((f) => f.raw).join(' / '), '承办机构 missing or unreadable');
  const subj = pick('subject', [profile.short_name]);
  if (!subj.value && subj.found.length)
    issue(
      subj.found[0]!.line,
      seq,
      'subject',
      subj.found.map((f) => f.raw).join(' / '),
      `行使主体 unreadable (expected ${profile.short_name})`,
    );
  const lvl = pick('level', profile.levels);
  if (!lvl.value && lvl.found.length)
    issue(lvl.found[0]!.line, seq, 'level', lvl.found.map((f) => f.raw).join(' / '), '办事层级 unreadable');

  const long = (col: 'basis' | 'duties' | 'accountability') => {
    const with_ = rows.filter((r) => squash(r.cells[col]));
    if (with_.length) fieldLines[col] = with_.map((r) => r.line);
    return mergeFragments(with_.map((r) => r.cells[col] ?? ''));
  };
  const basis = long('basis');
  const duties = long('duties');
  const accountability = long('accountability');
  const hits = findStages(duties);
  const stages = orderStages(hits);
  if (stages.length) fieldLines.stages = fieldLines.duties ?? [];
  // A stage counts as repaired only when no undamaged label of it appears anywhere in the item.
  const repairedOnly = stages.filter((s) => !hits.some((h) => h.stage === s && !h.repaired));
  for (const s of repairedOnly) {
    const h = hits.find((x) => x.stage === s)!;
    issue(first, seq, 'stages', h.label, `stage label "${h.label}" is OCR-damaged; read as ${h.stage}`);
  }

  const itemNames = [...new Set(names.map((n) => n.n))];
  return {
    seq,
    seq_origin: rows[0]!.seqOrigin,
    name,
    name_quality: nameQuality,
    name_origin: 'read',
    name_readings: itemNames,
    power_type: powerType,
    power_type_origin: ptOrigin,
    power_type_evidence: ptEvidence,
    code,
    code_origin: codeOrigin,
    code_read: codeRead,
    code_partial: code === null,
    section: sec.value,
    section_origin: sec.origin,
    section_evidence: null,
    subject: subj.value,
    subject_origin: subj.origin,
    level: lvl.value,
    level_origin: lvl.origin,
    basis,
    duties,
    accountability,
    stages,
    stages_origin: stages.length ? (repairedOnly.length ? 'repaired' : 'read') : null,
    sub_items: readSubItems(rows, itemNames, code, codes, reference, profile, seq, issue),
    source_lines: rows.map((r) => r.line),
    field_lines: fieldLines,
  };
}
