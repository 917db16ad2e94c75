import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  beijingTime,
  chinaDate,
  dayFromParts,
  parseInstant,
  type InstantParse,
} from '../../etl/calendar/civil-date.ts';

// The accepted form, written as the regular expression the character-by-character reader replaces.
const FORM = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/** The reference definition: the regex, the date through Date.UTC, then the same range checks in the same order. */
function reference(text: string): InstantParse {
  const m = FORM.exec(text);
  if (!m) return { ok: false, reason: 'expected ISO 8601 with offset, e.g. 2024-03-05T09:30:00+08:00' };
  const [, y, mo, d, h, mi, s, frac, off] = m as unknown as string[];
  const year = Number(y),
    month = Number(mo),
    dd = Number(d);
  const valid =
    year >= 1900 &&
    year <= 2200 &&
    month >= 1 &&
    month <= 12 &&
    dd >= 1 &&
    dd <= new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!valid) return { ok: false, reason: 'not a real calendar date' };
  const hour = Number(h),
    minute = Number(mi),
    second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: 'time of day out of range' };
  let offsetMs = 0;
  if (off !== 'Z') {
    const oh = Number(off!.slice(1, 3)),
      om = Number(off!.slice(4, 6));
    if (oh > 14 || om > 59) return { ok: false, reason: 'offset out of range' };
    offsetMs = (off!.startsWith('-') ? -1 : 1) * (oh * 3_600_000 + om * 60_000);
  }
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const epochMs = Date.UTC(year, month - 1, dd) + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms - offsetMs;
  return { ok: true, epochMs, shanghaiDay: Math.floor((epochMs + 8 * 3_600_000) / 86_400_000) };
}

const digit = fc.constantFrom(...'0123456789');
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((a) => a.join(''));
/** Near misses of the form: every part optional, sometimes a stray character instead. */
const part = (good: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: fc.constantFrom('', 'x', '1', ' ', '٣', '-', ':') });
const timestamp = fc
  .tuple(
    part(digits(4)),
    part(fc.constant('-')),
    part(fc.oneof(digits(2), fc.constantFrom('01', '02', '12', '13'))),
    part(fc.constant('-')),
    part(fc.oneof(digits(2), fc.constantFrom('28', '29', '30', '31'))),
    part(fc.constantFrom('T', ' ')),
    part(digits(2)),
    part(fc.constant(':')),
    part(digits(2)),
    fc.option(
      fc.tuple(
        fc.constant(':'),
        part(digits(2)),
        fc.option(
          fc.tuple(
            fc.constant('.'),
            fc.integer({ min: 0, max: 11 }).chain((n) => digits(n)),
          ),
        ),
      ),
    ),
    part(
      fc.oneof(
        fc.constant('Z'),
        fc.tuple(fc.constantFrom('+', '-'), digits(2), fc.constantFrom(':', ''), digits(2)).map((a) => a.join('')),
      ),
    ),
  )
  .map((p) =>
    p
      .flat(3)
      .filter((x) => x !== null)
      .join(''),
  );

describe('parseInstant', () => {
  it('agrees with the regular-expression definition on well-formed and near-miss texts', () => {
    fc.assert(
      fc.property(timestamp, (t) => {
        expect(parseInstant(t)).toEqual(reference(t));
      }),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (t) => {
        expect(parseInstant(t)).toEqual(reference(t));
      }),
    );
  });
  it('reads the common forms exactly', () => {
    expect(parseInstant('2025-01-02T13:51:00+08:00')).toEqual({
      ok: true,
      epochMs: Date.UTC(2025, 0, 2, 5, 51),
      shanghaiDay: dayFromParts(2025, 1, 2),
    });
    expect(parseInstant('2024-02-29 23:59:59.999Z')).toMatchObject({
      ok: true,
      epochMs: Date.UTC(2024, 1, 29, 23, 59, 59, 999),
    });
    expect(parseInstant('2024-09-30T12:00-05:00')).toMatchObject({ ok: true, shanghaiDay: dayFromParts(2024, 10, 1) });
    expect(parseInstant('2023-02-29T10:00:00+08:00')).toEqual({ ok: false, reason: 'not a real calendar date' });
    // Day numbers of dates already read are kept: a date read before never stands in for another.
    expect(parseInstant('2025-01-05T00:00:00Z').ok).toBe(true);
    expect(parseInstant('2024-17-05T00:00:00Z')).toEqual({ ok: false, reason: 'not a real calendar date' });
    expect(parseInstant('2025-01-37T00:00:00Z')).toEqual({ ok: false, reason: 'not a real calendar date' });
    expect(parseInstant('2025-01-05T08:00:00+08:00')).toMatchObject({ epochMs: Date.UTC(2025, 0, 5) });
    expect(parseInstant('2024-09-30T12:00:00.1234567890+08:00').ok).toBe(false);
    expect(parseInstant('2024-09-30T12:00:00+15:00')).toEqual({ ok: false, reason: 'offset out of range' });
  });
  it('gives each month its length, leap years included', () => {
    for (let y = 1900; y <= 2200; y++) {
      for (let m = 1; m <= 12; m++) {
        const len = new Date(Date.UTC(y, m, 0)).getUTCDate();
        expect(dayFromParts(y, m, len)).toBe(Date.UTC(y, m - 1, len) / 86_400_000);
        expect(dayFromParts(y, m, 1)).toBe(Date.UTC(y, m - 1, 1) / 86_400_000);
        expect(dayFromParts(y, m, len + 1)).toBeNull();
      }
    }
  });
});

describe('instants in China', () => {
  it('gives the date and the Beijing time of an instant whatever the host zone', () => {
    expect(chinaDate(new Date('2025-12-31T15:59:59Z'))).toBe('2025-12-31');
    expect(chinaDate(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
    expect(beijingTime(new Date('2024-02-29T15:59:00Z'))).toBe('2024年02月29日 23:59');
    expect(beijingTime(new Date('1969-12-31T16:00:00Z'))).toBe('1970年01月01日 00:00');
  });
});
