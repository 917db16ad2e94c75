import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';
import { applyFilters, type Filters } from './case-filters.ts';
import { spanColumns, type Stage } from './case-timeliness.ts';
import { unitLabel } from '../../etl/registry/time-limits.ts';

export const LATE_SPEC = {
  item_code: 'string',
  item_name: 'string',
  section: 'string',
  span: 'string',
  span_label: 'string',
  limit_id: 'string',
  limit: 'string',
  cases: 'int',
  on_time: 'int',
  late: 'int',
  uncovered: 'int',
  late_rate: 'float',
  examples: 'string',
} as const satisfies TableSpec;

export type LateSpanParams = Filters & { month?: string; span: { from: Stage; to: Stage } | null };

/** Items with late cases per stage span, most late first, each with its five slowest late cases. */
export async function lateSpans(db: Db, bureauId: string, q: LateSpanParams): Promise<RowOf<typeof LATE_SPEC>[]> {
  const { span } = q;
  let qb = applyFilters(db.kysely.selectFrom('case_timeliness_item_month'), bureauId, q)
    .select([
      'item_code',
      sql<string>`min(item_name)`.as('item_name'),
      sql<string>`min(section)`.as('section'),
      'span_from',
      'span_to',
      sql<string>`min(limit_id)`.as('limit_id'),
      sql<number>`min(days)::int`.as('days'),
      sql<string>`min(unit)`.as('unit'),
      sql<number>`sum(cases)::int`.as('cases'),
      sql<number>`sum(on_time)::int`.as('on_time'),
      sql<number>`sum(late)::int`.as('late'),
      sql<number>`sum(uncovered)::int`.as('uncovered'),
    ])
    .groupBy(['item_code', 'span_from', 'span_to'])
    .having(sql<boolean>`sum(late) > 0`);
  if (span) qb = qb.where('span_from', '=', span.from).where('span_to', '=', span.to);
  const rows = await qb.orderBy('late', 'desc').orderBy('item_code').orderBy('span_from').execute();
  // No rows, no examples to look up (an empty IN list is not valid SQL).
  if (!rows.length) return [];

  // The five slowest late cases per item × span in the window, picked in SQL.
  const ranked = db.kysely
    .selectFrom('case_late_example')
    .select([
      'item_code',
      'span_from',
      'span_to',
      'case_id',
      'wd',
      sql<string>`from_day::text`.as('from_day'),
      sql<string>`to_day::text`.as('to_day'),
    ])
    .select(
      sql<number>`row_number() OVER (PARTITION BY item_code, span_from, span_to ORDER BY wd DESC, case_id COLLATE "C")`.as(
        'rank',
      ),
    )
    .where('bureau_id', '=', bureauId)
    .where(
      'item_code',
      'in',
      rows.map((r) => r.item_code),
    )
    .$if(q.month !== undefined, (b) => b.where('month', '=', q.month!))
    .$if(q.from !== undefined, (b) => b.where('month', '>=', q.from!))
    .$if(q.to !== undefined, (b) => b.where('month', '<=', q.to!))
    .$if(span !== null, (b) => b.where('span_from', '=', span!.from).where('span_to', '=', span!.to));
  const ex = db.kysely
    .selectFrom(ranked.as('r'))
    .selectAll()
    .where('rank', '<=', 5)
    .orderBy('wd', 'desc')
    .orderBy(sql`case_id COLLATE "C"`);
  // Each example counts in its limit's own unit: working days, or calendar days (日).
  const unitOf = new Map(
    rows.map((r) => [`${r.item_code}|${r.span_from}|${r.span_to}`, r.unit as 'working' | 'calendar']),
  );
  const examples = new Map<string, string[]>();
  for (const e of await ex.orderBy('wd', 'desc').orderBy('case_id').execute()) {
    const k = `${e.item_code}|${e.span_from}|${e.span_to}`;
    const list = examples.get(k) ?? [];
    const unit = unitOf.get(k) ?? 'working';
    const n =
      unit === 'working'
        ? e.wd
        : Math.round((Date.parse(`${e.to_day}T00:00:00Z`) - Date.parse(`${e.from_day}T00:00:00Z`)) / 86_400_000);
    if (list.length < 5) list.push(`${e.case_id}（${e.from_day}→${e.to_day}，${n}${unitLabel(unit)}）`);
    examples.set(k, list);
  }
  return rows.map((r) => ({
    ...r,
    ...spanColumns(r),
    limit: `${r.days}${unitLabel(r.unit as 'working' | 'calendar')}`,
    late_rate: r.on_time + r.late === 0 ? null : r.late / (r.on_time + r.late),
    examples: (examples.get(`${r.item_code}|${r.span_from}|${r.span_to}`) ?? []).join('；'),
  }));
}
