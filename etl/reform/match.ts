/**
 * Pairs the items of two list versions. Order of evidence:
 *   1. the same full code (地方权力编码) in both versions (score 1);
 *   2. among the rest, name + basis similarity ≥ MATCH_THRESHOLD, best pairs first;
 *   3. merges: an old item left over whose text is contained (≥ CONTAINMENT_THRESHOLD) in a new
 *      item that grew beyond its own predecessor — several old → one new;
 *   4. splits: the mirror image — one old → several new.
 * Anything still unpaired is removed (old) or added (new). Deterministic: ties go to the lower 序号.
 */
import type { ParsedItem } from '../parse/list-types.ts';
import type { MatchMethod } from './types.ts';
import {
  CONTAINMENT_THRESHOLD,
  MATCH_THRESHOLD,
  overlap,
  fingerprint,
  similarity,
  type Fingerprint,
} from './similarity.ts';

export interface ItemPair {
  from: number;
  to: number;
  method: MatchMethod;
  score: number;
}

export interface ItemGroup {
  kind: 'merged' | 'split';
  from: number[];
  to: number[];
  score: number;
}

export interface ItemMatch {
  pairs: ItemPair[];
  groups: ItemGroup[];
  removed: number[];
  added: number[];
}

/** A new item equal to its predecessor has not grown: nothing was merged into or split off it. */
const UNCHANGED = 0.999;

/** Codes that occur once in the version: a duplicated code cannot identify an item. */
function uniqueCodes(items: readonly ParsedItem[]): Map<string, number> {
  const seen = new Map<string, number>();
  const dup = new Set<string>();
  items.forEach((it, i) => {
    if (!it.code) return;
    if (seen.has(it.code)) dup.add(it.code);
    else seen.set(it.code, i);
  });
  for (const c of dup) seen.delete(c);
  return seen;
}

export function matchItems(from: readonly ParsedItem[], to: readonly ParsedItem[]): ItemMatch {
  const fa = from.map(fingerprint);
  const fb = to.map(fingerprint);
  const pairs: ItemPair[] = [];
  const pairOfFrom = new Map<number, ItemPair>();
  const pairOfTo = new Map<number, ItemPair>();
  const addPair = (p: ItemPair) => {
    pairs.push(p);
    pairOfFrom.set(p.from, p);
    pairOfTo.set(p.to, p);
  };
  const dropPair = (p: ItemPair) => {
    pairs.splice(pairs.indexOf(p), 1);
    pairOfFrom.delete(p.from);
    pairOfTo.delete(p.to);
  };

  const codesB = uniqueCodes(to);
  for (const [code, i] of uniqueCodes(from)) {
    const j = codesB.get(code);
    if (j !== undefined) addPair({ from: i, to: j, method: 'code', score: 1 });
  }

  const candidates: ItemPair[] = [];
  from.forEach((_, i) => {
    if (pairOfFrom.has(i)) return;
    to.forEach((_, j) => {
      if (pairOfTo.has(j)) return;
      const score = similarity(fa[i]!, fb[j]!);
      if (score >= MATCH_THRESHOLD) candidates.push({ from: i, to: j, method: 'similarity', score });
    });
  });
  candidates.sort((x, y) => y.score - x.score || x.from - y.from || x.to - y.to);
  for (const c of candidates) if (!pairOfFrom.has(c.from) && !pairOfTo.has(c.to)) addPair(c);

  const groups: ItemGroup[] = [];
  const grouped = { from: new Set<number>(), to: new Set<number>() };

  // Merges: leftover old items, each assigned to the new item that contains it best.
  const mergeInto = bestContainers(
    from.map((_, i) => i).filter((i) => !pairOfFrom.has(i)),
    fa,
    fb,
  );
  for (const [j, members] of mergeInto) {
    const pred = pairOfTo.get(j);
    const score = Math.min(...members.map((m) => m.score));
    if (pred && similarity(fa[pred.from]!, fb[j]!) < UNCHANGED) {
      dropPair(pred);
      groups.push({
        kind: 'merged',
        from: [pred.from, ...members.map((m) => m.index)].sort((x, y) => x - y),
        to: [j],
        score,
      });
    } else if (!pred && members.length >= 2) {
      groups.push({ kind: 'merged', from: members.map((m) => m.index), to: [j], score });
    } else if (!pred) {
      addPair({ from: members[0]!.index, to: j, method: 'containment', score });
      continue;
    } else continue;
    for (const i of groups.at(-1)!.from) grouped.from.add(i);
    grouped.to.add(j);
  }

  // Splits: leftover new items, each assigned to the old item that contains it best.
  const splitFrom = bestContainers(
    to.map((_, j) => j).filter((j) => !pairOfTo.has(j) && !grouped.to.has(j)),
    fb,
    fa,
    grouped.from,
  );
  for (const [i, members] of splitFrom) {
    const succ = pairOfFrom.get(i);
    const score = Math.min(...members.map((m) => m.score));
    if (succ && similarity(fa[i]!, fb[succ.to]!) < UNCHANGED) {
      dropPair(succ);
      groups.push({
        kind: 'split',
        from: [i],
        to: [succ.to, ...members.map((m) => m.index)].sort((x, y) => x - y),
        score,
      });
    } else if (!succ && members.length >= 2) {
      groups.push({ kind: 'split', from: [i], to: members.map((m) => m.index), score });
    } else if (!succ) {
      addPair({ from: i, to: members[0]!.index, method: 'containment', score });
      continue;
    } else continue;
    grouped.from.add(i);
    for (const j of groups.at(-1)!.to) grouped.to.add(j);
  }

  return {
    pairs: pairs.sort((x, y) => x.from - y.from),
    groups,
    removed: from.map((_, i) => i).filter((i) => !pairOfFrom.has(i) && !grouped.from.has(i)),
    added: to.map((_, j) => j).filter((j) => !pairOfTo.has(j) && !grouped.to.has(j)),
  };
}

/** For each part, the whole (not excluded) overlapping it best, if at or above the threshold; grouped by whole. */
function bestContainers(parts: number[], fParts: Fingerprint[], fWholes: Fingerprint[], exclude = new Set<number>()) {
  const byWhole = new Map<number, { index: number; score: number }[]>();
  for (const p of parts) {
    let best = -1;
    let bestScore = CONTAINMENT_THRESHOLD;
    fWholes.forEach((w, k) => {
      if (exclude.has(k)) return;
      const s = overlap(fParts[p]!, w);
      if (s >= bestScore && (best === -1 || s > bestScore)) {
        best = k;
        bestScore = s;
      }
    });
    if (best !== -1) byWhole.set(best, [...(byWhole.get(best) ?? []), { index: p, score: bestScore }]);
  }
  return [...byWhole.entries()].sort((x, y) => x[0] - y[0]);
}
