/**
 * Legal basis endpoints: citations with their status against the instrument registry, the
 * registry with citation counts, fine clauses, and the flagged citations as an xlsx workbook.
 * Citation statuses are computed per request from the registry as loaded and the "today" of
 * the request (?today=YYYY-MM-DD, default the server's date in China): never frozen at load.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import {
  CITATION_STATUSES,
  citationStatuses,
  citedVersion,
  isFlagged,
  needsAction,
  type CitationStatusResult,
  type CitationStatus,
  type RegistryInstrumentFact,
  type VersionRef,
} from '../../etl/legal/citation-status.ts';
import { resolveListDate, type ListDate } from '../../etl/legal/list-meta.ts';
import { chinaDate } from '../../etl/calendar/civil-date.ts';
import { reviewWorkbook } from '../../etl/legal/review-workbook.ts';
import type { AppDeps } from '../app-deps.ts';
import type { Db } from '../../db/connect.ts';
import { formatSchema, sendTable, type Format, type TableSpec } from '../table-reply.ts';
import { resolveVersion, versionSchema } from './version.ts';

const CITATION_SPEC = {
  seq: 'int', citation_no: 'int', code: 'string', name: 'string', section: 'string',
  instrument_id: 'string', instrument_title: 'string', instrument_label: 'string', instrument_kind: 'string',
  title: 'string', cited_title: 'string', form: 'string', doc_numbers: 'string', articles: 'string',
  claimed_version_date: 'string', cited_version: 'string', list_date: 'string', list_date_basis: 'string',
  status_list: 'string', status_list_verified: 'bool', newer_list_date: 'string',
  status_now: 'string', status_now_verified: 'bool', newer_now_date: 'string', newer_now_event: 'string',
  newer_now_by: 'string', newer_now_count: 'int', repealed_by: 'string', repealed_on: 'string',
  inconsistent: 'bool', versions_in_list: 'string', newer_cited_by: 'string', latest_version_date: 'string', latest_version_event: 'string',
  claimed_date_in_registry: 'bool', doc_number_mismatch: 'string', doc_number_belongs_to: 'string', version_to_cite: 'string',
  title_quality: 'string', verified: 'bool', source_url: 'string', flagged: 'bool', needs_action: 'bool',
  passage: 'string', source_lines: 'string', registry_line: 'int',
} as const satisfies TableSpec;

const INSTRUMENT_SPEC = {
  instrument_id: 'string', title: 'string', kind: 'string', issuer: 'string', doc_number: 'string', status: 'string',
  replaced_by: 'string', replaced_on: 'string', in_registry: 'bool', versions: 'int', latest_version_date: 'string',
  latest_version_event: 'string', latest_version_verified: 'bool', dated_facts: 'int', unverified_facts: 'int',
  verified: 'bool', source: 'string', citations: 'int', citing_items: 'int', versions_in_list: 'string', several_versions: 'bool',
  registry_line: 'int',
} as const satisfies TableSpec;

const FINE_SPEC = {
  seq: 'int', clause_no: 'int', code: 'string', name: 'string', section: 'string', power_type: 'string', kind: 'string',
  min_yuan: 'float', max_yuan: 'float', min_multiple: 'float', max_multiple: 'float', base: 'string', base_key: 'string',
  per: 'string', target: 'string', condition: 'string', clause_text: 'string', source_lines: 'string',
} as const satisfies TableSpec;

const FINE_KINDS = ['fixed_range', 'per_person_range', 'multiple', 'cap_only', 'unspecified'] as const;
const todaySchema = { today: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } } as const;
const citationFilters = {
  status: { type: 'string', enum: [...CITATION_STATUSES] },
  instrument: { type: 'string', maxLength: 200 },
  section: { type: 'string', maxLength: 100 },
  flagged: { type: 'boolean' },
} as const;

interface CitationQuery {
  format?: Format;
  version?: number;
  today?: string;
  status?: CitationStatus;
  instrument?: string;
  section?: string;
  flagged?: boolean;
}

function filterCitations(rows: CitationRow[], q: CitationQuery): CitationRow[] {
  return rows.filter(
    (r) =>
      (q.status === undefined || r.status_now === q.status || r.status_list === q.status) &&
      (q.instrument === undefined || r.instrument_id === q.instrument || r.instrument_label === q.instrument) &&
      (q.section === undefined || r.section === q.section) &&
      (q.flagged === undefined || r.flagged === q.flagged),
  );
}

export function legalRoutes(app: FastifyInstance, { db, bureauId, now = () => new Date() }: AppDeps) {
  // "Today" for statuses: asked for explicitly, else the injected clock's date in China.
  const todayOf = (q: { today?: string }) => q.today ?? chinaDate(now());

  app.get<{ Querystring: CitationQuery }>(
    '/api/citations',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...formatSchema, ...versionSchema, ...todaySchema, ...citationFilters } } } },
    async (req, reply) => {
      const version = await resolveVersion(db, bureauId, req.query.version);
      const { rows } = await citationRows(db, bureauId, version, todayOf(req.query));
      return sendTable(reply, flaggedFirst(filterCitations(rows, req.query)), CITATION_SPEC, req.query.format);
    },
  );

  app.get<{ Querystring: CitationQuery }>(
    '/api/citations/export.xlsx',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...versionSchema, ...todaySchema, ...citationFilters } } } },
    async (req, reply) => {
      const version = await resolveVersion(db, bureauId, req.query.version);
      const today = todayOf(req.query);
      const { rows, listDate } = await citationRows(db, bureauId, version, today);
      const flagged = reviewOrder(filterCitations(rows, { flagged: true, ...req.query }));
      const label = await db.kysely.selectFrom('list_version').select('label').where('bureau_id', '=', bureauId).where('version_id', '=', version).executeTakeFirstOrThrow();
      const buffer = await reviewWorkbook(flagged, { listLabel: label.label, listDate: listDate?.date ?? null, listDateBasis: listDate?.basis ?? null, today });
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="citations-v${version}-${today}.xlsx"`)
        .send(buffer);
    },
  );

  app.get<{ Querystring: { format?: Format; version?: number } }>(
    '/api/instruments',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...formatSchema, ...versionSchema } } } },
    async (req, reply) => {
      const version = await resolveVersion(db, bureauId, req.query.version);
      return sendTable(reply, await instrumentRows(db, bureauId, version), INSTRUMENT_SPEC, req.query.format);
    },
  );

  app.get<{ Querystring: { format?: Format; version?: number; kind?: string; section?: string } }>(
    '/api/fines',
    {
      schema: {
        querystring: {
          type: 'object', additionalProperties: false,
          properties: { ...formatSchema, ...versionSchema, kind: { type: 'string', enum: [...FINE_KINDS] }, section: { type: 'string', maxLength: 100 } },
        },
      },
    },
    async (req, reply) => {
      const version = await resolveVersion(db, bureauId, req.query.version);
      let q = db.kysely
        .selectFrom('fine_clause as f')
        .innerJoin('item as i', (j) => j.onRef('i.bureau_id', '=', 'f.bureau_id').onRef('i.version_id', '=', 'f.version_id').onRef('i.seq', '=', 'f.seq'))
        .select([
          'f.seq', 'f.clause_no', sql<string | null>`coalesce(i.code, i.code_read)`.as('code'), 'i.name', 'i.section', 'i.power_type',
          'f.kind', 'f.min_yuan', 'f.max_yuan', 'f.min_multiple', 'f.max_multiple', 'f.base', 'f.base_key', 'f.per', 'f.target',
          'f.condition', 'f.clause_text', sql<string>`array_to_string(f.source_lines, ',')`.as('source_lines'),
        ])
        .where('f.bureau_id', '=', bureauId)
        .where('f.version_id', '=', version);
      if (req.query.kind) q = q.where('f.kind', '=', req.query.kind as (typeof FINE_KINDS)[number]);
      if (req.query.section) q = q.where('i.section', '=', req.query.section);
      const rows = await q.orderBy('f.seq').orderBy('f.clause_no').execute();
      return sendTable(reply, rows, FINE_SPEC, req.query.format);
    },
  );
}

/** The registry with how often this list version cites each entry; unregistered titles follow. */
async function instrumentRows(db: Db, bureauId: string, version: number): Promise<Record<string, unknown>[]> {
  const [registry, instruments, counts, claimed] = await Promise.all([
    registryFacts(db),
    db.kysely.selectFrom('instrument').selectAll().orderBy('instrument_id').execute(),
    db.kysely
      .selectFrom('citation')
      .select([
        'instrument_id',
        sql<string>`min(cited_title)`.as('cited_title'),
        sql<number>`count(*)::int`.as('citations'),
        sql<number>`count(DISTINCT seq)::int`.as('citing_items'),
      ])
      .where('bureau_id', '=', bureauId)
      .where('version_id', '=', version)
      .groupBy(['instrument_id', sql`CASE WHEN instrument_id IS NULL THEN title_key END`])
      .execute(),
    db.kysely
      .selectFrom('citation')
      .select(['instrument_id', 'claimed_version_date'])
      .where('bureau_id', '=', bureauId)
      .where('version_id', '=', version)
      .where('instrument_id', 'is not', null)
      .where('claimed_version_date', 'is not', null)
      .execute(),
  ]);
  // "The list cites this instrument in several versions": the versions its dated citations fall in.
  const versionsOf = new Map<string, Set<string>>();
  for (const c of claimed) {
    const facts = registry.get(c.instrument_id!);
    if (!facts) continue;
    versionsOf.set(c.instrument_id!, (versionsOf.get(c.instrument_id!) ?? new Set<string>()).add(citedVersion(facts, c.claimed_version_date!)));
  }
  const countOf = new Map(counts.filter((c) => c.instrument_id !== null).map((c) => [c.instrument_id!, c]));
  const rows: Record<string, unknown>[] = instruments.map((i) => {
    const facts = registry.get(i.instrument_id)!;
    const versions = facts.events.filter((e) => e.event === 'amended' || e.event === 'revised').sort((a, b) => (a.date < b.date ? -1 : 1));
    const latest = versions.at(-1);
    return {
      ...i,
      in_registry: true,
      versions: versions.length + 1,
      latest_version_date: latest?.date ?? null,
      latest_version_event: latest?.event ?? null,
      latest_version_verified: latest?.verified ?? null,
      dated_facts: facts.events.length,
      unverified_facts: facts.events.filter((e) => !e.verified).length,
      citations: countOf.get(i.instrument_id)?.citations ?? 0,
      citing_items: countOf.get(i.instrument_id)?.citing_items ?? 0,
      versions_in_list: [...(versionsOf.get(i.instrument_id) ?? [])].sort(),
      several_versions: (versionsOf.get(i.instrument_id)?.size ?? 0) > 1,
      registry_line: i.source_line,
    };
  });
  rows.sort((a, b) => Number(b.citations) - Number(a.citations) || String(a.instrument_id).localeCompare(String(b.instrument_id)));
  const unknown = counts
    .filter((c) => c.instrument_id === null)
    .map((c) => ({ instrument_id: null, title: c.cited_title, in_registry: false, status: 'unknown', citations: c.citations, citing_items: c.citing_items }))
    .sort((a, b) => b.citations - a.citations || a.title.localeCompare(b.title));
  return [...rows, ...unknown];
}

export type CitationRow = {
  seq: number;
  citation_no: number;
  code: string | null;
  name: string;
  section: string | null;
  instrument_id: string | null;
  instrument_title: string | null;
  instrument_label: string;
  instrument_kind: string | null;
  title: string;
  cited_title: string;
  form: string;
  doc_numbers: string[];
  articles: string[];
  claimed_version_date: string | null;
  cited_version: string | null;
  list_date: string | null;
  list_date_basis: string | null;
  status_list: CitationStatus;
  status_list_verified: boolean | null;
  newer_list_date: string | null;
  status_now: CitationStatus;
  status_now_verified: boolean | null;
  newer_now_date: string | null;
  newer_now_event: string | null;
  newer_now_by: string | null;
  newer_now_count: number;
  repealed_by: string | null;
  repealed_on: string | null;
  inconsistent: boolean;
  versions_in_list: string[];
  newer_cited_by: number[];
  latest_version_date: string | null;
  latest_version_event: string | null;
  claimed_date_in_registry: boolean | null;
  doc_number_mismatch: string | null;
  doc_number_belongs_to: string | null;
  version_to_cite: string | null;
  title_quality: string;
  verified: boolean | null;
  source_url: string | null;
  flagged: boolean;
  needs_action: boolean;
  passage: string;
  source_lines: string;
  registry_line: number | null;
};

export async function registryFacts(db: Db): Promise<Map<string, RegistryInstrumentFact & { kind: string; source_line: number | null }>> {
  const [instruments, events] = await Promise.all([
    db.kysely.selectFrom('instrument').selectAll().execute(),
    db.kysely.selectFrom('instrument_event').selectAll().orderBy('instrument_id').orderBy('event_no').execute(),
  ]);
  const map = new Map<string, RegistryInstrumentFact & { kind: string; source_line: number | null }>();
  for (const i of instruments) {
    map.set(i.instrument_id, {
      id: i.instrument_id, title: i.title, kind: i.kind, status: i.status, replaced_by: i.replaced_by,
      replaced_on: i.replaced_on, doc_number: i.doc_number, source: i.source, source_line: i.source_line, events: [],
    });
  }
  for (const e of events) {
    map.get(e.instrument_id)?.events.push({
      event: e.event, date: e.event_date, by: e.by_text, ordinal: e.ordinal, doc_number: e.doc_number, source: e.source, verified: e.verified,
    });
  }
  return map;
}

/** The list's own date: stated in data/lists/lists.yaml, else the latest date its citations state. */
export async function listDateOf(db: Db, bureauId: string, version: number): Promise<ListDate | null> {
  const v = await db.kysely
    .selectFrom('list_version as v')
    .leftJoin('list_meta as m', 'm.source_file', 'v.source_file')
    .select(['m.list_date', 'm.list_date_basis', 'm.source'])
    .where('v.bureau_id', '=', bureauId)
    .where('v.version_id', '=', version)
    .executeTakeFirst();
  const dates = await db.kysely
    .selectFrom('citation')
    .select(sql<string>`split_part(unnest(stated_dates), ' ', 1)`.as('d'))
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', version)
    .execute();
  const meta = v?.list_date_basis ? { list_date: v.list_date ?? undefined, list_date_basis: v.list_date_basis, source: v.source ?? undefined } : null;
  return resolveListDate(meta, dates.map((d) => d.d));
}

export async function citationRows(db: Db, bureauId: string, version: number, today: string): Promise<{ rows: CitationRow[]; listDate: ListDate | null }> {
  const [cites, registry, listDate] = await Promise.all([
    db.kysely
      .selectFrom('citation as c')
      .innerJoin('item as i', (j) => j.onRef('i.bureau_id', '=', 'c.bureau_id').onRef('i.version_id', '=', 'c.version_id').onRef('i.seq', '=', 'c.seq'))
      .select([
        'c.seq', 'c.citation_no', sql<string | null>`coalesce(i.code, i.code_read)`.as('code'), 'i.name', 'i.section',
        'c.instrument_id', 'c.title', 'c.cited_title', 'c.form', 'c.doc_numbers', 'c.articles', 'c.claimed_version_date', 'c.title_quality',
        'c.passage', sql<string>`array_to_string(c.source_lines, ',')`.as('source_lines'),
      ])
      .where('c.bureau_id', '=', bureauId)
      .where('c.version_id', '=', version)
      .orderBy('c.seq')
      .orderBy('c.citation_no')
      .execute(),
    registryFacts(db),
    listDateOf(db, bureauId, version),
  ]);
  // Without any date for the list, judge it at "today" rather than inventing one; the row says so.
  const statuses = citationStatuses(cites, registry, { listDate: listDate?.date ?? today, today });
  const rows = cites.map((c, n): CitationRow => {
    const s = statuses[n]!;
    const inst = c.instrument_id ? registry.get(c.instrument_id) : undefined;
    const shown: VersionRef | null = s.now.newer ?? s.latest_version;
    return {
      ...c,
      instrument_title: inst?.title ?? null,
      instrument_label: inst?.title ?? c.cited_title,
      instrument_kind: inst?.kind ?? null,
      cited_version: s.cited_version,
      list_date: listDate?.date ?? null,
      list_date_basis: listDate?.basis ?? null,
      status_list: s.at_list.status,
      status_list_verified: s.at_list.verified,
      newer_list_date: s.at_list.newer?.date ?? null,
      status_now: s.now.status,
      status_now_verified: s.now.verified,
      newer_now_date: s.now.newer?.date ?? null,
      newer_now_event: s.now.newer?.event ?? null,
      newer_now_by: s.now.newer?.by ?? null,
      newer_now_count: s.now.newer_count,
      repealed_by: s.now.repealed_by,
      repealed_on: s.now.repealed_on,
      inconsistent: s.inconsistent,
      versions_in_list: s.versions_in_list,
      newer_cited_by: s.newer_cited_by,
      latest_version_date: s.latest_version?.date ?? null,
      latest_version_event: s.latest_version?.event ?? null,
      claimed_date_in_registry: s.claimed_date_in_registry,
      doc_number_mismatch: s.doc_number_mismatch?.doc_number ?? null,
      doc_number_belongs_to: s.doc_number_mismatch
        ? `${s.doc_number_mismatch.belongs_to}${s.doc_number_mismatch.belongs_to_version ? ` ${s.doc_number_mismatch.belongs_to_version}` : ''}`
        : null,
      version_to_cite: versionToCite(s, inst),
      verified: s.now.verified === null ? s.at_list.verified : s.at_list.verified === null ? s.now.verified : s.now.verified && s.at_list.verified,
      source_url: shown?.source ?? inst?.source ?? null,
      flagged: isFlagged(s),
      needs_action: needsAction(s),
      registry_line: inst?.source_line ?? null,
    };
  });
  return { rows, listDate };
}

/** The text the legal section should cite instead: the replacement, or the latest version. */
function versionToCite(s: CitationStatusResult, inst: RegistryInstrumentFact | undefined): string | null {
  if (s.now.status === 'repealed') return s.now.repealed_by ?? '（已废止，无替代文件）';
  if (!inst || (s.now.status !== 'outdated' && s.at_list.status !== 'outdated' && s.doc_number_mismatch === null)) return null;
  const v = s.latest_version;
  if (!v) return `${inst.title}（原文）`;
  return `${inst.title}（${v.date}${v.event === 'revised' ? '修订' : '修正'}${v.by ? `，${v.by}` : ''}）`;
}

/** Needing action first (repealed, outdated, wrong doc number), then unknown and undated, then current. */
const RANK: Record<CitationStatus, number> = { repealed: 0, outdated: 1, unknown: 3, undated: 4, current: 5 };
export function flaggedFirst(rows: CitationRow[]): CitationRow[] {
  const rank = (r: CitationRow) => Math.min(RANK[r.status_now], RANK[r.status_list], r.doc_number_mismatch ? 2 : 5);
  return [...rows].sort((a, b) => rank(a) - rank(b) || a.seq - b.seq || a.citation_no - b.citation_no);
}

/** The review export's order: needing action, then unresolved; within each, grouped by instrument. */
export function reviewOrder(rows: CitationRow[]): CitationRow[] {
  const group = (r: CitationRow) => (r.needs_action ? 0 : 1);
  return [...rows].sort(
    (a, b) => group(a) - group(b) || a.instrument_label.localeCompare(b.instrument_label, 'zh-CN') || a.seq - b.seq || a.citation_no - b.citation_no,
  );
}
