/**
 * Citations with their status against the instrument registry. Statuses are computed per request
 * from the registry as loaded and the "today" asked for: never frozen at load.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import {
  citationStatuses,
  isFlagged,
  needsAction,
  type CitationStatus,
  type CitationStatusResult,
  type VersionRef,
} from '../../etl/legal/citation-status.ts';
import type { ListDate } from '../../etl/legal/list-meta.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';
import { listDateOf, listLabelOf } from './list-date.ts';
import { registryFacts, type RegistryEntry } from './registry-facts.ts';

export const CITATION_SPEC = {
  seq: 'int',
  citation_no: 'int',
  code: 'string',
  name: 'string',
  section: 'string',
  instrument_id: 'string',
  instrument_title: 'string',
  instrument_label: 'string',
  instrument_kind: 'string',
  title: 'string',
  cited_title: 'string',
  form: 'string',
  doc_numbers: 'string',
  articles: 'string',
  claimed_version_date: 'string',
  cited_version: 'string',
  list_date: 'string',
  list_date_basis: 'string',
  status_list: 'string',
  status_list_verified: 'bool',
  newer_list_date: 'string',
  status_now: 'string',
  status_now_verified: 'bool',
  newer_now_date: 'string',
  newer_now_event: 'string',
  newer_now_by: 'string',
  newer_now_count: 'int',
  repealed_by: 'string',
  repealed_on: 'string',
  inconsistent: 'bool',
  versions_in_list: 'string',
  newer_cited_by: 'string',
  latest_version_date: 'string',
  latest_version_event: 'string',
  claimed_date_in_registry: 'bool',
  doc_number_mismatch: 'string',
  doc_number_belongs_to: 'string',
  version_to_cite: 'string',
  title_quality: 'string',
  verified: 'bool',
  source_url: 'string',
  flagged: 'bool',
  needs_action: 'bool',
  passage: 'string',
  source_lines: 'string',
  registry_line: 'int',
} as const satisfies TableSpec;

export interface CitationFilters {
  status?: CitationStatus;
  instrument?: string;
  section?: string;
  flagged?: boolean;
}

/** One citation as the endpoints send it: the row type is this builder's, checked against CITATION_SPEC. */
export type CitationRow = ReturnType<typeof citationRow>;

function citedRows(db: Db, bureauId: string, version: number) {
  return db.kysely
    .selectFrom('citation as c')
    .innerJoin('item as i', (j) =>
      j
        .onRef('i.bureau_id', '=', 'c.bureau_id')
        .onRef('i.version_id', '=', 'c.version_id')
        .onRef('i.seq', '=', 'c.seq'),
    )
    .select([
      'c.seq',
      'c.citation_no',
      sql<string | null>`coalesce(i.code, i.code_read)`.as('code'),
      'i.name',
      'i.section',
      'c.instrument_id',
      'c.title',
      'c.cited_title',
      'c.form',
      'c.doc_numbers',
      'c.articles',
      'c.claimed_version_date',
      'c.title_quality',
      'c.passage',
      sql<string>`array_to_string(c.source_lines, ',')`.as('source_lines'),
    ])
    .where('c.bureau_id', '=', bureauId)
    .where('c.version_id', '=', version)
    .orderBy('c.seq')
    .orderBy('c.citation_no')
    .execute();
}

function citationRow(
  c: Awaited<ReturnType<typeof citedRows>>[number],
  s: CitationStatusResult,
  inst: RegistryEntry | undefined,
  listDate: ListDate | null,
) {
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
    newer_cited_by: s.newer_cited_by.map(String),
    latest_version_date: s.latest_version?.date ?? null,
    latest_version_event: s.latest_version?.event ?? null,
    claimed_date_in_registry: s.claimed_date_in_registry,
    doc_number_mismatch: s.doc_number_mismatch?.doc_number ?? null,
    doc_number_belongs_to: s.doc_number_mismatch
      ? `${s.doc_number_mismatch.belongs_to}${s.doc_number_mismatch.belongs_to_version ? ` ${s.doc_number_mismatch.belongs_to_version}` : ''}`
      : null,
    version_to_cite: versionToCite(s, inst),
    verified:
      s.now.verified === null
        ? s.at_list.verified
        : s.at_list.verified === null
          ? s.now.verified
          : s.now.verified && s.at_list.verified,
    source_url: shown?.source ?? inst?.source ?? null,
    flagged: isFlagged(s),
    needs_action: needsAction(s),
    registry_line: inst?.source_line ?? null,
  } satisfies RowOf<typeof CITATION_SPEC>;
}

/** Every citation of a list version with its statuses at the list's date and at `today`, in list order. */
export async function citationRows(
  db: Db,
  bureauId: string,
  { version, today }: { version: number; today: string },
): Promise<{ rows: CitationRow[]; listDate: ListDate | null }> {
  const [cites, registry, listDate] = await Promise.all([
    citedRows(db, bureauId, version),
    registryFacts(db),
    listDateOf(db, bureauId, version),
  ]);
  // Without any date for the list, judge it at "today" rather than inventing one; the row says so.
  const statuses = citationStatuses(cites, registry, { listDate: listDate?.date ?? today, today });
  const rows = cites.map((c, n) =>
    citationRow(c, statuses[n]!, c.instrument_id ? registry.get(c.instrument_id) : undefined, listDate),
  );
  return { rows, listDate };
}

/** The citations the filters keep (status matches either date; instrument by id or label), flagged first. */
export async function filteredCitations(
  db: Db,
  bureauId: string,
  params: { version: number; today: string } & CitationFilters,
) {
  const { rows, listDate } = await citationRows(db, bureauId, params);
  return { rows: flaggedFirst(filterCitations(rows, params)), listDate };
}

/** The flagged citations (narrowed by the filters) in review order, with the list's label and date, for the review workbook. */
export async function citationReview(
  db: Db,
  bureauId: string,
  params: { version: number; today: string } & CitationFilters,
) {
  const [{ rows, listDate }, listLabel] = await Promise.all([
    citationRows(db, bureauId, params),
    listLabelOf(db, bureauId, params.version),
  ]);
  return { rows: reviewOrder(filterCitations(rows, { flagged: true, ...params })), listDate, listLabel };
}

function filterCitations(rows: CitationRow[], q: CitationFilters): CitationRow[] {
  return rows.filter(
    (r) =>
      (q.status === undefined || r.status_now === q.status || r.status_list === q.status) &&
      (q.instrument === undefined || r.instrument_id === q.instrument || r.instrument_label === q.instrument) &&
      (q.section === undefined || r.section === q.section) &&
      (q.flagged === undefined || r.flagged === q.flagged),
  );
}

/** The text the legal section should cite instead: the replacement, or the latest version. */
function versionToCite(s: CitationStatusResult, inst: RegistryEntry | undefined): string | null {
  if (s.now.status === 'repealed') return s.now.repealed_by ?? '（已废止，无替代文件）';
  if (!inst || (s.now.status !== 'outdated' && s.at_list.status !== 'outdated' && s.doc_number_mismatch === null))
    return null;
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
    (a, b) =>
      group(a) - group(b) ||
      a.instrument_label.localeCompare(b.instrument_label, 'zh-CN') ||
      a.seq - b.seq ||
      a.citation_no - b.citation_no,
  );
}
