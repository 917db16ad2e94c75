/**
 * A corrections file (data/corrections/*.yaml): reviewed fixes a person made where the parser could not
 * read a bureau's list. The file names its bureau; the fixes follow the item, not the file: one entry
 * per fix names the item (code, or seq when the item has no code), the field, the damaged text it fixes
 * (`reads`: the precondition), the corrected value, why (with the evidence), who and when. Every version
 * of the bureau's list whose item still reads that text gets the fix. Pure: text in, entries out.
 */
import { z } from 'zod';
import { formatYamlIssue, readYaml, zodIssues, type YamlIssue } from './located-yaml.ts';
import { POWER_TYPES } from './list-types.ts';

/** Fields a correction may set, and the sub-item field (needs sub_no). */
export const CORRECTABLE_FIELDS = ['name', 'power_type', 'section', 'subject', 'level', 'code', 'sub_name'] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const entrySchema = z
  .object({
    code: z
      .string()
      .regex(/^[0-9A-Z]{31}$/, 'expected a full 31-character 地方权力编码')
      .optional(),
    seq: z.number().int().positive().optional(),
    sub_no: z.number().int().positive().optional(),
    field: z.enum(CORRECTABLE_FIELDS),
    /** The text as the parser reads it (empty when it reads nothing): the fix applies only while the item still reads this. */
    reads: z.string(),
    value: z.string().min(1, 'the corrected value may not be empty'),
    reason: z.string().min(20, 'say why, with the evidence (at least 20 characters)'),
    author: z.string().min(1),
    date,
  })
  .strict()
  .refine((e) => e.code !== undefined || e.seq !== undefined, 'name the item by code or seq (or both)')
  .refine(
    (e) => (e.field === 'sub_name') === (e.sub_no !== undefined),
    'sub_no is required for sub_name and only for it',
  )
  .refine((e) => e.field !== 'power_type' || (POWER_TYPES as readonly string[]).includes(e.value), {
    message: `power_type must be one of ${POWER_TYPES.join(', ')}`,
    path: ['value'],
  });

const fileSchema = z.object({ bureau: z.string().min(1), corrections: z.array(entrySchema) }).strict();

export type CorrectionEntry = z.infer<typeof entrySchema> & { source: string; line: number };

export type CorrectionsParse =
  | { ok: true; bureau: string; entries: CorrectionEntry[] }
  | { ok: false; issues: YamlIssue[] };

export function parseCorrections(text: string, source: string): CorrectionsParse {
  const { yaml, issues } = readYaml(text, source);
  if (issues.length) return { ok: false, issues };
  const parsed = fileSchema.safeParse(yaml.doc.toJS());
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, yaml, source) };
  const entries = parsed.data.corrections.map((e, i) => ({ ...e, source, line: yaml.lineOf(['corrections', i]) }));
  const seen = new Map<string, number>();
  const dup: YamlIssue[] = [];
  for (const e of entries) {
    const key = `${e.code ?? ''}|${e.seq ?? ''}|${e.field}|${e.sub_no ?? ''}`;
    const prev = seen.get(key);
    if (prev !== undefined)
      dup.push({
        source,
        line: e.line,
        path: 'field',
        message: `the same field of the same item is corrected on line ${prev} already`,
      });
    seen.set(key, e.line);
  }
  return dup.length ? { ok: false, issues: dup } : { ok: true, bureau: parsed.data.bureau, entries };
}

/** Parses or throws one error listing every problem as "file on line N (path): message". */
export function parseCorrectionsOrThrow(text: string, source: string): { bureau: string; entries: CorrectionEntry[] } {
  const r = parseCorrections(text, source);
  if (!r.ok) throw new Error(r.issues.map(formatYamlIssue).join('\n'));
  return r;
}
