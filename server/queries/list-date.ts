import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { resolveListDate, type ListDate } from '../../etl/legal/list-meta.ts';

/** The list's own date: given at load, else stated in data/lists/lists.yaml, else the latest date its citations state. */
export async function listDateOf(db: Db, bureauId: string, version: number): Promise<ListDate | null> {
  const v = await db.kysely
    .selectFrom('list_version as v')
    .leftJoin('list_meta as m', 'm.source_file', 'v.source_file')
    .select([
      'm.list_date',
      'm.list_date_basis',
      'm.source',
      sql<string | null>`to_char(v.list_date, 'YYYY-MM-DD')`.as('given'),
    ])
    .where('v.bureau_id', '=', bureauId)
    .where('v.version_id', '=', version)
    .executeTakeFirst();
  const dates = await db.kysely
    .selectFrom('citation')
    .select(sql<string>`split_part(unnest(stated_dates), ' ', 1)`.as('d'))
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', version)
    .execute();
  const meta = v?.list_date_basis
    ? { list_date: v.list_date ?? undefined, list_date_basis: v.list_date_basis, source: v.source ?? undefined }
    : null;
  return resolveListDate(
    meta,
    dates.map((d) => d.d),
    v?.given ?? null,
  );
}

/** The label a list version was loaded under (it names the version in documents). */
export async function listLabelOf(db: Db, bureauId: string, version: number): Promise<string> {
  const v = await db.kysely
    .selectFrom('list_version')
    .select('label')
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', version)
    .executeTakeFirstOrThrow();
  return v.label;
}
