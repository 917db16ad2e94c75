import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calendarOrThrow, parseHolidayCalendar } from '../../etl/calendar/holiday-calendar.ts';
import { shanghaiDate } from '../../etl/calendar/civil-date.ts';
import { deadline, isWorkingDay } from '../../etl/calendar/working-days.ts';
import { CASE_COLUMNS_WITH_EXTENSION, checkCaseCsvHeader, validateCaseRow } from '../../etl/parse/case-csv.ts';
import { limitsForItem, parseTimeLimits, timeLimitsOrThrow } from '../../etl/registry/time-limits.ts';
import { judgeSpan } from '../../etl/timeliness/judge-span.ts';
import { parseIsoDate } from '../../etl/calendar/civil-date.ts';
import { createRng } from '../../etl/generate/prng.ts';
import { csvHeaderLine, syntheticCases, toCsvLine } from '../../etl/generate/synthetic-cases.ts';
import type { FineRange, SyntheticCase, SyntheticItem } from '../../etl/generate/synthetic-cases.ts';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
const calendar = calendarOrThrow(parseHolidayCalendar(read('data/holidays/cn.yaml'), 'cn.yaml'));
const limits = timeLimitsOrThrow(parseTimeLimits(read('data/time-limits.yaml'), 'time-limits.yaml'));

const C = '11622301566438677P';
const items: SyntheticItem[] = [
  { code: `${C}4620114001000`, seq: 1, power_type: '行政许可', section: '行政审批股', name: '人力资源服务许可' },
  {
    code: `${C}4620214010000`,
    seq: 13,
    power_type: '行政处罚',
    section: '劳动监察大队',
    name: '对用人单位违法延长劳动者工作时间的处罚',
  },
  {
    code: `${C}4620214003000`,
    seq: 6,
    power_type: '行政处罚',
    section: '劳动监察大队',
    name: '对用人单位违反劳动合同法有关建立职工名册规定的处罚',
  },
  {
    code: `${C}4621014001000`,
    seq: 40,
    power_type: '其他行政权力',
    section: '社会保险股',
    name: '社会保险登记',
    sub_codes: [`${C}4621014001001`, `${C}4621014001002`],
  },
  { code: `${C}4621014004000`, seq: 43, power_type: '其他行政权力', section: '社会保险股', name: '养老保险待遇核准' },
  { code: `${C}4621014099000`, seq: 145, power_type: '其他行政权力', section: '工伤保险股', name: '工伤认定' },
];
const fineRanges: Record<string, FineRange> = {
  [`${C}4620214010000`]: { kind: 'per_person_range', min_yuan: 100, max_yuan: 500 },
  [`${C}4620214003000`]: { kind: 'fixed_range', min_yuan: 2000, max_yuan: 20000 },
};
const base = { items, seed: 42, rows: 20_000, year: 2024, calendar, limits, fineRanges, bureauId: C };
const all = (o = base) => [...syntheticCases(o)];
const cases = all();

const known = new Set(items.flatMap((i) => [i.code, ...(i.sub_codes ?? [])]));
const ctx = {
  columns: CASE_COLUMNS_WITH_EXTENSION,
  lookupItem: (code: string, sub: string | null) => {
    const item = items.find((i) => i.code === code);
    return item && (sub === null || known.has(sub)) ? { power_type: item.power_type } : null;
  },
};

describe('prng', () => {
  it('is reproducible from its seed and spreads evenly', () => {
    const a = createRng('x'),
      b = createRng('x');
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
  });
});

describe('syntheticCases', () => {
  it('is deterministic for a seed and changes with it', () => {
    const again = all().slice(0, 500).map(toCsvLine);
    expect(again).toEqual(cases.slice(0, 500).map(toCsvLine));
    expect(
      all({ ...base, seed: 43 })
        .slice(0, 50)
        .map(toCsvLine),
    ).not.toEqual(again.slice(0, 50));
  });

  it('every row is marked synthetic and passes the case CSV validator', () => {
    expect(checkCaseCsvHeader(csvHeaderLine().split(','))).toEqual({ ok: true, columns: CASE_COLUMNS_WITH_EXTENSION });
    cases.forEach((c, i) => {
      expect(c.synthetic).toBe(true);
      const r = validateCaseRow(toCsvLine(c).split(','), i + 2, ctx);
      if ('errors' in r) throw new Error(JSON.stringify(r.errors));
    });
  });

  it('receipts fall on working days of the year, in time order', () => {
    let prev = '';
    for (const c of cases) {
      const first = (c.times.received ?? c.times.accepted)!;
      const d = shanghaiDate(first)!;
      expect(d.startsWith('2024-')).toBe(true);
      expect(isWorkingDay(calendar, d)).toMatchObject({ kind: 'ok', working: true });
      expect(d >= prev).toBe(true);
      prev = d;
    }
  });

  it('volumes are skewed: registrations and benefits far outnumber penalties', () => {
    const count = (code: string) => cases.filter((c) => c.item_code === code).length;
    const penalties = count(items[1]!.code) + count(items[2]!.code);
    expect(count(items[3]!.code) + count(items[4]!.code)).toBeGreaterThan(10 * penalties);
    expect(penalties).toBeGreaterThan(0);
  });

  it('most stage spans are on time and some are late', () => {
    let onTime = 0,
      late = 0;
    for (const c of cases) {
      const item = items.find((i) => i.code === c.item_code)!;
      for (const l of limitsForItem(limits, item)) {
        const from = c.times[l.span.from],
          to = c.times[l.span.to];
        if (!from || !to) continue;
        const due = deadline(calendar, shanghaiDate(from)!, l);
        if (due.kind !== 'ok') continue;
        if (shanghaiDate(to)! <= due.date) onTime++;
        else late++;
      }
    }
    const share = late / (onTime + late);
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.25);
  });

  it('approves an extension exactly for the cases it ends inside one, and those are on time within it', () => {
    const day = (ts: string) => parseIsoDate(shanghaiDate(ts) ?? ts)!;
    let extended = 0,
      approvals = 0;
    for (const c of cases) {
      const item = items.find((i) => i.code === c.item_code)!;
      const approved = c.extension_approved_at === null ? null : parseIsoDate(c.extension_approved_at)!;
      if (approved !== null) {
        approvals++;
        expect(approved).toBeGreaterThanOrEqual(day((c.times.received ?? c.times.accepted)!));
      }
      const kinds: string[] = [];
      for (const l of limitsForItem(limits, item)) {
        const from = c.times[l.span.from],
          to = c.times[l.span.to];
        if (!from || !to) continue;
        const v = judgeSpan(calendar, day(from), day(to), l, approved);
        kinds.push(v.kind);
        // Approved in good time. (A later span without an extension provision may still be late:
        // 劳动监察 investigations extended past 60 working days overrun 行政处罚法's 90 days to decide.)
        if (v.kind === 'late') expect(v.extension).not.toBe('approved_late');
      }
      if (kinds.includes('on_time_extended')) extended++;
      if (approved !== null && c.outcome !== 'pending') expect(kinds).toContain('on_time_extended');
    }
    expect(extended).toBeGreaterThan(20);
    expect(approvals).toBeGreaterThanOrEqual(extended);
    // Same seed, same approvals.
    expect(all().map((c) => c.extension_approved_at)).toEqual(cases.map((c) => c.extension_approved_at));
  });

  it('fines mostly sit inside the statutory range, a few outside; per-person fines carry persons', () => {
    const penalized = (code: string) => cases.filter((c) => c.item_code === code && c.outcome === 'penalized');
    const fixed = penalized(items[2]!.code);
    const inside = fixed.filter((c) => c.fine_yuan! >= 2000 && c.fine_yuan! <= 20000).length;
    expect(inside / fixed.length).toBeGreaterThan(0.85);
    expect(inside).toBeLessThan(fixed.length);
    const perPerson = penalized(items[1]!.code);
    expect(perPerson.length).toBeGreaterThan(0);
    for (const c of perPerson) expect(c.persons).toBeGreaterThanOrEqual(1);
    const perHead = perPerson.map((c: SyntheticCase) => c.fine_yuan! / c.persons!);
    expect(perHead.filter((x) => x >= 100 && x <= 500).length / perHead.length).toBeGreaterThan(0.85);
  });

  it('streams: the first rows of a 5,000,000-row run come out at once', () => {
    const it5m = syntheticCases({ ...base, rows: 5_000_000 });
    const first = [it5m.next().value, it5m.next().value] as SyntheticCase[];
    expect(first[0]!.case_id).toBe('SYN-2024-0000001');
    expect(first[1]!.case_id).toBe('SYN-2024-0000002');
  });

  it('refuses a year the calendar does not cover', () => {
    expect(() => all({ ...base, year: 2030 })).toThrow(/does not cover 2030/);
  });

  it('quotes CSV cells that need it', () => {
    const c = { ...cases[0]!, case_id: 'a,"b"' };
    expect(toCsvLine(c).startsWith('"a,""b"""')).toBe(true);
  });
});
