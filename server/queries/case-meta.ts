import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';

export const CASE_META_SPEC = {
  min_month: 'string',
  max_month: 'string',
  cases: 'int',
  synthetic_cases: 'int',
  any_synthetic: 'bool',
  all_synthetic: 'bool',
  refreshed_at: 'string',
  calendar_years: 'string',
} as const satisfies TableSpec;

/** One row: the window and size of the loaded cases, whether any are synthetic, the calendar's years. */
export async function caseMeta(db: Db, bureauId: string): Promise<RowOf<typeof CASE_META_SPEC>[]> {
  const [meta, years] = await Promise.all([
    db.kysely.selectFrom('case_aggregate_meta').selectAll().where('bureau_id', '=', bureauId).executeTakeFirst(),
    db.kysely.selectFrom('calendar_year').select(['year']).orderBy('year').execute(),
  ]);
  const cases = meta?.cases ?? 0,
    synthetic = meta?.synthetic_cases ?? 0;
  return [
    {
      min_month: meta?.min_month ?? null,
      max_month: meta?.max_month ?? null,
      cases,
      synthetic_cases: synthetic,
      any_synthetic: synthetic > 0,
      all_synthetic: cases > 0 && synthetic === cases,
      refreshed_at: meta ? new Date(meta.refreshed_at).toISOString() : null,
      calendar_years: years.length ? `${years[0]!.year}–${years[years.length - 1]!.year}` : null,
    },
  ];
}

/** Changes whenever the aggregates are refreshed or a calendar year is (re)loaded: the answer cache's key. */
export async function aggregateStamp(db: Db, bureauId: string): Promise<string> {
  const r = await sql<{ stamp: string }>`
    SELECT coalesce((SELECT refreshed_at::text FROM case_aggregate_meta WHERE bureau_id = ${bureauId}), '-') || '|' ||
           coalesce((SELECT max(loaded_at)::text FROM calendar_year), '-') AS stamp`.execute(db.kysely);
  return r.rows[0]!.stamp;
}
