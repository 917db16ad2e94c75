/**
 * The changes between two versions of a list, one row per change (a pair of items that was
 * renamed and moved gives two rows). Merged and split items give one row each: the merge or
 * split explains their new names and bases, so those are not reported again. Pure.
 */
import type { ParsedItem, ParsedSubItem } from '../parse/list-types.ts';
import { compareBasis, describeBasisChange } from './citation-diff.ts';
import { matchItems, type ItemPair } from './match.ts';
import { CHANGE_KINDS, type ReformChange } from './types.ts';

const squash = (s: string | null) => (s ?? '').replace(/\s+/g, '');
const codeOf = (it: ParsedItem) => it.code ?? it.code_read ?? null;
const names = (items: readonly ParsedItem[]) => items.map((it) => it.name).join('；');

export function diffLists(from: readonly ParsedItem[], to: readonly ParsedItem[]): ReformChange[] {
  const m = matchItems(from, to);
  const changes: ReformChange[] = [];
  const row = (
    kind: ReformChange['kind'],
    a: ParsedItem[],
    b: ParsedItem[],
    before: string | null,
    after: string | null,
    detail: string,
    pair?: { method: ReformChange['method']; score: number | null },
  ): ReformChange => ({
    kind,
    from_seqs: a.map((x) => x.seq),
    to_seqs: b.map((x) => x.seq),
    code_before: a[0] ? codeOf(a[0]) : null,
    code_after: b[0] ? codeOf(b[0]) : null,
    name_before: a.length ? names(a) : null,
    name_after: b.length ? names(b) : null,
    before,
    after,
    detail,
    method: pair?.method ?? null,
    score: pair?.score === undefined || pair.score === null ? null : Math.round(pair.score * 1000) / 1000,
  });

  for (const i of m.removed)
    changes.push(row('removed', [from[i]!], [], from[i]!.name, null, `取消事项「${from[i]!.name}」`));
  for (const j of m.added) changes.push(row('added', [], [to[j]!], null, to[j]!.name, `新增事项「${to[j]!.name}」`));
  for (const g of m.groups) {
    const a = g.from.map((i) => from[i]!);
    const b = g.to.map((j) => to[j]!);
    const detail =
      g.kind === 'merged' ? `${a.length} 项合并为「${b[0]!.name}」` : `「${a[0]!.name}」拆分为 ${b.length} 项`;
    changes.push(row(g.kind, a, b, names(a), names(b), detail, { method: 'containment', score: g.score }));
  }
  for (const p of m.pairs) changes.push(...pairChanges(from[p.from]!, to[p.to]!, p, row));

  const order = (k: ReformChange['kind']) => CHANGE_KINDS.indexOf(k);
  return changes.sort(
    (x, y) => order(x.kind) - order(y.kind) || (x.to_seqs[0] ?? x.from_seqs[0]!) - (y.to_seqs[0] ?? y.from_seqs[0]!),
  );
}

type RowFn = (
  kind: ReformChange['kind'],
  a: ParsedItem[],
  b: ParsedItem[],
  before: string | null,
  after: string | null,
  detail: string,
  pair?: { method: ReformChange['method']; score: number | null },
) => ReformChange;

function pairChanges(a: ParsedItem, b: ParsedItem, p: ItemPair, row: RowFn): ReformChange[] {
  const out: ReformChange[] = [];
  const add = (kind: ReformChange['kind'], before: string | null, after: string | null, detail: string) =>
    out.push(row(kind, [a], [b], before, after, detail, p));
  if (squash(a.name) !== squash(b.name)) add('renamed', a.name, b.name, `「${a.name}」更名为「${b.name}」`);
  if (a.power_type !== b.power_type)
    add('retyped', a.power_type, b.power_type, `权力类型 ${a.power_type ?? '未识别'} → ${b.power_type ?? '未识别'}`);
  if (squash(a.section) !== squash(b.section))
    add('moved', a.section, b.section, `承办机构 ${a.section ?? '未注明'} → ${b.section ?? '未注明'}`);
  if (squash(codeOf(a)) !== squash(codeOf(b)))
    add('recoded', codeOf(a), codeOf(b), `编码 ${codeOf(a) ?? '无'} → ${codeOf(b) ?? '无'}`);
  const basis = compareBasis(a.basis, b.basis);
  if (basis) add('basis_changed', a.basis, b.basis, describeBasisChange(basis));
  const subs = compareSubItems(a.sub_items, b.sub_items);
  if (subs.added.length)
    add('sub_items_added', null, subs.added.join('；'), `子项增加 ${subs.added.length} 项：${subs.added.join('；')}`);
  if (subs.removed.length)
    add(
      'sub_items_removed',
      subs.removed.join('；'),
      null,
      `子项减少 ${subs.removed.length} 项：${subs.removed.join('；')}`,
    );
  return out;
}

/**
 * Sub-items pair by code, then by exact name (spaces ignored), then the ones with neither (a name the
 * parser could not read, no code) in list order: only a change in their number is a change.
 */
export function compareSubItems(
  a: readonly ParsedSubItem[],
  b: readonly ParsedSubItem[],
): { added: string[]; removed: string[] } {
  const left = [...a];
  const right = [...b];
  for (const key of [(s: ParsedSubItem) => s.code, (s: ParsedSubItem) => squash(s.name) || null]) {
    for (let i = left.length - 1; i >= 0; i -= 1) {
      const k = key(left[i]!);
      if (k === null) continue;
      const j = right.findIndex((s) => key(s) === k);
      if (j !== -1) {
        left.splice(i, 1);
        right.splice(j, 1);
      }
    }
  }
  const blank = (s: ParsedSubItem) => s.code === null && !squash(s.name);
  const blankLeft = left.filter(blank);
  const blankRight = right.filter(blank);
  const paired = Math.min(blankLeft.length, blankRight.length);
  const drop = (list: ParsedSubItem[], blanks: ParsedSubItem[]) =>
    list.filter((s) => !blanks.slice(0, paired).includes(s));
  return { added: drop(right, blankRight).map((s) => s.name), removed: drop(left, blankLeft).map((s) => s.name) };
}
