/**
 * Calendar dates as plain day numbers (days since 1970-01-01), so no step ever consults the
 * host time zone. Instants are turned into dates in Asia/Shanghai explicitly.
 */

/** A calendar date written YYYY-MM-DD. */
export type IsoDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const MS_PER_DAY = 86_400_000;
// China has kept UTC+8 without daylight saving since 1991; the data starts long after.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

export function dayFromParts(year: number, month: number, day: number): number | null {
  if (!Number.isInteger(year) || year < 1900 || year > 2200) return null;
  if (!Number.isInteger(month) || month < 1 || month > 12) return null;
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) return null;
  // Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil), the
  // same number Date.UTC gives, without a call per timestamp.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
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

export type InstantParse = { ok: true; epochMs: number; shanghaiDay: number } | { ok: false; reason: string };

const BAD_FORM = 'expected ISO 8601 with offset, e.g. 2024-03-05T09:30:00+08:00';

/** The number written by `n` ASCII digits at `at`, or -1 when any of them is not a digit. */
function digitsAt(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = text.charCodeAt(i) - 48; // NaN past the end
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Parses an ISO 8601 timestamp that carries an offset (Z or ±HH:MM) and returns the instant
 * plus its calendar day in Asia/Shanghai. Accepted: YYYY-MM-DD, T or a space, HH:MM, optional
 * :SS with an optional fraction of 1 to 9 digits, then Z or ±HH:MM — an instant must carry its
 * offset: a bare local time cannot be placed on a calendar honestly.
 */
export function parseInstant(text: string): InstantParse {
  const epochMs = instantMs(text);
  if (Number.isNaN(epochMs)) return { ok: false, reason: lastReason };
  return { ok: true, epochMs, shanghaiDay: shanghaiDayOf(epochMs) };
}

/** The Asia/Shanghai day number of an instant. */
export function shanghaiDayOf(epochMs: number): number {
  return Math.floor((epochMs + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
}

/** "2026-11-29": the date of an instant in China, whatever the host's time zone. */
export function chinaDate(d: Date): IsoDate {
  return formatDay(shanghaiDayOf(d.getTime()));
}

/** "2026年01月01日 00:05": date and time of an instant in China (Beijing time), for documents. */
export function beijingTime(d: Date): string {
  const [y, m, day] = chinaDate(d).split('-');
  const minutes = Math.floor((d.getTime() + SHANGHAI_OFFSET_MS - shanghaiDayOf(d.getTime()) * MS_PER_DAY) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${y}年${m}月${day}日 ${hh}:${mm}`;
}

/** Why the last instantMs call gave NaN (read synchronously right after the call). */
let lastReason = '';
/** Day numbers of real dates instantMs read, by date key ((year × 128 + month) × 128 + day: one per two-digit month and day). */
const DATE_SLOTS = 4096;
const dateKeys = new Int32Array(DATE_SLOTS).fill(-1);
const dateDays = new Int32Array(DATE_SLOTS);

/**
 * parseInstant without an object per call, for loops over millions of timestamps: the instant in
 * epoch milliseconds, or NaN when parseInstant would refuse the text. Read character by character.
 */
export function instantMs(text: string): number {
  const n = text.length;
  const sep = text.charCodeAt(10);
  const y = digitsAt(text, 0, 4),
    mo = digitsAt(text, 5, 2),
    d = digitsAt(text, 8, 2);
  const h = digitsAt(text, 11, 2),
    mi = digitsAt(text, 14, 2);
  if (
    n < 17 ||
    y < 0 ||
    mo < 0 ||
    d < 0 ||
    h < 0 ||
    mi < 0 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    (sep !== 84 && sep !== 32) ||
    text.charCodeAt(13) !== 58
  ) {
    return refuse(BAD_FORM);
  }
  let at = 16,
    second = 0,
    frac = '';
  if (text.charCodeAt(at) === 58) {
    second = digitsAt(text, at + 1, 2);
    if (second < 0) return refuse(BAD_FORM);
    at += 3;
    if (text.charCodeAt(at) === 46) {
      let end = at + 1;
      while (end < n && end - at <= 9 && digitsAt(text, end, 1) >= 0) end++;
      if (end === at + 1) return refuse(BAD_FORM);
      frac = text.slice(at + 1, end);
      at = end;
    }
  }
  let offsetMs = 0,
    offsetOk = true;
  if (text.charCodeAt(at) === 90 && at + 1 === n) {
    // UTC
  } else {
    const sign = text.charCodeAt(at);
    const oh = digitsAt(text, at + 1, 2),
      om = digitsAt(text, at + 4, 2);
    if ((sign !== 43 && sign !== 45) || at + 6 !== n || oh < 0 || om < 0 || text.charCodeAt(at + 3) !== 58)
      return refuse(BAD_FORM);
    offsetOk = oh <= 14 && om <= 59;
    offsetMs = (sign === 45 ? -1 : 1) * (oh * 3_600_000 + om * 60_000);
  }
  // Timestamps of one export fall on a few thousand dates: their day numbers are kept in a small
  // direct-mapped table (a date's key is unique, so a slot holds its day or another date's).
  const key = (y * 128 + mo) * 128 + d;
  const slot = key & (DATE_SLOTS - 1);
  let day: number;
  if (dateKeys[slot] === key) day = dateDays[slot]!;
  else {
    const real = dayFromParts(y, mo, d);
    if (real === null) return refuse('not a real calendar date');
    day = real;
    dateKeys[slot] = key;
    dateDays[slot] = day;
  }
  if (h > 23 || mi > 59 || second > 59) return refuse('time of day out of range');
  if (!offsetOk) return refuse('offset out of range');
  const ms = frac === '' ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  return day * MS_PER_DAY + h * 3_600_000 + mi * 60_000 + second * 1000 + ms - offsetMs;
}

function refuse(reason: string): number {
  lastReason = reason;
  return NaN;
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
