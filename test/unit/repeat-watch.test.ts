import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeIdRanges, RepeatWatch, ReplacingIds } from '../../etl/load/case-repeats.ts';

const watched = (ids: readonly string[], expected = ids.length) => {
  const w = new RepeatWatch(expected);
  for (const id of ids) w.note(id);
  return w;
};

describe('RepeatWatch', () => {
  it('every id that repeats is a candidate, whatever the order and the size it was told', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Z0-9-]{1,12}$/), { maxLength: 300 }),
        fc.integer({ min: 0, max: 2000 }),
        (ids, expected) => {
          const w = watched(ids, expected);
          const repeated = new Set(ids.filter((id, i) => ids.indexOf(id) !== i));
          for (const id of repeated) expect(w.candidates.has(id)).toBe(true);
          expect(w.ascending).toBe(ids.every((id, i) => i === 0 || id > ids[i - 1]!));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names few others: under 3% of 100,000 distinct ids, and none to check in an ascending file', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `LZ-2025-${String((i * 7919) % 100_000).padStart(6, '0')}`);
    const w = watched(ids);
    expect(w.ascending).toBe(false);
    expect(w.candidates.size).toBeLessThan(3_000);
    expect(w.toCheck()).toHaveLength(w.candidates.size);
    const sorted = watched([...ids].sort());
    expect(sorted.ascending).toBe(true);
  });

  it('gives up on a list when too many ids repeat: the SQL check then groups them all', () => {
    const ids = Array.from({ length: 120_001 }, (_, i) => `C${i}`);
    const w = watched([...ids, ...ids]);
    expect(w.toCheck()).toBeNull();
  });
});

describe('ReplacingIds', () => {
  const id = fc.stringMatching(/^[A-Z0-9-]{1,8}$/);
  const range = fc.tuple(id, id).map(([a, b]) => (a <= b ? { lo: a, hi: b } : { lo: b, hi: a }));

  it('collects exactly the ids within some range, in order, however the ranges overlap', () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 12 }), fc.array(id, { maxLength: 200 }), (ranges, ids) => {
        const r = new ReplacingIds(mergeIdRanges(ranges));
        for (const x of ids) r.note(x);
        expect(r.ids).toEqual(ids.filter((x) => ranges.some((g) => g.lo <= x && x <= g.hi)));
      }),
      { numRuns: 500 },
    );
  });

  it('merges ranges that meet, and keeps apart those that do not', () => {
    expect(
      mergeIdRanges([
        { lo: 'C', hi: 'D' },
        { lo: 'A', hi: 'B' },
        { lo: 'B', hi: 'B5' },
        { lo: 'C1', hi: 'C2' },
      ]),
    ).toEqual([
      { lo: 'A', hi: 'B5' },
      { lo: 'C', hi: 'D' },
    ]);
  });

  it('gives up past its cap, and when the ranges are unknown', () => {
    const capped = new ReplacingIds([{ lo: 'A', hi: 'Z' }], 2);
    for (const x of ['B', 'C']) capped.note(x);
    expect(capped.ids).toEqual(['B', 'C']);
    capped.note('D');
    expect(capped.ids).toBeNull();
    capped.note('E');
    expect(capped.ids).toBeNull();
    const unknown = new ReplacingIds(null);
    unknown.note('B');
    expect(unknown.ids).toBeNull();
  });
});
