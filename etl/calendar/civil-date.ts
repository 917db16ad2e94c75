/**
 * Calendar dates as plain day numbers (days since 1970-01-01), so no step ever consults the
 * host time zone. Instants are turned into dates in Asia/Shanghai explicitly.
 */

/** A calendar date written YYYY-MM-DD. */
export type IsoDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// An instant must carry its offset: a bare local time cannot be placed on a calendar honestly.
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

const MS_PER_DAY = 86_400_000;
// China has kept UTC+8 without daylight saving since 1991; the data starts long after.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function dayFromParts(year: number, month: number, day: number): number | null {
  if (!Number.isInteger(year) || year < 1900 || year > 2200) return null;
  if (!Number.isInteger(month) || month < 1 || month > 12) return null;
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) return null;
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** Day number of a YYYY-MM-DD date, or null when it is not a real date. */
export function parseIsoDate(text: string): number | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  return dayFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function formatDay(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function yearOfDay(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** ISO weekday: 1 = Monday … 7 = Sunday. 1970-01-01 was a Thursday. */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(day: number): boolean {
  return isoWeekday(day) >= 6;
}

export type InstantParse =
  | { ok: true; epochMs: number; shanghaiDay: number }
  | { ok: false; reason: string };

/**
 * Parses an ISO 8601 timestamp that carries an offset (Z or ±HH:MM) and returns the instant
 * plus its calendar day in Asia/Shanghai.
 */
export function parseInstant(text: string): InstantParse {
  const m = TIMESTAMP_RE.exec(text);
  if (!m) {
    return { ok: false, reason: 'expected ISO 8601 with offset, e.g. 2024-03-05T09:30:00+08:00' };
  }
  const [, y, mo, d, h, mi, s, frac, off] = m as unknown as string[];
  const day = dayFromParts(Number(y), Number(mo), Number(d));
  if (day === null) return { ok: false, reason: 'not a real calendar date' };
  const hour = Number(h), minute = Number(mi), second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: 'time of day out of range' };
  let offsetMs = 0;
  if (off !== 'Z') {
    const sign = off!.startsWith('-') ? -1 : 1;
    const oh = Number(off!.slice(1, 3)), om = Number(off!.slice(4, 6));
    if (oh > 14 || om > 59) return { ok: false, reason: 'offset out of range' };
    offsetMs = sign * (oh * 3_600_000 + om * 60_000);
  }
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const epochMs = day * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms - offsetMs;
  return { ok: true, epochMs, shanghaiDay: Math.floor((epochMs + SHANGHAI_OFFSET_MS) / MS_PER_DAY) };
}

/** The Asia/Shanghai calendar date of an ISO timestamp with offset, or null when unreadable. */
export function shanghaiDate(timestamp: string): IsoDate | null {
  const p = parseInstant(timestamp);
  return p.ok ? formatDay(p.shanghaiDay) : null;
}

/** Formats a Shanghai calendar day plus minutes after midnight as an ISO timestamp with +08:00. */
export function shanghaiTimestamp(day: number, minuteOfDay: number): string {
  const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
  const mm = String(minuteOfDay % 60).padStart(2, '0');
  return `${formatDay(day)}T${hh}:${mm}:00+08:00`;
}
