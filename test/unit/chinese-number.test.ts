import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseChineseNumber, parseMultiple, parseYuan } from '../../etl/parse/chinese-number.ts';

const value = (text: string) => {
  const r = parseChineseNumber(text);
  return r.ok ? r.value : null;
};

describe('parseChineseNumber', () => {
  it.each([
    ['2000', 2000],
    ['2万', 20000],
    ['10万', 100000],
    ['1万', 10000],
    ['5万', 50000],
    ['1.5万', 15000],
    ['10000', 10000],
    ['30000', 30000],
    ['1,000', 1000],
    ['２万', 20000],
    ['五百', 500],
    ['二千', 2000],
    ['五万', 50000],
    ['一千五百', 1500],
    ['两万', 20000],
    ['十万', 100000],
    ['二十万', 200000],
    ['一', 1],
    ['三', 3],
    ['〇', 0],
    ['零', 0],
    ['十', 10],
    ['十五', 15],
    ['二十一', 21],
    ['一千零五', 1005],
    ['三万零五百', 30500],
    ['一万五千', 15000],
    ['五千', 5000],
    ['三千', 3000],
    ['一百一十', 110],
    ['二〇一八', 2018],
    ['八十四', 84],
    ['二百六十六', 266],
    ['1千5百', 1500],
  ])('%s → %d', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it.each(['', '万', '十十', '五千三千', '万万', '一千五', 'abc', '1.5十', '五五元'])('refuses %j', (text) => {
    const r = parseChineseNumber(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).not.toBe('');
  });

  it('round-trips every integer written the way statutes write it', () => {
    const digits = '零一二三四五六七八九';
    const under1e4 = (n: number): string => {
      const parts: string[] = [];
      let zero = false;
      for (const [unit, ch] of [
        [1000, '千'],
        [100, '百'],
        [10, '十'],
        [1, ''],
      ] as const) {
        const d = Math.floor(n / unit) % 10;
        if (d === 0) {
          zero = parts.length > 0;
          continue;
        }
        if (zero) parts.push('零');
        zero = false;
        parts.push(digits[d]! + ch);
      }
      return parts.join('');
    };
    const write = (n: number): string =>
      n === 0
        ? '零'
        : n >= 1e4
          ? `${under1e4(Math.floor(n / 1e4))}万${n % 1e4 === 0 ? '' : (n % 1e4 < 1000 ? '零' : '') + under1e4(n % 1e4)}`
          : under1e4(n);
    fc.assert(fc.property(fc.integer({ min: 0, max: 99_999_999 }), (n) => value(write(n)) === n));
  });
});

describe('parseYuan / parseMultiple', () => {
  it('reads amounts and multiples', () => {
    expect(parseYuan('2万元')).toEqual({ ok: true, value: 20000 });
    expect(parseYuan('2000元')).toEqual({ ok: true, value: 2000 });
    expect(parseMultiple('一倍')).toEqual({ ok: true, value: 1 });
    expect(parseMultiple('三倍')).toEqual({ ok: true, value: 3 });
    expect(parseMultiple('3倍')).toEqual({ ok: true, value: 3 });
    expect(parseMultiple('三').ok).toBe(false);
  });
});
