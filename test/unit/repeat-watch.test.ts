import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RepeatWatch } from '../../etl/load/case-repeats.ts';

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
