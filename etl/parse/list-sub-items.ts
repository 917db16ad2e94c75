import { matchCanonical } from './canonical-name.ts';
import { judgeName, SUB_SCRAMBLED_BELOW } from './name-quality.ts';
import type { PowerCode } from './power-code.ts';
import { squash, type IssueFn, type Row } from './list-rows.ts';
import type { BureauProfile, ParsedSubItem } from './list-types.ts';

export interface RowCode {
  line: number;
  col: 'code' | 'sub_code';
  code: PowerCode;
}

/**
 * The sub-items (子项) of one item. A row is a sub-item row when its 子项名称 cell holds a name of its
 * own, or when it carries a code of its own (a full code with a sub-item digit, or a full code whose
 * item segment differs from the item's). Evidence from the bundled list decides the rest:
 * - a 子项 cell that is a piece from inside the item's name ("业培训" under 民办职业培训学校…, "困劳动"
 *   under …贫困劳动力…) is the item name spilling into the narrow neighbour column, not a sub-item;
 *   a cell that starts like the item name ("企业年金方案" under 企业年金方案备案) is a (cut) sub-item name;
 * - the same sub-item printed again after a page break (same name, or one reading containing the
 *   other) is one sub-item with both lines.
 */
export function readSubItems(
  rows: Row[],
  itemNames: string[],
  itemCode: string | null,
  codes: RowCode[],
  reference: Set<string>,
  profile: BureauProfile,
  seq: number,
  issue: IssueFn,
): ParsedSubItem[] {
  const subs: ParsedSubItem[] = [];
  for (const r of rows) {
    const cell = r.cells.sub_name ?? '';
    const name = squash(cell);
    const own = codes.find(
      (c) =>
        c.line === r.line &&
        c.code.full &&
        (c.code.subDigit !== '0' || (itemCode !== null && c.code.full !== itemCode)),
    )?.code.full ?? null;
    const spilled = name !== '' && itemNames.some((n) => n.indexOf(name) > 0);
    if (!own && (!name || spilled)) {
      if (spilled) issue(r.line, seq, 'sub_name', name, `子项 cell "${name}" is a piece of the item name spilled into the column, not a sub-item`);
      continue;
    }
    const partial = codes
      .filter((c) => c.line === r.line && c.col === 'sub_code' && !c.code.full)
      .map((c) => c.code.text)
      .sort((a, b) => b.length - a.length)[0] ?? null;
    const sec = matchCanonical(r.cells.section ?? '', profile.sections);
    const same = subs.find(
      (s) => (own && s.code === own) || (name && (s.name === name || (Math.min(s.name.length, name.length) >= 4 && (s.name.includes(name) || name.includes(s.name))))),
    );
    if (same) {
      if (name.length > same.name.length) {
        same.name = name;
        same.name_quality = quality(name, cell, reference);
      }
      same.source_lines.push(r.line);
      same.code ??= own;
      if (!same.section && sec) {
        same.section = sec.value;
        same.section_origin = sec.exact ? 'read' : 'repaired';
      }
      continue;
    }
    if (!name) issue(r.line, seq, 'sub_name', '', `row carries sub-item code ${own} but no 子项名称`);
    subs.push({
      name,
      // A piece of the item's own name cannot be the whole name of a sub-item with a code of its own.
      name_quality: name && !spilled ? quality(name, cell, reference) : 'truncated',
      name_origin: 'read',
      code: own,
      code_read: own ? null : partial,
      section: sec?.value ?? null,
      section_origin: sec ? (sec.exact ? 'read' : 'repaired') : null,
      source_lines: [r.line],
    });
  }
  for (const s of subs) {
    if (s.name && s.name_quality !== 'ok') issue(s.source_lines[0]!, seq, 'sub_name', s.name, `子项名称 ${s.name_quality}: ${s.name_quality === 'scrambled' ? 'reading order broken' : 'characters lost'}`);
  }
  return subs;
}

function quality(name: string, cell: string, reference: Set<string>) {
  return judgeName(name, reference, null, cell, SUB_SCRAMBLED_BELOW);
}
