import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { percentileFromHistogram } from '../../etl/timeliness/percentile.ts';
import { parseSpanKey, spanKey, spanLabel } from '../../etl/timeliness/stage-labels.ts';
import { unitLabel } from '../../etl/registry/time-limits.ts';
import type { AppDeps } from '../app-deps.ts';
import { HttpError } from '../http-error.ts';
import { formatSchema, type Format, type TableSpec } from '../table-reply.ts';
import { applyFilters, checkFilters, querystring, str, tableCache, type Filters } from './case-filters.ts';

/**
 * Case volumes, stage timeliness and fine compliance. Every answer comes from the summary tables
 * refreshed by etl/load/case-aggregates.ts; nothing here reads case_record.
 */
const rate = (onTime: number, late: number) => (onTime + late === 0 ? null : onTime / (onTime + late));

export function caseRoutes(app: FastifyInstance, { db, bureauId }: AppDeps) {
  const table = tableCache(db, bureauId);
  app.get<{ Querystring: Filters & { by?: 'item' | 'section' } }>(
    '/api/volumes',
    querystring({ by: { type: 'string', enum: ['item', 'section'] } }),
    table(async (req) => {
      const q = req.query;
      await checkFilters(db, bureauId, q);
      const byItem = (q.by ?? 'item') === 'item';
      const perMonth = (q.per ?? 'month') === 'month';
      const month = perMonth ? sql<string | null>`month` : sql<string | null>`null::text`;
      let qb = applyFilters(db.kysely.selectFrom('case_volume_month'), bureauId, q).select([month.as('month'), 'section', sql<number>`sum(cases)::int`.as('cases')]);
      if (perMonth) qb = qb.groupBy('month').orderBy('month');
      qb = qb.groupBy('section');
      if (byItem) {
        const rows = await qb
          .select(['item_code', sql<string>`min(item_name)`.as('item_name'), sql<string>`min(power_type)`.as('power_type')])
          .groupBy('item_code')
          .orderBy('cases', 'desc')
          .orderBy('item_code')
          .execute();
        const spec: TableSpec = { month: 'string', item_code: 'string', item_name: 'string', section: 'string', power_type: 'string', cases: 'int' };
        return { rows, spec };
      }
      const rows = await qb.orderBy('section').execute();
      return { rows, spec: { month: 'string', section: 'string', cases: 'int' } };
    }),
  );

  app.get<{ Querystring: Filters }>('/api/timeliness', querystring(), table(async (req) => {
    const q = req.query;
    await checkFilters(db, bureauId, q);
    const spec: TableSpec = {
      month: 'string', section: 'string', span: 'string', span_label: 'string', cases: 'int', on_time: 'int', late: 'int',
      uncovered: 'int', on_time_rate: 'float', median_wd: 'float', p90_wd: 'float',
    };
    const shape = (r: { month: string | null; section: string; span_from: string; span_to: string; cases: number; on_time: number; late: number; uncovered: number }) => ({
      ...r, span: spanKey(r.span_from as never, r.span_to as never), span_label: spanLabel(r.span_from, r.span_to), on_time_rate: rate(r.on_time, r.late),
    });
    const perMonth = (q.per ?? 'month') === 'month';
    if (perMonth && !q.power_type && !q.item) {
      // The plain monthly view: straight from the section table and its percentile_cont values.
      let qb = db.kysely.selectFrom('case_timeliness_month').selectAll().where('bureau_id', '=', bureauId);
      if (q.from) qb = qb.where('month', '>=', q.from);
      if (q.to) qb = qb.where('month', '<=', q.to);
      if (q.section) qb = qb.where('section', '=', q.section);
      const rows = await qb.orderBy('month').orderBy('section').orderBy('span_from').orderBy('span_to').execute();
      return { rows: rows.map(shape), spec };
    }
    // Filtered or whole-window views: counts from the item table, percentiles from the histogram.
    const month = perMonth ? sql<string | null>`month` : sql<string | null>`null::text`;
    let counts = applyFilters(db.kysely.selectFrom('case_timeliness_item_month'), bureauId, q).select([
      month.as('month'), 'section', 'span_from', 'span_to', sql<number>`sum(cases)::int`.as('cases'), sql<number>`sum(on_time)::int`.as('on_time'),
      sql<number>`sum(late)::int`.as('late'), sql<number>`sum(uncovered)::int`.as('uncovered'),
    ]);
    let hist = applyFilters(db.kysely.selectFrom('case_span_wd_hist'), bureauId, q).select([
      month.as('month'), 'section', 'span_from', 'span_to', 'wd', sql<number>`sum(cases)::int`.as('n'),
    ]);
    if (perMonth) {
      counts = counts.groupBy('month');
      hist = hist.groupBy('month');
    }
    const [countRows, histRows] = await Promise.all([
      counts.groupBy(['section', 'span_from', 'span_to']).orderBy('month').orderBy('section').orderBy('span_from').orderBy('span_to').execute(),
      hist.groupBy(['section', 'span_from', 'span_to', 'wd']).execute(),
    ]);
    const bins = new Map<string, { value: number; count: number }[]>();
    const key = (r: { month: string | null; section: string; span_from: string; span_to: string }) => `${r.month}|${r.section}|${r.span_from}|${r.span_to}`;
    for (const h of histRows) {
      const list = bins.get(key(h)) ?? [];
      list.push({ value: h.wd, count: h.n });
      bins.set(key(h), list);
    }
    const rows = countRows.map((r) => ({
      ...shape(r),
      median_wd: percentileFromHistogram(bins.get(key(r)) ?? [], 0.5),
      p90_wd: percentileFromHistogram(bins.get(key(r)) ?? [], 0.9),
    }));
    return { rows, spec };
  }));

  app.get<{ Querystring: Filters & { span?: string; month?: string } }>(
    '/api/timeliness/late',
    querystring({ span: str, month: str }),
    table(async (req) => {
      const q = req.query;
      await checkFilters(db, bureauId, q);
      const span = q.span === undefined ? null : parseSpanKey(q.span);
      if (q.span !== undefined && span === null) throw new HttpError(400, `span must name two stages in order, e.g. accepted-decided; got "${q.span}"`);
      let qb = applyFilters(db.kysely.selectFrom('case_timeliness_item_month'), bureauId, q)
        .select([
          'item_code', sql<string>`min(item_name)`.as('item_name'), sql<string>`min(section)`.as('section'), 'span_from', 'span_to',
          sql<string>`min(limit_id)`.as('limit_id'), sql<number>`min(days)::int`.as('days'), sql<string>`min(unit)`.as('unit'),
          sql<number>`sum(cases)::int`.as('cases'), sql<number>`sum(on_time)::int`.as('on_time'), sql<number>`sum(late)::int`.as('late'),
          sql<number>`sum(uncovered)::int`.as('uncovered'),
        ])
        .groupBy(['item_code', 'span_from', 'span_to'])
        .having(sql<boolean>`sum(late) > 0`);
      if (span) qb = qb.where('span_from', '=', span.from).where('span_to', '=', span.to);
      const rows = await qb.orderBy('late', 'desc').orderBy('item_code').orderBy('span_from').execute();

      // The five slowest late cases per item × span in the window, picked in SQL.
      const ranked = db.kysely
        .selectFrom('case_late_example')
        .select(['item_code', 'span_from', 'span_to', 'case_id', 'wd', sql<string>`from_day::text`.as('from_day'), sql<string>`to_day::text`.as('to_day')])
        .select(sql<number>`row_number() OVER (PARTITION BY item_code, span_from, span_to ORDER BY wd DESC, case_id COLLATE "C")`.as('rank'))
        .where('bureau_id', '=', bureauId)
        .where('item_code', 'in', rows.length ? rows.map((r) => r.item_code) : ['\u0000'])
        .$if(q.month !== undefined, (b) => b.where('month', '=', q.month!))
        .$if(q.from !== undefined, (b) => b.where('month', '>=', q.from!))
        .$if(q.to !== undefined, (b) => b.where('month', '<=', q.to!))
        .$if(span !== null, (b) => b.where('span_from', '=', span!.from).where('span_to', '=', span!.to));
      const ex = db.kysely.selectFrom(ranked.as('r')).selectAll().where('rank', '<=', 5).orderBy('wd', 'desc').orderBy(sql`case_id COLLATE "C"`);
      // Each example counts in its limit's own unit: working days, or calendar days (日).
      const unitOf = new Map(rows.map((r) => [`${r.item_code}|${r.span_from}|${r.span_to}`, r.unit as 'working' | 'calendar']));
      const examples = new Map<string, string[]>();
      for (const e of await ex.orderBy('wd', 'desc').orderBy('case_id').execute()) {
        const k = `${e.item_code}|${e.span_from}|${e.span_to}`;
        const list = examples.get(k) ?? [];
        const unit = unitOf.get(k) ?? 'working';
        const n = unit === 'working' ? e.wd : Math.round((Date.parse(`${e.to_day}T00:00:00Z`) - Date.parse(`${e.from_day}T00:00:00Z`)) / 86_400_000);
        if (list.length < 5) list.push(`${e.case_id}（${e.from_day}→${e.to_day}，${n}${unitLabel(unit)}）`);
        examples.set(k, list);
      }
      const out = rows.map((r) => ({
        ...r,
        span: spanKey(r.span_from as never, r.span_to as never),
        span_label: spanLabel(r.span_from, r.span_to),
        limit: `${r.days}${unitLabel(r.unit as 'working' | 'calendar')}`,
        late_rate: r.on_time + r.late === 0 ? null : r.late / (r.on_time + r.late),
        examples: (examples.get(`${r.item_code}|${r.span_from}|${r.span_to}`) ?? []).join('；'),
      }));
      const spec: TableSpec = {
        item_code: 'string', item_name: 'string', section: 'string', span: 'string', span_label: 'string', limit_id: 'string', limit: 'string',
        cases: 'int', on_time: 'int', late: 'int', uncovered: 'int', late_rate: 'float', examples: 'string',
      };
      return { rows: out, spec };
    }),
  );

  app.get<{ Querystring: Filters }>('/api/fines/compliance', querystring(), table(async (req) => {
    const q = req.query;
    await checkFilters(db, bureauId, q);
    const rows = await applyFilters(db.kysely.selectFrom('fine_compliance_month'), bureauId, q)
      .select([
        'item_code', sql<string>`min(item_name)`.as('item_name'), sql<string>`min(section)`.as('section'), sql<string>`min(power_type)`.as('power_type'),
        sql<number>`sum(fined_cases)::int`.as('fined_cases'), sql<number>`sum(inside)::int`.as('inside'),
        sql<number>`sum(below + above + outside_other)::int`.as('outside'), sql<number>`sum(below)::int`.as('below'),
        sql<number>`sum(above)::int`.as('above'), sql<number>`sum(not_checkable)::int`.as('not_checkable'), sql<number>`sum(no_range)::int`.as('no_range'),
      ])
      .groupBy('item_code')
      .orderBy('outside', 'desc')
      .orderBy('item_code')
      .execute();
    const codes = rows.length ? rows.map((r) => r.item_code) : ['\u0000'];
    const [ranges, outside] = await Promise.all([
      db.kysely.selectFrom('item_fine_range').selectAll().where('bureau_id', '=', bureauId).where('item_code', 'in', codes).orderBy('item_code').orderBy('clause_no').execute(),
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
    const group = <T extends { item_code: string }>(list: T[]) => {
      const m = new Map<string, T[]>();
      for (const x of list) m.set(x.item_code, [...(m.get(x.item_code) ?? []), x]);
      return m;
    };
    const rangeBy = group(ranges), outsideBy = group(outside);
    const VERDICT: Record<string, string> = { below: '低于下限', above: '高于上限', outside: '不在任一幅度内' };
    const out = rows.map((r) => ({
      ...r,
      kinds: [...new Set((rangeBy.get(r.item_code) ?? []).map((x) => x.kind))].join('、'),
      ranges: (rangeBy.get(r.item_code) ?? []).map((x) => x.label).join('；'),
      examples: (outsideBy.get(r.item_code) ?? [])
        .slice(0, 5)
        .map((x) => `${x.case_id}：${x.fine_yuan}元${x.persons === null ? '' : `/${x.persons}人`}，${VERDICT[x.verdict] ?? x.verdict}`)
        .join('；'),
    }));
    const spec: TableSpec = {
      item_code: 'string', item_name: 'string', section: 'string', power_type: 'string', kinds: 'string', ranges: 'string', fined_cases: 'int',
      inside: 'int', outside: 'int', below: 'int', above: 'int', not_checkable: 'int', no_range: 'int', examples: 'string',
    };
    return { rows: out, spec };
  }));

  app.get<{ Querystring: { format?: Format } }>(
    '/api/cases/meta',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...formatSchema } } } },
    table(async (_req) => {
      const [meta, years] = await Promise.all([
        db.kysely.selectFrom('case_aggregate_meta').selectAll().where('bureau_id', '=', bureauId).executeTakeFirst(),
        db.kysely.selectFrom('calendar_year').select(['year']).orderBy('year').execute(),
      ]);
      const cases = meta?.cases ?? 0, synthetic = meta?.synthetic_cases ?? 0;
      const row = {
        min_month: meta?.min_month ?? null,
        max_month: meta?.max_month ?? null,
        cases,
        synthetic_cases: synthetic,
        any_synthetic: synthetic > 0,
        all_synthetic: cases > 0 && synthetic === cases,
        refreshed_at: meta ? new Date(meta.refreshed_at).toISOString() : null,
        calendar_years: years.length ? `${years[0]!.year}–${years[years.length - 1]!.year}` : null,
      };
      const spec: TableSpec = {
        min_month: 'string', max_month: 'string', cases: 'int', synthetic_cases: 'int', any_synthetic: 'bool', all_synthetic: 'bool',
        refreshed_at: 'string', calendar_years: 'string',
      };
      return { rows: [row], spec };
    }),
  );
}
