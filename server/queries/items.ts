import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';

/** One row per item: how each value was read, where it came from, what was corrected or flagged. */
export const ITEM_SPEC = {
  seq: 'int',
  code: 'string',
  code_partial: 'bool',
  name: 'string',
  name_quality: 'string',
  power_type: 'string',
  power_type_origin: 'string',
  section: 'string',
  section_origin: 'string',
  subject: 'string',
  level: 'string',
  sub_items: 'int',
  stages: 'string',
  source_lines: 'string',
  // Added with the 数据质量 work: how each value was obtained, and which came from corrections.
  name_origin: 'string',
  code_origin: 'string',
  subject_origin: 'string',
  level_origin: 'string',
  stages_origin: 'string',
  section_evidence: 'string',
  corrected: 'bool',
  corrected_fields: 'string',
  flagged_fields: 'string',
} as const satisfies TableSpec;

export async function itemRows(
  db: Db,
  bureauId: string,
  { version }: { version: number },
): Promise<RowOf<typeof ITEM_SPEC>[]> {
  return db.kysely
    .selectFrom('item as i')
    .select([
      'i.seq',
      sql<string | null>`coalesce(i.code, i.code_read)`.as('code'),
      sql<boolean>`i.code is null`.as('code_partial'),
      'i.name',
      'i.name_quality',
      'i.power_type',
      'i.power_type_origin',
      'i.section',
      'i.section_origin',
      'i.subject',
      'i.level',
      (eb) =>
        eb
          .selectFrom('sub_item as s')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('s.bureau_id', '=', bureauId)
          .whereRef('s.version_id', '=', 'i.version_id')
          .whereRef('s.seq', '=', 'i.seq')
          .as('sub_items'),
      'i.stages',
      sql<string>`array_to_string(i.source_lines, ',')`.as('source_lines'),
      'i.name_origin',
      'i.code_origin',
      'i.subject_origin',
      'i.level_origin',
      'i.stages_origin',
      'i.section_evidence',
      // Correlated subqueries name the bureau as a constant: a sharded coordinator then prunes them to its shard at plan time.
      sql<boolean>`exists (select 1 from item_correction c where c.bureau_id = ${bureauId} and c.version_id = i.version_id and c.seq = i.seq)`.as(
        'corrected',
      ),
      sql<
        string | null
      >`(select string_agg(distinct c.field, ',') from item_correction c where c.bureau_id = ${bureauId} and c.version_id = i.version_id and c.seq = i.seq)`.as(
        'corrected_fields',
      ),
      sql<
        string | null
      >`(select string_agg(distinct q.field, ',') from item_field_quality q where q.bureau_id = ${bureauId} and q.version_id = i.version_id and q.seq = i.seq and q.status = 'flagged')`.as(
        'flagged_fields',
      ),
    ])
    .where('i.bureau_id', '=', bureauId)
    .where('i.version_id', '=', version)
    .orderBy('i.seq')
    .execute();
}
