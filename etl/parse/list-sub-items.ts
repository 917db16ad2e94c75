import { matchCanonical } from './canonical-name.ts';
import { judgeName, SUB_SCRAMBLED_BELOW } from './name-quality.ts';
import type { PowerCode } from './power-code.ts';
import { squash, type IssueFn, type Row } from './list-rows.ts';
import { unwrap } from './text-merge.ts';
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
  const ownCode = (r: Row) =>
    codes.find(
      (c) =>
        c.line === r.line &&
        c.code.full &&
        (c.code.subDigit !== '0' || (itemCode !== null && c.code.full !== itemCode)),
    )?.code.full ?? null;
  const spilledOf = (name: string) => name !== '' && itemNames.some((n) => n.indexOf(name) > 0);
  // Rows with a sub-item name or code of their own: only then can a row without either start a sub-item.
  const named = rows.filter((r) => ownCode(r) || (squash(r.cells.sub_name) && !spilledOf(squash(r.cells.sub_name))));
  for (const [k, r] of rows.entries()) {
    const cell = r.cells.sub_name ?? '';
    const name = squash(cell);
    const own = ownCode(r);
    const spilled = spilledOf(name);
    // A sub-item digit with no 子项名称, in an item where no other row names or codes a sub-item (item 56:
    // …401600 9 on its only row): the item's own code with its last digit damaged, not a sub-item.
    if (own && !name && named.every((x) => x === r) && own.slice(0, -1) === (itemCode ?? '').slice(0, -1)) {
      issue(
        r.line,
        seq,
        'sub_code',
        own,
        `sub-item digit "${own.slice(-1)}" with no 子项名称, and no other row of the item names or codes a sub-item: read as the item's own code with a damaged last digit, not as a sub-item; expected 0`,
      );
      continue;
    }
    // A row without a readable name that starts its own 实施依据 ("1.《…") and carries code groups is a
    // sub-item whose name was lost, not a continuation: a continuation picks up a cut sentence or repeats one.
    const fresh = !own && (!name || spilled) && named.length > 0 && startsOwnBasis(r, rows.slice(0, k), codes);
    if (!own && (!name || spilled) && !fresh) {
      if (spilled)
        issue(
          r.line,
          seq,
          'sub_name',
          name,
          `子项 cell "${name}" is a piece of the item name spilled into the column, not a sub-item`,
        );
      if (named.length) checkContinuation(r, rows.slice(0, k), seq, issue);
      continue;
    }
    const partial =
      codes
        .filter((c) => c.line === r.line && c.col === 'sub_code' && !c.code.full)
        .map((c) => c.code.text)
        .sort((a, b) => b.length - a.length)[0] ?? null;
    const sec = matchCanonical(r.cells.section ?? '', profile.sections);
    const same = subs.find(
      (s) =>
        (own && s.code === own) ||
        (name &&
          (s.name === name ||
            (Math.min(s.name.length, name.length) >= 4 && (s.name.includes(name) || name.includes(s.name))))),
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
    if (fresh) {
      const groups = codes
        .filter((c) => c.line === r.line)
        .map((c) => c.code.text)
        .join(' / ');
      issue(
        r.line,
        seq,
        'sub_name',
        name,
        `子项名称 ${name ? `"${name}" is a piece of the item name` : 'empty'} on a row that starts its own 实施依据 ("${opening(r)}…") and carries code groups ${groups}: a sub-item whose name could not be read`,
      );
    } else if (!name) issue(r.line, seq, 'sub_name', '', `row carries sub-item code ${own} but no 子项名称`);
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
    if (s.name && s.name_quality !== 'ok')
      issue(
        s.source_lines[0]!,
        seq,
        'sub_name',
        s.name,
        `子项名称 ${s.name_quality}: ${s.name_quality === 'scrambled' ? 'reading order broken' : 'characters lost'}`,
      );
  }
  return subs;
}

const NEW_BASIS = /^(?:1\s*[.．、]\s*)?《/;
const text = (r: Row) => unwrap(r.cells.basis ?? '').replace(/\s+/g, '');
const opening = (r: Row) => [...text(r)].slice(0, 12).join('');

/**
 * Whether a row starts a 实施依据 of its own: its cell opens on the first citation ("1.《…" or "《…"), it
 * carries code groups, and it is not the same cell printed again (a page-break repeat of an earlier
 * row, one containing the other).
 */
function startsOwnBasis(r: Row, before: Row[], codes: RowCode[]): boolean {
  const t = text(r);
  if (!NEW_BASIS.test(t) || !codes.some((c) => c.line === r.line)) return false;
  return !before.some((b) => {
    const u = text(b);
    return u.length > 0 && (u.includes(t) || t.includes(u));
  });
}

/**
 * A row that continues the item must pick up a cut sentence (an earlier row ends where it begins) or
 * repeat a cut (an earlier row holds its opening). One that does neither is joined to the item all the
 * same — there is no evidence of a new sub-item — and the doubt is said.
 */
function checkContinuation(r: Row, before: Row[], seq: number, issue: IssueFn): void {
  const t = text(r);
  if (!t || NEW_BASIS.test(t) || !before.length) return;
  const head = [...t].slice(0, 6).join('');
  const continues = before.some((b) => {
    const u = text(b);
    return u.includes(head) || [4, 5, 6, 7, 8].some((k) => u.length >= k && t.startsWith(u.slice(-k)));
  });
  if (continues) return;
  issue(
    r.line,
    seq,
    'sub_name',
    '',
    `row's 实施依据 begins mid-text ("${opening(r)}…") and continues no earlier row of item ${seq}; joined to the item, but it may be a sub-item whose first rows were lost; expected a 子项名称 or a continued sentence`,
    { kind: 'continuation', severity: 'info' },
  );
}

function quality(name: string, cell: string, reference: Set<string>) {
  return judgeName(name, reference, null, cell, SUB_SCRAMBLED_BELOW);
}
