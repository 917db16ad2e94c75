import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { RowOf } from '../table-reply.ts';

const UNKNOWN = '(未识别)';

/** The item columns items can be counted by. */
export type CountColumn = 'power_type' | 'section';

/** The table an item count by `column` answers: the value, then how many items have it. */
export const countSpec = (column: CountColumn) => ({ [column]: 'string', items: 'int' }) as const;

/** Item counts grouped by one column of the item table, most first; unreadable values count under 未识别. */
export async function itemCounts(
  db: Db,
  bureauId: string,
  { version, column }: { version: number; column: CountColumn },
): Promise<RowOf<ReturnType<typeof countSpec>>[]> {
  return db.kysely
    .selectFrom('item')
    .select([sql<string>`coalesce(${sql.ref(column)}, ${UNKNOWN})`.as(column), sql<number>`count(*)::int`.as('items')])
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', version)
    .groupBy(sql.ref(column))
    .orderBy('items', 'desc')
    .orderBy(column)
    .execute();
}
