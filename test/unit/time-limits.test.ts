import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../etl/calendar/civil-date.ts';
import { calendarOrThrow, parseHolidayCalendar } from '../../etl/calendar/holiday-calendar.ts';
import { judgeSpan } from '../../etl/timeliness/judge-span.ts';
import {
  limitApplies,
  limitsForItem,
  parseTimeLimits,
  timeLimitsOrThrow,
  unitLabel,
} from '../../etl/registry/time-limits.ts';

const text = readFileSync(new URL('../../data/time-limits.yaml', import.meta.url), 'utf8');
const limits = timeLimitsOrThrow(parseTimeLimits(text, 'data/time-limits.yaml'));
const byId = (id: string) => limits.find((l) => l.id === id)!;
const cal = calendarOrThrow(
  parseHolidayCalendar(readFileSync(new URL('../../data/holidays/cn.yaml', import.meta.url), 'utf8'), 'cn.yaml'),
);
const day = (d: string) => parseIsoDate(d)!;

describe('time-limit registry file', () => {
  it('parses and every entry names a source', () => {
    expect(limits.length).toBeGreaterThan(5);
    for (const l of limits) expect(l.source.checked_at.length).toBeGreaterThan(0);
  });

  it.each([
    ['licence-decide', 'accepted', 'decided', 20, 'working', 10],
    ['labour-inspection-investigate', 'accepted', 'investigated', 60, 'working', 30],
    ['arbitration-close', 'accepted', 'closed', 45, 'calendar', 15],
    ['injury-decide', 'accepted', 'decided', 60, 'calendar', null],
    ['penalty-decide', 'accepted', 'decided', 90, 'calendar', null],
    ['arbitration-accept-rules', 'received', 'accepted', 5, 'working', null],
  ])('%s: %s→%s %d %s days, extension %s', (id, from, to, days, unit, ext) => {
    const l = byId(id);
    expect(l).toMatchObject({ span: { from, to }, days, unit, verified: true });
    expect(l.extension?.days ?? null).toBe(ext);
  });
});

describe('when a limit applies, and its unit', () => {
  it('行政处罚法 art. 60 (90 days) and art. 61 (7 working days) bind only from 2021-07-15 (art. 86)', () => {
    for (const id of ['penalty-decide', 'penalty-serve']) {
      expect(byId(id).applies_from).toMatchObject({
        date: '2021-07-15',
        article: expect.stringContaining('第八十六条'),
      });
      expect(limitApplies(byId(id), '2021-07-14')).toBe(false);
      expect(limitApplies(byId(id), '2021-07-15')).toBe(true);
    }
  });
  it('every limit names the day its text took effect, with the article and where it was read', () => {
    for (const l of limits) {
      expect(l.applies_from, l.id).toMatchObject({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
      expect(l.applies_from!.checked_at.length, l.id).toBeGreaterThan(0);
    }
    expect(byId('licence-decide').applies_from?.date).toBe('2004-07-01');
    expect(limitApplies(byId('labour-inspection-accept'), '2005-01-31')).toBe(false);
    expect(limitApplies(byId('labour-inspection-accept'), '2005-02-01')).toBe(true);
  });
  it('the file is refused when a limit lacks applies_from, naming the line', () => {
    const without = text.replace(/^ {4}applies_from: .*\n/m, '');
    const parsed = parseTimeLimits(without, 'time-limits.yaml');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.issues[0]).toMatchObject({
        source: 'time-limits.yaml',
        path: expect.stringContaining('applies_from'),
      });
  });
  it('arbitration acceptance under 《劳动人事争议仲裁办案规则》: 5 working days (第三十条; 第八十条 says 5日 are working days)', () => {
    expect(byId('arbitration-accept-rules')).toMatchObject({
      days: 5,
      unit: 'working',
      verified: true,
      span: { from: 'received', to: 'accepted' },
      source: { article: expect.stringMatching(/第三十条.*第八十条/) },
      applies_from: { date: '2017-07-01', article: expect.stringContaining('第八十一条') },
    });
    const item = {
      code: null,
      power_type: '其他行政权力' as const,
      section: '劳动权益保障股',
      name: '劳动人事争议仲裁',
    };
    // The rules' entry ties with the law's (art. 29, 5 days) on specificity and comes first, so it judges.
    for (const opts of [{}, { includeUnverified: true }]) {
      expect(limitsForItem(limits, item, opts).map((l) => l.id)).toEqual([
        'arbitration-accept-rules',
        'arbitration-close',
      ]);
    }
  });
  it.each([
    // Received Friday 2024-09-27: working days 09-29 (Sunday, 调休), 09-30, 10-08, 10-09, 10-10 (National Day
    // 10-01..10-07 off). The 5th working day is Thursday 10-10; read as 5 calendar days the period would end
    // on 10-02, inside the break, and run only to Tuesday 10-08.
    ['2024-09-27', '2024-10-10', 'on_time', 5],
    ['2024-09-27', '2024-10-11', 'late', 6],
    // An ordinary weekend: received Thursday 2024-03-07, the 5th working day is Thursday 03-14.
    ['2024-03-07', '2024-03-14', 'on_time', 5],
    ['2024-03-07', '2024-03-15', 'late', 6],
  ] as const)('arbitration acceptance, received %s, accepted %s: %s (%i working days)', (from, to, kind, wd) => {
    const l = byId('arbitration-accept-rules');
    expect(judgeSpan(cal, day(from), day(to), { days: l.days, unit: l.unit })).toMatchObject({
      kind,
      workingDays: wd,
    });
    // Counted as the law's 5 calendar days, the National Day case would already be late on 10-10.
    if (from === '2024-09-27') {
      const law = byId('arbitration-accept');
      expect(judgeSpan(cal, day(from), day('2024-10-10'), { days: law.days, unit: law.unit }).kind).toBe('late');
    }
  });
  it('prints each unit as its own', () => {
    expect(`${byId('penalty-decide').days}${unitLabel(byId('penalty-decide').unit)}`).toBe('90日');
    expect(`${byId('licence-decide').days}${unitLabel(byId('licence-decide').unit)}`).toBe('20个工作日');
  });
});

describe('limitsForItem', () => {
  it('gives a licence the 行政许可法 spans', () => {
    const got = limitsForItem(limits, {
      code: null,
      power_type: '行政许可',
      section: '行政审批股',
      name: '人力资源服务许可',
    });
    expect(got.map((l) => l.id)).toEqual(['licence-accept', 'licence-decide']);
    const all = limitsForItem(
      limits,
      { code: null, power_type: '行政许可', section: null, name: 'x' },
      { includeUnverified: true },
    );
    expect(all.map((l) => l.id)).toContain('licence-serve');
  });

  it('a labour-inspection penalty gets both the inspection and the penalty-law limits', () => {
    const got = limitsForItem(limits, {
      code: null,
      power_type: '行政处罚',
      section: '劳动监察大队',
      name: '对用人单位违法延长劳动者工作时间的处罚',
    });
    expect(got.map((l) => l.id)).toEqual([
      'labour-inspection-accept',
      'labour-inspection-investigate',
      'penalty-decide',
      'penalty-serve',
    ]);
  });

  it('item names select item-specific limits', () => {
    const got = limitsForItem(limits, {
      code: null,
      power_type: '其他行政权力',
      section: '工伤保险股',
      name: '工伤认定',
    });
    expect(got.map((l) => l.id)).toEqual(['injury-accept', 'injury-decide']);
    expect(
      limitsForItem(limits, { code: null, power_type: '其他行政权力', section: null, name: '社会保险登记' }),
    ).toEqual([]);
  });
});

describe('registry errors', () => {
  it('says on which line a bad value sits', () => {
    const bad = text.replace('    days: 45\n', '    days: forty-five\n');
    const r = parseTimeLimits(bad, 'tl.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const line = bad.split('\n').indexOf('    days: forty-five') + 1;
      expect(r.issues[0]).toMatchObject({ source: 'tl.yaml', line, path: expect.stringContaining('days') });
    }
  });
  it('refuses a span that runs backwards and an unknown power type', () => {
    expect(
      parseTimeLimits(text.replace('span: { from: decided, to: served }', 'span: { from: served, to: decided }'), 't')
        .ok,
    ).toBe(false);
    expect(parseTimeLimits(text.replace('power_types: [行政许可]', 'power_types: [行政许]'), 't').ok).toBe(false);
  });
  it('refuses duplicate ids', () => {
    const r = parseTimeLimits(text.replace('id: licence-serve', 'id: licence-decide'), 't');
    expect(!r.ok && r.issues[0]!.message).toMatch(/already used on line/);
  });
});
