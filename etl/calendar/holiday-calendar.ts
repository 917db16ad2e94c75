/**
 * Parses data/holidays/cn.yaml into a calendar index: which dates are official rest days,
 * which weekend days are make-up working days, and which years the file covers at all.
 */
import { z } from 'zod';
import { dayFromParts, formatDay, isWeekend, isoWeekday, parseIsoDate, yearOfDay } from './civil-date.ts';
import { formatYamlIssue, readYaml, zodIssues } from '../parse/located-yaml.ts';
import type { YamlIssue } from '../parse/located-yaml.ts';

export interface NoticeSource {
  title: string;
  doc_no: string;
  signed: string;
  url: string;
  changes?: string;
}

export type DayOverride = { kind: 'holiday' | 'makeup_workday'; name: string; noticeYear: number };

export interface HolidayCalendar {
  readonly country: string;
  readonly timezone: string;
  /** Notice years present in the file, ascending. */
  readonly years: readonly number[];
  readonly sources: ReadonlyMap<number, readonly NoticeSource[]>;
  /** Day number → override; days absent here follow the weekend rule. */
  readonly overrides: ReadonlyMap<number, DayOverride>;
  /** Month-day from which a year's last days also depend on the next year's notice. */
  readonly yearEndDependsFrom: { month: number; day: number };
  /** Prefix sums of working days over [baseDay, baseDay + prefix.length). */
  readonly baseDay: number;
  readonly prefix: Int32Array;
}

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const OFF = z.string().regex(/^\d{4}-\d{2}-\d{2}(\.\.\d{4}-\d{2}-\d{2})?$/, 'expected a date or a range "from..to"');

const schema = z
  .object({
    country: z.string().min(1),
    timezone: z.literal('Asia/Shanghai'),
    year_end_depends_from: z.string().regex(/^\d{2}-\d{2}$/, 'expected MM-DD'),
    years: z.record(
      z.string().regex(/^\d{4}$/, 'year keys are four digits'),
      z
        .object({
          sources: z
            .array(
              z
                .object({
                  title: z.string().min(1),
                  doc_no: z
                    .string()
                    .regex(/^国办发明电〔\d{4}〕\d+号$/, 'expected a document number like 国办发明电〔2023〕7号'),
                  signed: DATE,
                  url: z.string().regex(/^https?:\/\/www\.gov\.cn\//, 'the source must be a gov.cn address'),
                  changes: z.string().optional(),
                })
                .strict(),
            )
            .min(1, 'every year needs its notice'),
          festivals: z
            .array(z.object({ name: z.string().min(1), off: OFF, work: z.array(DATE).optional() }).strict())
            .min(1),
        })
        .strict(),
    ),
  })
  .strict();

export type CalendarParse = { ok: true; calendar: HolidayCalendar } | { ok: false; issues: YamlIssue[] };

export function parseHolidayCalendar(text: string, source: string): CalendarParse {
  const { yaml, issues } = readYaml(text, source);
  if (issues.length > 0) return { ok: false, issues };
  const parsed = schema.safeParse(yaml.doc.toJS());
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, yaml, source) };
  const data = parsed.data;

  const problems: YamlIssue[] = [];
  const at = (path: PropertyKey[], message: string) =>
    problems.push({ source, line: yaml.lineOf(path), path: path.map(String).join('.'), message });

  const overrides = new Map<number, DayOverride>();
  const sources = new Map<number, readonly NoticeSource[]>();
  for (const [yearKey, entry] of Object.entries(data.years)) {
    const year = Number(yearKey);
    sources.set(year, entry.sources);
    entry.festivals.forEach((festival, fi) => {
      const base: PropertyKey[] = ['years', year, 'festivals', fi];
      const [fromText, toText] = festival.off.split('..') as [string, string | undefined];
      const from = parseIsoDate(fromText);
      const to = parseIsoDate(toText ?? fromText);
      if (from === null || to === null || to < from)
        return at([...base, 'off'], `"${festival.off}" is not a valid date range`);
      // A notice for year Y only moves days of Y and the last days of Y-1 (its 元旦 bridge).
      if (yearOfDay(to) !== year || yearOfDay(from) < year - 1)
        at([...base, 'off'], `${festival.off} lies outside the ${year} notice's reach`);
      const put = (day: number, kind: DayOverride['kind'], path: PropertyKey[]) => {
        const prev = overrides.get(day);
        if (prev) return at(path, `${formatDay(day)} is already listed (${prev.name}, ${prev.kind})`);
        overrides.set(day, { kind, name: festival.name, noticeYear: year });
      };
      for (let d = from; d <= to; d++) put(d, 'holiday', [...base, 'off']);
      (festival.work ?? []).forEach((w, wi) => {
        const day = parseIsoDate(w);
        if (day === null) return at([...base, 'work', wi], `"${w}" is not a real date`);
        // Make-up working days are by definition weekend days; a weekday here is a typo.
        if (!isWeekend(day))
          return at([...base, 'work', wi], `${w} is a weekday (ISO ${isoWeekday(day)}), not a make-up working day`);
        put(day, 'makeup_workday', [...base, 'work', wi]);
      });
    });
  }

  const [mm, dd] = data.year_end_depends_from.split('-').map(Number) as [number, number];
  if (dayFromParts(2001, mm, dd) === null)
    at(['year_end_depends_from'], `${data.year_end_depends_from} is not a month-day`);
  if (problems.length > 0) return { ok: false, issues: problems };

  const years = [...sources.keys()].sort((a, b) => a - b);
  const baseDay = dayFromParts(years[0]! - 1, 1, 1)!;
  const endDay = dayFromParts(years[years.length - 1]! + 1, 12, 31)!;
  const prefix = new Int32Array(endDay - baseDay + 1);
  let count = 0;
  for (let d = baseDay; d <= endDay; d++) {
    const o = overrides.get(d);
    const working = o ? o.kind === 'makeup_workday' : !isWeekend(d);
    if (working) count++;
    prefix[d - baseDay] = count;
  }

  return {
    ok: true,
    calendar: {
      country: data.country,
      timezone: data.timezone,
      years,
      sources,
      overrides,
      yearEndDependsFrom: { month: mm, day: dd },
      baseDay,
      prefix,
    },
  };
}

/** For callers that treat a broken calendar file as fatal: one message listing every issue. */
export function calendarOrThrow(result: CalendarParse): HolidayCalendar {
  if (result.ok) return result.calendar;
  throw new Error(`holiday calendar is invalid:\n${result.issues.map(formatYamlIssue).join('\n')}`);
}
