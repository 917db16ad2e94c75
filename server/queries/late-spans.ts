import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';
import { applyFilters, type Filters } from './case-filters.ts';
import { SPAN_COUNTS, spanColumns, type Stage } from './case-timeliness.ts';
import { unitLabel } from '../../etl/registry/time-limits.ts';

export const LATE_SPEC = {
  item_code: 'string',
  item_name: 'string',
  section: 'string',
  span: 'string',
  span_label: 'string',
  limit_id: 'string',
  limit: 'string',
  ...SPAN_COUNTS,
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
      sql<number | null>`min(extension_days)::int`.as('extension_days'),
      sql<string | null>`min(extension_unit)`.as('extension_unit'),
      sql<number>`sum(cases)::int`.as('cases'),
      sql<number>`sum(on_time)::int`.as('on_time'),
      sql<number>`sum(on_time_extended)::int`.as('on_time_extended'),
      sql<number>`sum(late)::int`.as('late'),
      sql<number>`sum(extension_unapplied)::int`.as('extension_unapplied'),
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
      'extension',
      sql<string | null>`extension_approved_at::text`.as('extension_approved_at'),
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
  const limitOf = new Map(rows.map((r) => [`${r.item_code}|${r.span_from}|${r.span_to}`, r]));
  const examples = new Map<string, string[]>();
  for (const e of await ex.orderBy('wd', 'desc').orderBy('case_id').execute()) {
    const k = `${e.item_code}|${e.span_from}|${e.span_to}`;
    const list = examples.get(k) ?? [];
    const limit = limitOf.get(k);
    const unit = (limit?.unit ?? 'working') as Unit;
    const n =
      unit === 'working'
        ? e.wd
        : Math.round((Date.parse(`${e.to_day}T00:00:00Z`) - Date.parse(`${e.from_day}T00:00:00Z`)) / 86_400_000);
    const applied = limit ? extensionNote(limit, e.extension, e.extension_approved_at) : '';
    if (list.length < 5) list.push(`${e.case_id}（${e.from_day}→${e.to_day}，${n}${unitLabel(unit)}${applied}）`);
    examples.set(k, list);
  }
  return rows.map((r) => ({
    ...r,
    ...spanColumns(r),
    limit: limitText(r),
    late_rate:
      r.on_time + r.on_time_extended + r.late === 0 ? null : r.late / (r.on_time + r.on_time_extended + r.late),
    examples: (examples.get(`${r.item_code}|${r.span_from}|${r.span_to}`) ?? []).join('；'),
  }));
}

type Unit = 'working' | 'calendar';
interface LimitTerms {
  days: number;
  unit: string;
  extension_days: number | null;
  extension_unit: string | null;
}

/** "20个工作日", or "20个工作日（经批准可延长10个工作日）" when the limit provides an extension. */
function limitText(l: LimitTerms): string {
  const base = `${l.days}${unitLabel(l.unit as Unit)}`;
  return l.extension_days === null
    ? base
    : `${base}（经批准可延长${l.extension_days}${unitLabel(l.extension_unit as Unit)}）`;
}

/** The limit a late case was judged by, when it had an approved extension (case_late_example.extension). */
function extensionNote(l: LimitTerms, use: string | null, approvedAt: string | null): string {
  if (use === 'exceeded')
    return `，超过延长后时限${l.days}${unitLabel(l.unit as Unit)}+${l.extension_days}${unitLabel(l.extension_unit as Unit)}（延长于${approvedAt}批准）`;
  if (use === 'no_provision')
    return `，时限${l.days}${unitLabel(l.unit as Unit)}：已批准延长（${approvedAt}），但该时限无延长规定`;
  if (use === 'approved_late')
    return `，时限${l.days}${unitLabel(l.unit as Unit)}：延长于${approvedAt}批准，已过原期限，不予计入`;
  return '';
}
