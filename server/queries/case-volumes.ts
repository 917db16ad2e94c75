import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';
import { applyFilters, type Filters } from './case-filters.ts';

export const VOLUME_ITEM_SPEC = {
  month: 'string',
  item_code: 'string',
  item_name: 'string',
  section: 'string',
  power_type: 'string',
  cases: 'int',
} as const satisfies TableSpec;
export const VOLUME_SECTION_SPEC = { month: 'string', section: 'string', cases: 'int' } as const satisfies TableSpec;

// Cases per section (and month, unless per=window), from case_volume_month.
function volumes(db: Db, bureauId: string, q: Filters) {
  const perMonth = (q.per ?? 'month') === 'month';
  const month = perMonth ? sql<string | null>`month` : sql<string | null>`null::text`;
  let qb = applyFilters(db.kysely.selectFrom('case_volume_month'), bureauId, q).select([
    month.as('month'),
    'section',
    sql<number>`sum(cases)::int`.as('cases'),
  ]);
  if (perMonth) qb = qb.groupBy('month').orderBy('month');
  return qb.groupBy('section');
}

/** Cases per item (per month unless per=window), most cases first. */
export async function volumesByItem(db: Db, bureauId: string, q: Filters): Promise<RowOf<typeof VOLUME_ITEM_SPEC>[]> {
  return volumes(db, bureauId, q)
    .select(['item_code', sql<string>`min(item_name)`.as('item_name'), sql<string>`min(power_type)`.as('power_type')])
    .groupBy('item_code')
    .orderBy('cases', 'desc')
    .orderBy('item_code')
    .execute();
}

/** Cases per section (per month unless per=window). */
export async function volumesBySection(
  db: Db,
  bureauId: string,
  q: Filters,
): Promise<RowOf<typeof VOLUME_SECTION_SPEC>[]> {
  return volumes(db, bureauId, q).orderBy('section').execute();
}
