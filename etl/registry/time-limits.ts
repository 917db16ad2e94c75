/**
 * The statutory time-limit registry (data/time-limits.yaml): which stage span of which items a
 * law bounds, by how many working or calendar days, and where that fact comes from.
 */
import { z } from 'zod';
import { formatYamlIssue, readYaml, zodIssues } from '../parse/located-yaml.ts';
import type { YamlIssue } from '../parse/located-yaml.ts';
import { STAGES } from '../parse/case-csv.ts';
import type { CaseStage } from '../parse/case-csv.ts';
import { POWER_TYPES } from '../parse/list-types.ts';
import type { PowerType } from '../parse/list-types.ts';

const unit = z.enum(['working', 'calendar']);
const stage = z.enum(STAGES);
const url = z.string().regex(/^https?:\/\/\S+$/, 'expected an http(s) address');

const limitSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'ids are lower-case words joined by -'),
    applies_to: z
      .object({
        power_types: z.array(z.enum(POWER_TYPES)).min(1),
        section_includes: z.string().min(1).optional(),
        name_includes: z.array(z.string().min(1)).min(1).optional(),
        item_codes: z
          .array(z.string().regex(/^[0-9A-Za-z]+$/))
          .min(1)
          .optional(),
      })
      .strict(),
    span: z
      .object({ from: stage, to: stage })
      .strict()
      .refine(
        (s) => STAGES.indexOf(s.from) < STAGES.indexOf(s.to),
        'span.from must come before span.to in the stage order',
      ),
    days: z.number().int().positive(),
    unit,
    /** The limit binds only spans starting on or after this date (the day its text took effect). */
    applies_from: z
      .object({
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD'),
        article: z.string().regex(/第.+条|令/, 'name the article (or the promulgating order) that sets the date'),
        checked_at: z.array(url).min(1, 'name at least one public copy where the text was read'),
      })
      .strict(),
    extension: z
      .object({ days: z.number().int().positive(), unit, approval: z.string().min(1) })
      .strict()
      .nullable(),
    note: z.string().optional(),
    source: z
      .object({
        instrument: z.string().min(1),
        article: z.string().regex(/第.+条/, 'name the article, e.g. 第四十二条'),
        checked_at: z.array(url).min(1, 'name at least one public copy where the text was read'),
      })
      .strict(),
    verified: z.boolean(),
  })
  .strict();

const fileSchema = z.object({ limits: z.array(limitSchema).min(1) }).strict();

export type TimeLimitEntry = z.infer<typeof limitSchema>;
export interface TimeLimit extends Omit<TimeLimitEntry, 'applies_from'> {
  /** Required in the file; absent only in a database loaded before it was. */
  applies_from?: TimeLimitEntry['applies_from'];
  /** Line in the YAML file where the entry starts, for messages. */
  line: number;
}

export type TimeLimitsParse = { ok: true; limits: TimeLimit[] } | { ok: false; issues: YamlIssue[] };

export function parseTimeLimits(text: string, source: string): TimeLimitsParse {
  const { yaml, issues } = readYaml(text, source);
  if (issues.length > 0) return { ok: false, issues };
  const parsed = fileSchema.safeParse(yaml.doc.toJS());
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, yaml, source) };
  const limits = parsed.data.limits.map((l, i) => ({ ...l, line: yaml.lineOf(['limits', i]) }));
  const seen = new Map<string, number>();
  const dup: YamlIssue[] = [];
  for (const l of limits) {
    const prev = seen.get(l.id);
    if (prev !== undefined)
      dup.push({ source, line: l.line, path: 'id', message: `id "${l.id}" already used on line ${prev}` });
    seen.set(l.id, l.line);
  }
  return dup.length ? { ok: false, issues: dup } : { ok: true, limits };
}

export function timeLimitsOrThrow(result: TimeLimitsParse): TimeLimit[] {
  if (result.ok) return result.limits;
  throw new Error(`time-limit registry is invalid:\n${result.issues.map(formatYamlIssue).join('\n')}`);
}

export interface LimitItem {
  code: string | null;
  power_type: PowerType | null;
  section: string | null;
  name: string;
}

function specificity(l: TimeLimit, item: LimitItem): number | null {
  const a = l.applies_to;
  if (a.item_codes) return item.code !== null && a.item_codes.includes(item.code) ? 3 : null;
  if (item.power_type === null || !a.power_types.includes(item.power_type)) return null;
  if (a.section_includes && !(item.section ?? '').includes(a.section_includes)) return null;
  if (a.name_includes) return a.name_includes.some((n) => item.name.includes(n)) ? 2 : null;
  return a.section_includes ? 1 : 0;
}

/**
 * The limits that bound an item's stage spans, one per span: the most specific entry wins,
 * the earlier entry in the file on a tie. Unverified entries are left out unless asked for.
 */
export function limitsForItem(
  limits: readonly TimeLimit[],
  item: LimitItem,
  opts: { includeUnverified?: boolean } = {},
): TimeLimit[] {
  const best = new Map<string, { limit: TimeLimit; score: number }>();
  for (const l of limits) {
    if (!l.verified && !opts.includeUnverified) continue;
    const score = specificity(l, item);
    if (score === null) continue;
    const key = `${l.span.from}>${l.span.to}`;
    const current = best.get(key);
    if (!current || score > current.score) best.set(key, { limit: l, score });
  }
  return [...best.values()]
    .map((b) => b.limit)
    .sort(
      (a, b) =>
        STAGES.indexOf(a.span.from) - STAGES.indexOf(b.span.from) ||
        STAGES.indexOf(a.span.to) - STAGES.indexOf(b.span.to),
    );
}

/** Whether a limit binds a span that starts on `fromDay` (YYYY-MM-DD): not before its text took effect. */
export function limitApplies(limit: Pick<TimeLimit, 'applies_from'>, fromDay: string): boolean {
  return limit.applies_from === undefined || fromDay >= limit.applies_from.date;
}

/** A limit's unit as the pages print it: 个工作日 for working days, 日 for calendar days. */
export function unitLabel(unit: TimeLimitEntry['unit']): string {
  return unit === 'working' ? '个工作日' : '日';
}

export type { CaseStage };
