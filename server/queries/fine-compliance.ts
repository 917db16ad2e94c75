import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';
import { applyFilters, type Filters } from './case-filters.ts';

export const FINE_COMPLIANCE_SPEC = {
  item_code: 'string',
  item_name: 'string',
  section: 'string',
  power_type: 'string',
  kinds: 'string',
  ranges: 'string',
  fined_cases: 'int',
  inside: 'int',
  outside: 'int',
  below: 'int',
  above: 'int',
  not_checkable: 'int',
  no_range: 'int',
  examples: 'string',
} as const satisfies TableSpec;

const VERDICT: Record<string, string> = { below: '低于下限', above: '高于上限', outside: '不在任一幅度内' };

const groupByItem = <T extends { item_code: string }>(list: T[]) => {
  const m = new Map<string, T[]>();
  for (const x of list) m.set(x.item_code, [...(m.get(x.item_code) ?? []), x]);
  return m;
};

/** Per fined item: cases inside / outside its fine clauses, the clauses, and up to five cases outside. */
export async function fineCompliance(
  db: Db,
  bureauId: string,
  q: Filters,
): Promise<RowOf<typeof FINE_COMPLIANCE_SPEC>[]> {
  const rows = await applyFilters(db.kysely.selectFrom('fine_compliance_month'), bureauId, q)
    .select([
      'item_code',
      sql<string>`min(item_name)`.as('item_name'),
      sql<string>`min(section)`.as('section'),
      sql<string>`min(power_type)`.as('power_type'),
      sql<number>`sum(fined_cases)::int`.as('fined_cases'),
      sql<number>`sum(inside)::int`.as('inside'),
      sql<number>`sum(below + above + outside_other)::int`.as('outside'),
      sql<number>`sum(below)::int`.as('below'),
      sql<number>`sum(above)::int`.as('above'),
      sql<number>`sum(not_checkable)::int`.as('not_checkable'),
      sql<number>`sum(no_range)::int`.as('no_range'),
    ])
    .groupBy('item_code')
    .orderBy('outside', 'desc')
    .orderBy('item_code')
    .execute();
  // No rows, no examples to look up (an empty IN list is not valid SQL).
  if (!rows.length) return [];
  const codes = rows.map((r) => r.item_code);
  const [ranges, outside] = await Promise.all([
    db.kysely
      .selectFrom('item_fine_range')
      .selectAll()
      .where('bureau_id', '=', bureauId)
      .where('item_code', 'in', codes)
      .orderBy('item_code')
      .orderBy('clause_no')
      .execute(),
    db.kysely
      .selectFrom('fine_outside_case')
      .select(['item_code', 'case_id', 'fine_yuan', 'persons', 'verdict'])
      .where('bureau_id', '=', bureauId)
      .where('item_code', 'in', codes)
      .$if(q.from !== undefined, (b) => b.where('month', '>=', q.from!))
      .$if(q.to !== undefined, (b) => b.where('month', '<=', q.to!))
      .orderBy('item_code')
      .orderBy('case_id')
      .execute(),
  ]);
  const rangeBy = groupByItem(ranges),
    outsideBy = groupByItem(outside);
  return rows.map((r) => ({
    ...r,
    kinds: [...new Set((rangeBy.get(r.item_code) ?? []).map((x) => x.kind))].join('、'),
    ranges: (rangeBy.get(r.item_code) ?? []).map((x) => x.label).join('；'),
    examples: (outsideBy.get(r.item_code) ?? [])
      .slice(0, 5)
      .map(
        (x) =>
          `${x.case_id}：${x.fine_yuan}元${x.persons === null ? '' : `/${x.persons}人`}，${VERDICT[x.verdict] ?? x.verdict}`,
      )
      .join('；'),
  }));
}
