/**
 * Per-file metadata of the lists (data/lists/lists.yaml): a label and the list's own date, the
 * date its citations are judged at. A date nobody has sourced is not invented: the file says
 * `list_date_basis: latest_cited_date` and the date is taken as the latest date the list itself
 * cites (a lower bound of when it was drawn up), and reported as such.
 */
import { formatYamlIssue, readYaml, zodIssues } from '../parse/located-yaml.ts';
import { z } from 'zod';
import { isPartialDate, latestPartial } from './partial-date.ts';

const dateText = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .refine(isPartialDate, 'a date written YYYY-MM-DD (or YYYY-MM, YYYY)');

const entrySchema = z
  .object({
    file: z.string().min(1),
    label: z.string().min(1),
    list_date: dateText.optional(),
    list_date_basis: z.enum(['stated', 'latest_cited_date']),
    source: z.string().min(1).optional(),
    verified: z.literal(false).optional(),
    note: z.string().optional(),
  })
  .strict()
  .refine((e) => (e.list_date_basis === 'stated') === (e.list_date !== undefined), {
    message: 'list_date is given exactly when list_date_basis is stated',
  })
  .refine((e) => e.list_date === undefined || (e.source === undefined) !== (e.verified === undefined), {
    message: 'a stated list_date needs a public source, or verified: false and no source',
  });

const fileSchema = z.object({ lists: z.array(entrySchema) }).strict();
export type ListMeta = z.infer<typeof entrySchema>;

export type ListMetaResult = { ok: true; lists: ListMeta[] } | { ok: false; errors: string[] };

export function parseListMeta(text: string, source: string): ListMetaResult {
  const { yaml, issues } = readYaml(text, source);
  if (issues.length) return { ok: false, errors: issues.map(formatYamlIssue) };
  const parsed = fileSchema.safeParse(yaml.doc.toJS());
  if (!parsed.success) return { ok: false, errors: zodIssues(parsed.error, yaml, source).map(formatYamlIssue) };
  return { ok: true, lists: parsed.data.lists };
}

export interface ListDate {
  date: string;
  /** given_at_load: `etl load --list-date` or a clean sheet's 发布日期 row; stated: data/lists/lists.yaml with its source. */
  basis: 'given_at_load' | 'stated' | 'latest_cited_date';
  source: string | null;
  verified: boolean;
}

/**
 * The date a list's citations are judged at: the date given at load, else the one lists.yaml states
 * with its source, else the latest date its
 * citations state; null when the list states no date at all (the caller must say so).
 */
export function resolveListDate(
  meta: Pick<ListMeta, 'list_date' | 'list_date_basis' | 'source'> | null,
  citedDates: Iterable<string>,
  givenAtLoad: string | null = null,
): ListDate | null {
  // The date whoever loaded the list gave for it (the bureau's own statement) comes first.
  if (givenAtLoad) return { date: givenAtLoad, basis: 'given_at_load', source: null, verified: true };
  if (meta?.list_date_basis === 'stated' && meta.list_date) {
    return { date: meta.list_date, basis: 'stated', source: meta.source ?? null, verified: meta.source !== undefined };
  }
  const latest = latestPartial(citedDates);
  return latest === null ? null : { date: latest, basis: 'latest_cited_date', source: null, verified: false };
}
