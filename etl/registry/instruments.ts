/**
 * The instrument registry (data/instruments.yaml): every law, regulation and document the
 * list cites, with its version history. Parsing is pure; reading the file is the caller's job.
 * Errors name the YAML line so a reviewer can fix the entry.
 */
import { readYaml, zodIssues } from '../parse/located-yaml.ts';
import { z } from 'zod';
import { comparePartial } from '../legal/partial-date.ts';
import { normalizeTitle, parseDocNumbers } from '../parse/citation.ts';

export const INSTRUMENT_KINDS = ['法律', '法律解释', '行政法规', '部门规章', '地方性法规', '规范性文件'] as const;
export const EVENT_KINDS = ['adopted', 'promulgated', 'effective', 'amended', 'revised', 'issued'] as const;

const isoDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .pipe(z.string().regex(/^\d{4}(?:-\d{2}(?:-\d{2})?)?$/, 'a date written YYYY-MM-DD (or YYYY-MM, YYYY)'));

const eventSchema = z
  .object({
    event: z.enum(EVENT_KINDS),
    date: isoDate,
    by: z.string().optional(),
    ordinal: z.number().int().positive().optional(),
    doc_number: z.string().optional(),
    note: z.string().optional(),
    source: z.string().min(1).optional(),
    verified: z.literal(false).optional(),
  })
  .strict()
  .refine((e) => (e.source === undefined) !== (e.verified === undefined), {
    message: 'every dated fact needs a public source, or verified: false and no source',
  });

const instrumentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'kebab-case id'),
    title: z.string().min(1),
    aliases: z.array(z.string().min(1)).default([]),
    kind: z.enum(INSTRUMENT_KINDS),
    issuer: z.string().min(1),
    doc_number: z.string().optional(),
    status: z.enum(['in_force', 'repealed', 'unknown']),
    replaced_by: z.string().optional(),
    replaced_on: isoDate.optional(),
    source: z.string().optional(),
    events: z.array(eventSchema),
  })
  .strict();

const registrySchema = z.object({ instruments: z.array(instrumentSchema) }).strict();

export type Instrument = z.infer<typeof instrumentSchema>;
export type InstrumentEvent = z.infer<typeof eventSchema>;

export interface Registry {
  source: string;
  instruments: Instrument[];
}

export interface RegistryError {
  source: string;
  line: number | null;
  path: string;
  message: string;
}

export type RegistryResult = { ok: true; registry: Registry } | { ok: false; errors: RegistryError[] };

/** Parse and validate the registry YAML; all problems are reported at once, each with its line. */
export function parseRegistry(yamlText: string, source: string): RegistryResult {
  const { yaml, issues } = readYaml(yamlText, source);
  if (issues.length > 0) return { ok: false, errors: issues };
  const parsed = registrySchema.safeParse(yaml.doc.toJS());
  // Each problem points at the deepest node that exists, so a missing field names its parent's line.
  if (!parsed.success) return { ok: false, errors: zodIssues(parsed.error, yaml, source) };
  const errors: RegistryError[] = [];
  const registry = { source, instruments: parsed.data.instruments };
  const seen = new Map<string, string>();
  for (const [i, inst] of registry.instruments.entries()) {
    for (const name of [inst.title, ...inst.aliases]) {
      const key = normalizeTitle(name);
      const other = seen.get(key);
      if (other !== undefined && other !== inst.id) {
        errors.push({
          source,
          line: yaml.lineOf(['instruments', i]),
          path: `instruments.${i}`,
          message: `title or alias "${name}" already belongs to ${other}`,
        });
      }
      seen.set(key, inst.id);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, registry };
}

export function formatRegistryError(e: RegistryError): string {
  return `${e.source}${e.line === null ? '' : ` on line ${e.line}`}: ${e.path ? `field ${e.path}: ` : ''}${e.message}`;
}

/** The instrument a cited title names, by title or alias, ignoring spacing and bracket style. */
export function resolveInstrument(registry: Registry, citedTitle: string): Instrument | null {
  const key = normalizeTitle(citedTitle);
  return (
    registry.instruments.find(
      (i) => normalizeTitle(i.title) === key || i.aliases.some((a) => normalizeTitle(a) === key),
    ) ?? null
  );
}

/** What a citation is resolved on: its title key, how well the title was read, its doc numbers. */
export interface CitationKey {
  title_key: string;
  title_quality: 'ok' | 'cut' | 'doc_number_only';
  /** Normalised doc numbers as the citation gives them (国务院令第259号). */
  doc_numbers: readonly string[];
}

export interface RegistryIndex {
  byTitle: Map<string, string>;
  byDoc: Map<string, string>;
}

/** Title keys (titles and aliases) and doc numbers (the instrument's and its events') of each entry. */
export function registryIndex(
  entries: ReadonlyArray<{
    id: string;
    names: readonly string[];
    doc_numbers: ReadonlyArray<string | null | undefined>;
  }>,
): RegistryIndex {
  const byTitle = new Map<string, string>();
  const byDoc = new Map<string, string>();
  for (const e of entries) {
    for (const n of e.names) if (!byTitle.has(normalizeTitle(n))) byTitle.set(normalizeTitle(n), e.id);
    for (const d of e.doc_numbers) {
      const key = d ? parseDocNumbers(d)[0]?.normalized : null;
      if (key && !byDoc.has(key)) byDoc.set(key, e.id);
    }
  }
  return { byTitle, byDoc };
}

export function indexOfRegistry(registry: Registry): RegistryIndex {
  return registryIndex(
    registry.instruments.map((i) => ({
      id: i.id,
      names: [i.title, ...i.aliases],
      doc_numbers: [i.doc_number, ...i.events.map((e) => e.doc_number)],
    })),
  );
}

/**
 * The instrument a citation names: by its title or an alias; a title the OCR cut, by the one
 * registry title it begins; failing both, by a doc number the registry records. A legible title
 * that names a registered instrument is never overridden by its doc number (a wrong number is a
 * mismatch to report, not another instrument).
 */
export function resolveCitation(index: RegistryIndex, c: CitationKey): string | null {
  if (c.title_key !== '') {
    const exact = index.byTitle.get(c.title_key);
    if (exact) return exact;
    if (c.title_quality === 'cut' && c.title_key.length >= 4) {
      const ids = new Set([...index.byTitle].filter(([k]) => k.startsWith(c.title_key)).map(([, id]) => id));
      if (ids.size === 1) return [...ids][0]!;
    }
  }
  const byDoc = new Set(c.doc_numbers.map((d) => index.byDoc.get(d)).filter((id): id is string => id !== undefined));
  return byDoc.size === 1 ? [...byDoc][0]! : null;
}

/**
 * Amendments and revisions dated after `claimedDate`: a citation claiming an earlier version
 * cites a superseded text. Adoption vs promulgation dates of one version never count. Dates are
 * compared at the precision both share: "2015" does not precede 2015-04-24.
 */
export function laterVersions(instrument: Instrument, claimedDate: string): InstrumentEvent[] {
  return instrument.events.filter(
    (e) => (e.event === 'amended' || e.event === 'revised') && comparePartial(e.date, claimedDate) > 0,
  );
}
