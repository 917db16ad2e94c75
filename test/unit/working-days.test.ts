import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calendarOrThrow, parseHolidayCalendar } from '../../etl/calendar/holiday-calendar.ts';
import { parseInstant, shanghaiDate } from '../../etl/calendar/civil-date.ts';
import { addWorkingDays, deadline, isWorkingDay, workingDaysBetween } from '../../etl/calendar/working-days.ts';

const text = readFileSync(new URL('../../data/holidays/cn.yaml', import.meta.url), 'utf8');
const cal = calendarOrThrow(parseHolidayCalendar(text, 'data/holidays/cn.yaml'));

describe('holiday calendar file', () => {
  it('covers 2018–2026 and names a gov.cn notice for every year', () => {
    expect(cal.years).toEqual([2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    for (const y of cal.years) {
      const s = cal.sources.get(y)!;
      expect(s[0]!.title).toBe(`国务院办公厅关于${y}年部分节假日安排的通知`);
      expect(s[0]!.url).toMatch(/^https?:\/\/www\.gov\.cn\//);
    }
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2024-02-04', true, 'makeup_workday'], // 春节调休 Sunday
    ['2024-09-14', true, 'makeup_workday'], // 中秋调休 Saturday
    ['2018-12-29', true, 'makeup_workday'], // set by the 2019 notice
    ['2024-10-01', false, 'holiday'],
    ['2024-10-04', false, 'holiday'], // a Friday inside National Day week
    ['2024-10-08', true, 'weekday'],
    ['2020-02-01', false, 'holiday'], // make-up Saturday cancelled by the 2020 extension notice
    ['2020-01-31', false, 'holiday'],
    ['2024-02-09', true, 'weekday'], // 除夕 2024: rest only "encouraged"
    ['2025-01-28', false, 'holiday'], // 除夕 2025: a statutory holiday since 国务院令第795号
    ['2024-06-08', false, 'weekend'],
    ['2026-02-28', true, 'makeup_workday'],
  ])('%s → working=%s (%s)', (date, working, day) => {
    expect(isWorkingDay(cal, date)).toMatchObject({ kind: 'ok', working, day });
  });

  it('reports years it does not know instead of guessing', () => {
    expect(isWorkingDay(cal, '2027-03-01')).toEqual({
      kind: 'uncovered',
      date: '2027-03-01',
      year: 2027,
      reason: 'year_absent',
    });
    expect(isWorkingDay(cal, '2017-06-01')).toMatchObject({ kind: 'uncovered', year: 2017 });
    // The 2027 notice may still move late-December 2026 days.
    expect(isWorkingDay(cal, '2026-12-28')).toMatchObject({
      kind: 'uncovered',
      year: 2027,
      reason: 'year_end_needs_next_year',
    });
    expect(isWorkingDay(cal, '2026-12-01')).toMatchObject({ kind: 'ok', working: true });
  });

  it('rejects non-dates', () => {
    expect(isWorkingDay(cal, '2024-02-30')).toMatchObject({ kind: 'invalid' });
  });
});

describe('workingDaysBetween (start excluded, end included)', () => {
  it('counts official working days in whole years', () => {
    expect(workingDaysBetween(cal, '2023-12-31', '2024-12-31')).toEqual({ kind: 'ok', days: 251 });
    expect(workingDaysBetween(cal, '2024-12-31', '2025-12-31')).toEqual({ kind: 'ok', days: 248 });
  });
  it('National Day week is not working time', () => {
    expect(workingDaysBetween(cal, '2024-09-30', '2024-10-08')).toEqual({ kind: 'ok', days: 1 });
    expect(workingDaysBetween(cal, '2024-09-30', '2024-09-30')).toEqual({ kind: 'ok', days: 0 });
  });
  it('is uncovered when the span leaves the calendar', () => {
    expect(workingDaysBetween(cal, '2026-11-01', '2027-01-10')).toMatchObject({ kind: 'uncovered', year: 2027 });
  });
  it('rejects reversed spans', () => {
    expect(workingDaysBetween(cal, '2024-10-08', '2024-10-01')).toMatchObject({ kind: 'invalid' });
  });
});

describe('addWorkingDays', () => {
  it('steps over National Day and onto make-up days', () => {
    expect(addWorkingDays(cal, '2024-09-27', 1)).toEqual({ kind: 'ok', date: '2024-09-29' });
    expect(addWorkingDays(cal, '2024-09-27', 2)).toEqual({ kind: 'ok', date: '2024-09-30' });
    expect(addWorkingDays(cal, '2024-09-27', 3)).toEqual({ kind: 'ok', date: '2024-10-08' });
    expect(addWorkingDays(cal, '2024-09-27', 0)).toEqual({ kind: 'ok', date: '2024-09-27' });
  });
  it('20 working days from a licence accepted just before Spring Festival 2024', () => {
    // Feb 2, Feb 4 (make-up Sunday), Feb 5–9, Feb 18 (make-up Sunday), Feb 19–Mar 1, Mar 4, Mar 5.
    expect(addWorkingDays(cal, '2024-02-01', 20)).toEqual({ kind: 'ok', date: '2024-03-05' });
  });
  it('is uncovered past the last covered notice', () => {
    expect(addWorkingDays(cal, '2026-12-01', 30)).toMatchObject({ kind: 'uncovered', year: 2027 });
  });
  it('is the inverse of workingDaysBetween', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2500 }), fc.integer({ min: 0, max: 120 }), (offset, n) => {
        const start = new Date(Date.UTC(2018, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
        const r = addWorkingDays(cal, start, n);
        if (r.kind !== 'ok') return r.kind === 'uncovered';
        const back = workingDaysBetween(cal, start, r.date);
        return back.kind === 'ok' && back.days === n && (n === 0 || isWorkingDay(cal, r.date).kind === 'ok');
      }),
    );
  });
});

describe('deadline', () => {
  it('a calendar-day limit ending on a holiday moves to the next working day', () => {
    expect(deadline(cal, '2024-09-20', { days: 11, unit: 'calendar' })).toEqual({ kind: 'ok', date: '2024-10-08' });
    expect(deadline(cal, '2024-03-01', { days: 45, unit: 'calendar' })).toEqual({ kind: 'ok', date: '2024-04-15' });
  });
});

describe('Asia/Shanghai dates from timestamps', () => {
  it('converts by the offset, never by the host zone', () => {
    expect(shanghaiDate('2024-09-30T17:00:00Z')).toBe('2024-10-01');
    expect(shanghaiDate('2024-09-30T15:59:59Z')).toBe('2024-09-30');
    expect(shanghaiDate('2024-10-01T00:30:00+08:00')).toBe('2024-10-01');
    expect(shanghaiDate('2024-09-30T12:00:00-05:00')).toBe('2024-10-01');
  });
  it('refuses timestamps without an offset or with impossible parts', () => {
    expect(shanghaiDate('2024-09-30T12:00:00')).toBeNull();
    expect(shanghaiDate('2024-02-30T12:00:00+08:00')).toBeNull();
    expect(parseInstant('2024-09-30T24:00:00+08:00').ok).toBe(false);
  });
});

describe('calendar file errors', () => {
  it('names the line of a weekday listed as a make-up day', () => {
    const bad = text.replace('work: [2024-02-04, 2024-02-18]', 'work: [2024-02-05, 2024-02-18]');
    const r = parseHolidayCalendar(bad, 'cn.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const line = bad.split('\n').findIndex((l) => l.includes('2024-02-05')) + 1;
      expect(r.issues[0]).toMatchObject({ line, message: expect.stringContaining('weekday') });
    }
  });
  it('refuses a year without a gov.cn source', () => {
    const bad = text.replace(
      'url: https://www.gov.cn/zhengce/content/202310/content_6911527.htm',
      'url: https://example.com/x',
    );
    const r = parseHolidayCalendar(bad, 'cn.yaml');
    expect(r.ok).toBe(false);
  });
});
