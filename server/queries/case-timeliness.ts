import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { percentileFromHistogram } from '../../etl/timeliness/percentile.ts';
import { spanKey, spanLabel } from '../../etl/timeliness/stage-labels.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';
import { applyFilters, type Filters } from './case-filters.ts';

/** How a group of judged spans came out: the counts every timeliness answer carries. */
export const SPAN_COUNTS = {
  cases: 'int',
  on_time: 'int',
  on_time_extended: 'int',
  late: 'int',
  extension_unapplied: 'int',
  uncovered: 'int',
} as const satisfies TableSpec;

export const TIMELINESS_SPEC = {
  month: 'string',
  section: 'string',
  span: 'string',
  span_label: 'string',
  ...SPAN_COUNTS,
  on_time_rate: 'float',
  median_wd: 'float',
  p90_wd: 'float',
} as const satisfies TableSpec;

/** A stage as the summary tables name it (their span_from / span_to columns). */
export type Stage = Parameters<typeof spanKey>[0];

/** The API's name and label of a span stored as two stage names. */
export const spanColumns = (r: { span_from: string; span_to: string }) => ({
  span: spanKey(r.span_from as Stage, r.span_to as Stage),
  span_label: spanLabel(r.span_from, r.span_to),
});

/** Kept the law: on time within the limit, or within an approved extension; of the spans judged. */
export const onTimeRate = (r: { on_time: number; on_time_extended: number; late: number }) => {
  const judged = r.on_time + r.on_time_extended + r.late;
  return judged === 0 ? null : (r.on_time + r.on_time_extended) / judged;
};

interface Counts {
  month: string | null;
  section: string;
  span_from: string;
  span_to: string;
  cases: number;
  on_time: number;
  on_time_extended: number;
  late: number;
  extension_unapplied: number;
  uncovered: number;
}
const shape = <R extends Counts>(r: R) => ({ ...r, ...spanColumns(r), on_time_rate: onTimeRate(r) });

/** On-time counts and working-day percentiles per section × stage span (per month unless per=window). */
export async function caseTimeliness(db: Db, bureauId: string, q: Filters): Promise<RowOf<typeof TIMELINESS_SPEC>[]> {
  const perMonth = (q.per ?? 'month') === 'month';
  if (perMonth && !q.power_type && !q.item) {
    // The plain monthly view: straight from the section table and its percentile_cont values.
    let qb = db.kysely.selectFrom('case_timeliness_month').selectAll().where('bureau_id', '=', bureauId);
    if (q.from) qb = qb.where('month', '>=', q.from);
    if (q.to) qb = qb.where('month', '<=', q.to);
    if (q.section) qb = qb.where('section', '=', q.section);
    const rows = await qb.orderBy('month').orderBy('section').orderBy('span_from').orderBy('span_to').execute();
    return rows.map(shape);
  }
  // Filtered or whole-window views: counts from the item table, percentiles from the histogram.
  const month = perMonth ? sql<string | null>`month` : sql<string | null>`null::text`;
  let counts = applyFilters(db.kysely.selectFrom('case_timeliness_item_month'), bureauId, q).select([
    month.as('month'),
    'section',
    'span_from',
    'span_to',
    sql<number>`sum(cases)::int`.as('cases'),
    sql<number>`sum(on_time)::int`.as('on_time'),
    sql<number>`sum(on_time_extended)::int`.as('on_time_extended'),
    sql<number>`sum(late)::int`.as('late'),
    sql<number>`sum(extension_unapplied)::int`.as('extension_unapplied'),
    sql<number>`sum(uncovered)::int`.as('uncovered'),
  ]);
  let hist = applyFilters(db.kysely.selectFrom('case_span_wd_hist'), bureauId, q).select([
    month.as('month'),
    'section',
    'span_from',
    'span_to',
    'wd',
    sql<number>`sum(cases)::int`.as('n'),
  ]);
  if (perMonth) {
    counts = counts.groupBy('month');
    hist = hist.groupBy('month');
  }
  const [countRows, histRows] = await Promise.all([
    counts
      .groupBy(['section', 'span_from', 'span_to'])
      .orderBy('month')
      .orderBy('section')
      .orderBy('span_from')
      .orderBy('span_to')
      .execute(),
    hist.groupBy(['section', 'span_from', 'span_to', 'wd']).execute(),
  ]);
  const bins = new Map<string, { value: number; count: number }[]>();
  const key = (r: { month: string | null; section: string; span_from: string; span_to: string }) =>
    `${r.month}|${r.section}|${r.span_from}|${r.span_to}`;
  for (const h of histRows) {
    const list = bins.get(key(h)) ?? [];
    list.push({ value: h.wd, count: h.n });
    bins.set(key(h), list);
  }
  return countRows.map((r) => ({
    ...shape(r),
    median_wd: percentileFromHistogram(bins.get(key(r)) ?? [], 0.5),
    p90_wd: percentileFromHistogram(bins.get(key(r)) ?? [], 0.9),
  }));
}
