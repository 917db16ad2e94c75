import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { QUALITY_FIELDS, QUALITY_STATUSES } from '../../etl/parse/list-quality.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';

/** One row per field and status (zeros included), in field order: what the stacked bars need. */
export const QUALITY_SPEC = {
  field: 'string',
  field_no: 'int',
  status: 'string',
  items: 'int',
  total: 'int',
  unit: 'string',
} as const satisfies TableSpec;
export const FLAGGED_SPEC = {
  seq: 'int',
  sub_no: 'int',
  field: 'string',
  status: 'string',
  value: 'string',
  message: 'string',
  source_lines: 'string',
  name: 'string',
  code: 'string',
} as const satisfies TableSpec;

/** How many items (or sub-items) each field was read, repaired, inferred, corrected, flagged or missed in. */
export async function qualityCounts(
  db: Db,
  bureauId: string,
  { version }: { version: number },
): Promise<RowOf<typeof QUALITY_SPEC>[]> {
  const counts = await db.kysely
    .selectFrom('item_field_quality')
    .select(['field', 'status', sql<number>`count(*)::int`.as('n')])
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', version)
    .groupBy(['field', 'status'])
    .execute();
  const n = (field: string, status: string) => counts.find((c) => c.field === field && c.status === status)?.n ?? 0;
  return QUALITY_FIELDS.flatMap((field, i) => {
    const total = QUALITY_STATUSES.reduce((s, st) => s + n(field, st), 0);
    return QUALITY_STATUSES.map((status) => ({
      field,
      field_no: i + 1,
      status,
      items: n(field, status),
      total,
      unit: field === 'sub_name' ? 'sub_item' : 'item',
    }));
  });
}

/** Every flagged value with its item, in list order. */
export async function flaggedValues(
  db: Db,
  bureauId: string,
  { version }: { version: number },
): Promise<RowOf<typeof FLAGGED_SPEC>[]> {
  return db.kysely
    .selectFrom('item_field_quality as q')
    .innerJoin('item as i', (j) =>
      j
        .onRef('i.bureau_id', '=', 'q.bureau_id')
        .onRef('i.version_id', '=', 'q.version_id')
        .onRef('i.seq', '=', 'q.seq'),
    )
    .select([
      'q.seq',
      'q.sub_no',
      'q.field',
      'q.status',
      'q.value',
      'q.message',
      sql<string>`array_to_string(q.lines, ',')`.as('source_lines'),
      'i.name',
      sql<string | null>`coalesce(i.code, i.code_read)`.as('code'),
    ])
    .where('q.bureau_id', '=', bureauId)
    .where('q.version_id', '=', version)
    .where('q.status', '=', 'flagged')
    .orderBy('q.seq')
    .orderBy('q.sub_no')
    .orderBy('q.field')
    .execute();
}

/** One item with its source lines, sub-items, corrections and quality records; null when there is none. */
export async function itemSource(db: Db, bureauId: string, { version, seq }: { version: number; seq: number }) {
  const item = await db.kysely
    .selectFrom('item')
    .selectAll()
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', version)
    .where('seq', '=', seq)
    .executeTakeFirst();
  if (!item) return null;
  const [file, lines, subs, corrections, quality] = await Promise.all([
    db.kysely
      .selectFrom('list_version')
      .select(['source_file', 'source_kind', 'corrections_file'])
      .where('bureau_id', '=', bureauId)
      .where('version_id', '=', version)
      .executeTakeFirstOrThrow(),
    db.kysely
      .selectFrom('list_source_line')
      .select(['line', 'text'])
      .where('bureau_id', '=', bureauId)
      .where('version_id', '=', version)
      .where('line', 'in', item.source_lines.length ? item.source_lines : [0])
      .orderBy('line')
      .execute(),
    db.kysely
      .selectFrom('sub_item')
      .select([
        'sub_no',
        'name',
        'name_quality',
        'name_origin',
        'code',
        'code_read',
        'section',
        'section_origin',
        'source_lines',
      ])
      .where('bureau_id', '=', bureauId)
      .where('version_id', '=', version)
      .where('seq', '=', item.seq)
      .orderBy('sub_no')
      .execute(),
    db.kysely
      .selectFrom('item_correction')
      .select([
        'field',
        'sub_no',
        'original',
        'value',
        'reason',
        'author',
        sql<string>`to_char(corrected_on, 'YYYY-MM-DD')`.as('date'),
        'source_file',
        'source_line',
      ])
      .where('bureau_id', '=', bureauId)
      .where('version_id', '=', version)
      .where('seq', '=', item.seq)
      .orderBy('field')
      .orderBy('sub_no')
      .execute(),
    db.kysely
      .selectFrom('item_field_quality')
      .select(['field', 'sub_no', 'status', 'value', 'message', 'lines'])
      .where('bureau_id', '=', bureauId)
      .where('version_id', '=', version)
      .where('seq', '=', item.seq)
      .orderBy('sub_no')
      .execute(),
  ]);
  const { bureau_id: _b, version_id: _v, ...fields } = item;
  return {
    version,
    seq: item.seq,
    source_file: file.source_file,
    source_kind: file.source_kind,
    corrections_file: file.corrections_file,
    // Empty for a clean sheet (it has no text lines) or a version loaded before the text was kept.
    lines: lines.map((l) => ({ line: Number(l.line), text: l.text })),
    item: fields,
    sub_items: subs,
    corrections,
    quality,
  };
}

export const ISSUE_SPEC = {
  line: 'int',
  seq: 'int',
  field: 'string',
  value: 'string',
  kind: 'string',
  severity: 'string',
  message: 'string',
} as const satisfies TableSpec;

/** The parse issues of a version, warnings first (a truncated file, 序号重复), then in line order. */
export async function parseIssues(
  db: Db,
  bureauId: string,
  { version }: { version: number },
): Promise<RowOf<typeof ISSUE_SPEC>[]> {
  return db.kysely
    .selectFrom('parse_issue')
    .select(['line', 'seq', 'field', 'value', 'kind', 'severity', 'message'])
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', version)
    .orderBy(sql`CASE WHEN kind = 'truncated' THEN 0 WHEN severity = 'warning' AND kind <> 'field' THEN 1 ELSE 2 END`)
    .orderBy('line')
    .orderBy('issue_no')
    .execute();
}
