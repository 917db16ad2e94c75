/**
 * Dates as precise as their source: "2015", "2015-04", "2015-04-24". A citation that says
 * "2015年修订" names the same version as a registry entry dated 2015-04-24, so comparisons are
 * made at the precision both dates share, and "the same" at that precision is not "later".
 */

const PARTIAL = /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/;

export function isPartialDate(s: string): boolean {
  return PARTIAL.test(s);
}

/** -1, 0 or 1 comparing a and b at the precision both share (year, month or day). */
export function comparePartial(a: string, b: string): -1 | 0 | 1 {
  const n = Math.min(a.length, b.length);
  const x = a.slice(0, n);
  const y = b.slice(0, n);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The latest of the dates by plain order (a fuller date wins a tie with its own prefix). */
export function latestPartial(dates: Iterable<string>): string | null {
  let latest: string | null = null;
  for (const d of dates) {
    if (latest === null || d > latest) latest = d;
  }
  return latest;
}
