import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../etl/calendar/civil-date.ts';
import { calendarOrThrow, parseHolidayCalendar } from '../../etl/calendar/holiday-calendar.ts';
import { workingDaysBetween } from '../../etl/calendar/working-days.ts';
import { parseFineClauses } from '../../etl/parse/fine-clause.ts';
import { calendarRows } from '../../etl/timeliness/calendar-rows.ts';
import { fineRangeRows, judgeFine, rangeLabel, type FineRangeRow } from '../../etl/timeliness/fine-ranges.ts';
import { judgeSpan } from '../../etl/timeliness/judge-span.ts';
import { percentileFromHistogram } from '../../etl/timeliness/percentile.ts';
import { parseSpanKey, spanKey, spanLabel } from '../../etl/timeliness/stage-labels.ts';
import { ROOT } from '../helpers/test-db.ts';

const cal = calendarOrThrow(parseHolidayCalendar(readFileSync(join(ROOT, 'data/holidays/cn.yaml'), 'utf8'), 'cn.yaml'));
const day = (d: string) => parseIsoDate(d)!;

describe('calendarRows', () => {
  const rows = calendarRows(cal);
  const byDay = new Map(rows.map((r) => [r.day, r]));

  it("holds every covered day and none past the last notice's reach", () => {
    expect(rows[0]!.day).toBe('2018-01-01');
    // 2027 is absent, so 2026's last days (from 12-22) depend on an unknown notice.
    expect(rows[rows.length - 1]!.day).toBe('2026-12-21');
    expect(byDay.has('2026-12-22')).toBe(false);
    expect(new Set(rows.map((r) => r.run_start))).toEqual(new Set(['2018-01-01']));
  });

  it.each([
    ['2023-10-07', true, 'makeup_workday'],
    ['2023-10-02', false, 'holiday'],
    ['2023-10-14', false, 'weekend'],
    ['2023-10-09', true, 'weekday'],
  ] as const)('%s is working=%s (%s)', (d, working, kind) => {
    expect(byDay.get(d)).toMatchObject({ working, kind });
  });

  it('gives working days between two covered days by subtracting the index, as workingDaysBetween counts them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: rows.length - 1 }), fc.integer({ min: 0, max: 400 }), (i, span) => {
        const a = rows[i]!,
          b = rows[Math.min(rows.length - 1, i + span)]!;
        const expected = workingDaysBetween(cal, a.day, b.day);
        expect(expected.kind).toBe('ok');
        expect(b.wd_index - a.wd_index).toBe((expected as { days: number }).days);
      }),
    );
  });
});

describe('judgeSpan', () => {
  it.each([
    // 2023 National Day: 09-29..10-06 off, Saturday 10-07 and Sunday 10-08 worked.
    ['2023-09-28', '2023-10-09', 5, 'working', 'on_time', 3],
    ['2023-09-28', '2023-10-11', 5, 'working', 'on_time', 5],
    ['2023-09-28', '2023-10-12', 5, 'working', 'late', 6],
    // The 5th working day after Friday 2024-03-01 is Friday 03-08; the weekend after is late.
    ['2024-03-01', '2024-03-09', 5, 'working', 'late', 5],
    // 90 calendar days from 2023-10-09 end on Sunday 2024-01-07: the period runs to Monday.
    ['2023-10-09', '2024-01-08', 90, 'calendar', 'on_time', 64],
    ['2023-10-09', '2024-01-09', 90, 'calendar', 'late', 65],
  ] as const)('%s → %s, %i %s days: %s', (from, to, days, unit, kind, wd) => {
    expect(judgeSpan(cal, day(from), day(to), { days, unit })).toMatchObject({ kind, workingDays: wd });
  });

  describe('with an approved extension', () => {
    // 行政许可法 art. 42: 20 working days, +10 with approval. From Friday 2024-03-01 the 20th
    // working day is Friday 03-29, the 30th Monday 04-15 (清明 04-04..06 off, Sunday 04-07 worked).
    const licence = { days: 20, unit: 'working' as const, extension: { days: 10, unit: 'working' as const } };
    // 劳动争议调解仲裁法 art. 43: 45 days, +15 days with approval. 2024-03-01 + 45 = Monday 04-15;
    // + 15 = Tuesday 04-30.
    const arbitration = { days: 45, unit: 'calendar' as const, extension: { days: 15, unit: 'calendar' as const } };
    it.each([
      ['licence, within 20 + 10, approved in time', licence, '2024-04-15', '2024-03-25', 'on_time_extended', 'applied'],
      ['licence, within 20 + 10, not approved', licence, '2024-04-15', null, 'late', undefined],
      ['licence, past 20 + 10', licence, '2024-04-16', '2024-03-25', 'late', 'exceeded'],
      [
        'licence, approved the day after the 20th working day',
        licence,
        '2024-04-08',
        '2024-03-30',
        'late',
        'approved_late',
      ],
      ['licence, approved on the 20th working day', licence, '2024-04-08', '2024-03-29', 'on_time_extended', 'applied'],
      ['licence, within 20: the approval is not needed', licence, '2024-03-29', '2024-03-10', 'on_time', undefined],
      ['arbitration, within 45 + 15', arbitration, '2024-04-30', '2024-04-01', 'on_time_extended', 'applied'],
      ['arbitration, past 45 + 15', arbitration, '2024-05-06', '2024-04-01', 'late', 'exceeded'],
      [
        'no extension provision',
        { days: 20, unit: 'working' as const },
        '2024-04-15',
        '2024-03-25',
        'late',
        'no_provision',
      ],
    ] as const)('%s', (_, limit, to, approved, kind, extension) => {
      const v = judgeSpan(cal, day('2024-03-01'), day(to), limit, approved === null ? null : day(approved));
      expect(v.kind).toBe(kind);
      expect('extension' in v ? v.extension : undefined).toBe(extension);
    });
    it('runs the extension on in its own unit from the end of the original period', () => {
      // 45 days end Monday 04-15; the 10th working day after it is Sunday 04-28, worked for May Day.
      const mixed = { days: 45, unit: 'calendar' as const, extension: { days: 10, unit: 'working' as const } };
      expect(judgeSpan(cal, day('2024-03-01'), day('2024-04-28'), mixed, day('2024-04-01'))).toMatchObject({
        kind: 'on_time_extended',
        deadline: day('2024-04-28'),
      });
      expect(judgeSpan(cal, day('2024-03-01'), day('2024-04-29'), mixed, day('2024-04-01')).kind).toBe('late');
    });
  });

  it('reports a span in a year the calendar does not cover', () => {
    expect(judgeSpan(cal, day('2030-03-04'), day('2030-03-06'), { days: 5, unit: 'working' })).toEqual({
      kind: 'uncovered',
      year: 2030,
    });
    expect(judgeSpan(cal, day('2026-12-10'), day('2026-12-28'), { days: 20, unit: 'working' })).toEqual({
      kind: 'uncovered',
      year: 2027,
    });
  });
});

describe('fine ranges and verdicts', () => {
  const clause = (text: string) => fineRangeRows(parseFineClauses(text, { source: 't', line: 1 }).clauses);
  const fixed = clause('处2000元以上2万元以下的罚款');
  const perPerson = clause('按照受侵害的劳动者每人100元以上500元以下的标准计算，处以罚款');
  const multiple = clause('处骗取金额二倍以上五倍以下的罚款');
  const cappedMultiple = clause('处不超过违法所得三倍的罚款，但最高不得超过三万元');
  const cap = clause('可以处五万元以下的罚款');

  it('keeps each clause with its kind and a readable range', () => {
    expect(fixed).toEqual([
      expect.objectContaining({
        kind: 'fixed_range',
        min_yuan: 2000,
        max_yuan: 20000,
        per_person: false,
        label: '2000–2万 元',
      }),
    ]);
    expect(perPerson).toEqual([
      expect.objectContaining({
        kind: 'per_person_range',
        min_yuan: 100,
        max_yuan: 500,
        per_person: true,
        label: '每人 100–500 元',
      }),
    ]);
    expect(multiple).toEqual([
      expect.objectContaining({ kind: 'multiple', min_multiple: 2, max_multiple: 5, label: '基数的 2–5 倍' }),
    ]);
    expect(cap).toEqual([expect.objectContaining({ kind: 'cap_only', max_yuan: 50000, label: '5万 元以下' })]);
    expect(clause('并处以罚款')).toEqual([]);
  });

  it.each([
    ['fixed, inside', () => fixed, 5000, null, 'inside'],
    ['fixed, at the floor', () => fixed, 2000, null, 'inside'],
    ['fixed, below', () => fixed, 1999.5, null, 'below'],
    ['fixed, above', () => fixed, 30000, null, 'above'],
    ['per person × 3, inside', () => perPerson, 1200, 3, 'inside'],
    ['per person × 3, above', () => perPerson, 2000, 3, 'above'],
    ['per person × 3, below', () => perPerson, 200, 3, 'below'],
    ['per person without persons', () => perPerson, 1200, null, 'not_checkable'],
    ['multiple: base not in the data', () => multiple, 8000, null, 'not_checkable'],
    ['multiple above its own yuan cap', () => cappedMultiple, 40000, null, 'above'],
    ['cap only, under', () => cap, 100, null, 'inside'],
    ['cap only, above', () => cap, 60000, null, 'above'],
    ['no range at all', () => [] as FineRangeRow[], 500, null, 'no_range'],
    ['inside either of two ranges', () => [...fixed, ...perPerson], 1000, 3, 'inside'],
    [
      'between two ranges',
      () => [...clause('处1000元以上2000元以下的罚款'), ...clause('处5000元以上1万元以下的罚款')],
      3000,
      null,
      'outside',
    ],
    [
      'outside the fixed range but the multiple cannot say',
      () => [...fixed, ...multiple],
      50000,
      null,
      'not_checkable',
    ],
  ] as const)('%s', (_, ranges, fine, persons, verdict) => {
    expect(judgeFine(ranges(), fine, persons)).toBe(verdict);
  });

  it('labels open-ended and capped ranges', () => {
    expect(
      rangeLabel({
        kind: 'fixed_range',
        min_yuan: 5000,
        max_yuan: null,
        min_multiple: null,
        max_multiple: null,
        per_person: false,
      }),
    ).toBe('5000 元以上');
    expect(cappedMultiple[0]!.label).toBe('基数的 不超过 3 倍，最高 3万 元');
  });
});

describe('percentileFromHistogram', () => {
  const cont = (values: number[], p: number) => {
    const s = [...values].sort((a, b) => a - b);
    const pos = p * (s.length - 1);
    return s[Math.floor(pos)]! + (s[Math.ceil(pos)]! - s[Math.floor(pos)]!) * (pos - Math.floor(pos));
  };

  it('equals percentile_cont over the values the histogram counts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(0, 0.1, 0.5, 0.9, 1),
        (values, p) => {
          const bins = new Map<number, number>();
          for (const v of values) bins.set(v, (bins.get(v) ?? 0) + 1);
          const got = percentileFromHistogram(
            [...bins].map(([value, count]) => ({ value, count })),
            p,
          )!;
          expect(got).toBeCloseTo(cont(values, p), 9);
        },
      ),
    );
  });

  it('has no percentile of nothing, and refuses p outside 0..1', () => {
    expect(percentileFromHistogram([], 0.5)).toBeNull();
    expect(() => percentileFromHistogram([{ value: 1, count: 1 }], 1.5)).toThrow(/0\.\.1/);
  });
});

describe('span keys', () => {
  it('round-trips forward spans and refuses backward or unknown ones', () => {
    expect(spanKey('accepted', 'decided')).toBe('accepted-decided');
    expect(parseSpanKey('accepted-decided')).toEqual({ from: 'accepted', to: 'decided' });
    expect(parseSpanKey('decided-accepted')).toBeNull();
    expect(parseSpanKey('accepted-approved')).toBeNull();
    expect(spanLabel('received', 'accepted')).toBe('收件→受理');
  });
});
