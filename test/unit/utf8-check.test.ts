import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { Utf8Check } from '../../etl/sources/utf8-check.ts';

/** A deterministic generator, so a failure names a seed that reproduces it. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function checkInChunks(bytes: Buffer, cuts: number[]): boolean {
  const check = new Utf8Check();
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (!check.check(bytes.subarray(from, cut))) return false;
    from = cut;
  }
  return check.end();
}

describe('Utf8Check', () => {
  const pieces = ['a', ',', '劳动监察大队', '行政处罚', '€', '𠀋', '😀', '\n', 'é'];

  it('agrees with a check of the whole text however it is cut into chunks', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      let text = '';
      while (text.length < 40) text += pieces[Math.floor(r() * pieces.length)];
      let bytes = Buffer.from(text);
      if (seed % 3 === 0) {
        // A bad byte somewhere: a stray continuation, a lead without its continuation, or 0xff.
        const at = Math.floor(r() * bytes.length);
        bytes = Buffer.concat([
          bytes.subarray(0, at),
          Buffer.from([[0x80, 0xe4, 0xff][seed % 9 === 0 ? 2 : seed % 2]!]),
          bytes.subarray(at),
        ]);
      }
      const cuts = [
        ...new Set(Array.from({ length: 1 + Math.floor(r() * 6) }, () => Math.floor(r() * bytes.length))),
      ].sort((a, b) => a - b);
      expect(checkInChunks(bytes, cuts), `seed ${seed}`).toBe(isUtf8(bytes));
    }
  });

  it('accepts a character cut in every possible place, one byte per chunk too', () => {
    const bytes = Buffer.from('x😀劳y');
    for (let cut = 0; cut <= bytes.length; cut++) expect(checkInChunks(bytes, [cut])).toBe(true);
    expect(
      checkInChunks(
        bytes,
        Array.from({ length: bytes.length }, (_, i) => i),
      ),
    ).toBe(true);
  });

  it('refuses a text that ends inside a character', () => {
    const cut = Buffer.from('劳').subarray(0, 2);
    expect(checkInChunks(Buffer.concat([Buffer.from('ab'), cut]), [1])).toBe(false);
    expect(checkInChunks(Buffer.concat([Buffer.from('ab'), cut]), [3])).toBe(false);
  });
});
