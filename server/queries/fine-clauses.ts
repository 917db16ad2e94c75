import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';

export const FINE_SPEC = {
  seq: 'int',
  clause_no: 'int',
  code: 'string',
  name: 'string',
  section: 'string',
  power_type: 'string',
  kind: 'string',
  min_yuan: 'float',
  max_yuan: 'float',
  min_multiple: 'float',
  max_multiple: 'float',
  base: 'string',
  base_key: 'string',
  per: 'string',
  target: 'string',
  condition: 'string',
  clause_text: 'string',
  source_lines: 'string',
} as const satisfies TableSpec;

export const FINE_KINDS = ['fixed_range', 'per_person_range', 'multiple', 'cap_only', 'unspecified'] as const;
export type FineKind = (typeof FINE_KINDS)[number];

/** Every fine clause of a list version with its item, in list order; optionally one kind or one section. */
export async function fineClauseRows(
  db: Db,
  bureauId: string,
  params: { version: number; kind?: FineKind; section?: string },
): Promise<RowOf<typeof FINE_SPEC>[]> {
  let q = db.kysely
    .selectFrom('fine_clause as f')
    .innerJoin('item as i', (j) =>
      j
        .onRef('i.bureau_id', '=', 'f.bureau_id')
        .onRef('i.version_id', '=', 'f.version_id')
        .onRef('i.seq', '=', 'f.seq'),
    )
    .select([
      'f.seq',
      'f.clause_no',
      sql<string | null>`coalesce(i.code, i.code_read)`.as('code'),
      'i.name',
      'i.section',
      'i.power_type',
      'f.kind',
      'f.min_yuan',
      'f.max_yuan',
      'f.min_multiple',
      'f.max_multiple',
      'f.base',
      'f.base_key',
      'f.per',
      'f.target',
      'f.condition',
      'f.clause_text',
      sql<string>`array_to_string(f.source_lines, ',')`.as('source_lines'),
    ])
    .where('f.bureau_id', '=', bureauId)
    .where('f.version_id', '=', params.version);
  if (params.kind) q = q.where('f.kind', '=', params.kind);
  if (params.section) q = q.where('i.section', '=', params.section);
  return q.orderBy('f.seq').orderBy('f.clause_no').execute();
}
