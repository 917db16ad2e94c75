/** 年度调整: the list versions, the comparison of two of them, and one item as a version holds it. */
import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { readVersionList } from '../../etl/export/version-list.ts';
import { buildReform, type ReformReport, type VersionInfo } from '../../etl/reform/report-data.ts';
import { CHANGE_LABELS, type ChangeKind } from '../../etl/reform/types.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';

export const VERSIONS_SPEC = {
  version_id: 'int',
  label: 'string',
  effective_date: 'string',
  source_kind: 'string',
  source_file: 'string',
  item_count: 'int',
} as const satisfies TableSpec;
export const DIFF_SPEC = {
  kind: 'string',
  kind_label: 'string',
  from_seq: 'int',
  to_seq: 'int',
  from_seqs: 'string',
  to_seqs: 'string',
  code_before: 'string',
  code_after: 'string',
  name_before: 'string',
  name_after: 'string',
  before: 'string',
  after: 'string',
  detail: 'string',
  method: 'string',
  score: 'float',
} as const satisfies TableSpec;
export const SUMMARY_SPEC = {
  dimension: 'string',
  category: 'string',
  label: 'string',
  from_items: 'int',
  to_items: 'int',
  delta: 'int',
  changes: 'int',
} as const satisfies TableSpec;
export const REFORM_ITEM_SPEC = {
  version_id: 'int',
  seq: 'int',
  code: 'string',
  name: 'string',
  power_type: 'string',
  section: 'string',
  subject: 'string',
  level: 'string',
  basis: 'string',
  duties: 'string',
  accountability: 'string',
  sub_items: 'string',
} as const satisfies TableSpec;

/** Every loaded list version of the bureau, oldest first. */
export async function listVersions(db: Db, bureauId: string) {
  return db.kysely
    .selectFrom('list_version')
    .select([
      'version_id',
      'label',
      sql<string | null>`to_char(effective_date, 'YYYY-MM-DD')`.as('effective_date'),
      'source_kind',
      'source_file',
      'item_count',
      'title',
    ])
    .where('bureau_id', '=', bureauId)
    .orderBy('version_id')
    .execute();
}

export type ListVersion = Awaited<ReturnType<typeof listVersions>>[number];

/** The comparison of two versions (as listVersions gives them), dated by the injected clock. */
export async function reformReport(
  db: Db,
  bureauId: string,
  { from, to, now }: { from: ListVersion; to: ListVersion; now: Date },
): Promise<ReformReport> {
  const info = async (v: ListVersion): Promise<VersionInfo> => ({
    versionId: v.version_id,
    label: v.label,
    effectiveDate: v.effective_date,
    title: v.title,
    items: (await readVersionList(db, bureauId, v.version_id)).items,
  });
  const bureau = await db.kysely
    .selectFrom('bureau')
    .select('name')
    .where('bureau_id', '=', bureauId)
    .executeTakeFirst();
  return buildReform(bureau?.name ?? bureauId, await info(from), await info(to), now);
}

/** The report's changes as table rows, optionally of one kind. */
export function diffRows(r: ReformReport, kind?: ChangeKind): RowOf<typeof DIFF_SPEC>[] {
  return r.changes
    .filter((c) => !kind || c.kind === kind)
    .map((c) => ({
      ...c,
      kind_label: CHANGE_LABELS[c.kind],
      from_seq: c.from_seqs[0] ?? null,
      to_seq: c.to_seqs[0] ?? null,
      from_seqs: c.from_seqs.join(','),
      to_seqs: c.to_seqs.join(','),
    }));
}

/** Item counts by power type and section in each version, then changes by kind; optionally one dimension. */
export function summaryRows(r: ReformReport, dimension?: string): RowOf<typeof SUMMARY_SPEC>[] {
  return [
    ...r.counts.map((c) => ({ ...c, label: c.category, changes: null })),
    ...r.kinds.map((k) => ({
      dimension: 'change_kind',
      category: k.kind,
      label: k.label,
      from_items: null,
      to_items: null,
      delta: null,
      changes: k.changes,
    })),
  ].filter((row) => !dimension || row.dimension === dimension);
}

/** One item of a version as the reform pages show it; null when the version has no such 序号. */
export async function reformItem(
  db: Db,
  bureauId: string,
  { version, seq }: { version: number; seq: number },
): Promise<RowOf<typeof REFORM_ITEM_SPEC> | null> {
  const it = (await readVersionList(db, bureauId, version)).items.find((x) => x.seq === seq);
  if (!it) return null;
  return {
    ...it,
    version_id: version,
    code: it.code ?? it.code_read,
    sub_items: it.sub_items.map((s) => `${s.name}${s.code ? `（${s.code}）` : ''}`).join('；'),
  };
}
