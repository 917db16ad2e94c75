import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { Database } from '../../db/schema.ts';
import type { Format } from '../table-reply.ts';

/** The filters every case endpoint takes (validated by routes/case-filters.ts before any query). */
export interface Filters {
  format?: Format;
  from?: string;
  to?: string;
  section?: string;
  power_type?: string;
  item?: string;
  per?: 'month' | 'window';
}

/** The case summary tables; each has bureau_id, month, section, power_type and item_code. */
type FilterTable = 'case_volume_month' | 'case_timeliness_item_month' | 'case_span_wd_hist' | 'fine_compliance_month';

/** Restricts a query on one summary table to the bureau and the filters given. */
export function applyFilters<T extends FilterTable, O>(
  qb: SelectQueryBuilder<Database, T, O>,
  bureauId: string,
  q: Filters & { month?: string },
) {
  return qb.where(filterCondition(bureauId, q));
}

// One condition written against the columns every filter table shares, so one function serves all four.
function filterCondition(bureauId: string, q: Filters & { month?: string }): RawBuilder<boolean> {
  const terms = [sql`${sql.ref('bureau_id')} = ${bureauId}`];
  if (q.month) terms.push(sql`${sql.ref('month')} = ${q.month}`);
  if (q.from) terms.push(sql`${sql.ref('month')} >= ${q.from}`);
  if (q.to) terms.push(sql`${sql.ref('month')} <= ${q.to}`);
  if (q.section) terms.push(sql`${sql.ref('section')} = ${q.section}`);
  if (q.power_type) terms.push(sql`${sql.ref('power_type')} = ${q.power_type}`);
  if (q.item) terms.push(sql`${sql.ref('item_code')} = ${q.item}`);
  return sql<boolean>`${sql.join(terms, sql` and `)}`;
}

/** The sections that have cases, sorted: what the section filter accepts. */
export async function sectionsWithCases(db: Db, bureauId: string): Promise<string[]> {
  const known = await db.kysely
    .selectFrom('case_volume_month')
    .select('section')
    .distinct()
    .where('bureau_id', '=', bureauId)
    .execute();
  return known.map((r) => r.section).sort();
}
