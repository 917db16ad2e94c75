/**
 * The province view: bureaus side by side. Each query groups by bureau over every bureau loaded,
 * so on a sharded coordinator it runs on the shards in parallel and ships only the groups.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { RowOf } from '../table-reply.ts';
import { citationRows } from './citations.ts';

const UNKNOWN = '(未识别)';

export const BUREAU_SPEC = {
  bureau_id: 'string',
  name: 'string',
  short_name: 'string',
  region: 'string',
  versions: 'int',
  latest_version: 'int',
  items: 'int',
  cases: 'int',
  synthetic_cases: 'int',
} as const;

/** Every bureau with a loaded list: registry facts, versions, items of the latest version, cases. */
export async function bureauRows(db: Db): Promise<RowOf<typeof BUREAU_SPEC>[]> {
  const rows = await sql<RowOf<typeof BUREAU_SPEC>>`
    WITH v AS (SELECT bureau_id, count(*)::int AS versions, max(version_id)::int AS latest_version FROM list_version GROUP BY bureau_id),
         i AS (SELECT i.bureau_id, count(*)::int AS items FROM item i JOIN latest_version l ON l.bureau_id = i.bureau_id AND l.version_id = i.version_id GROUP BY i.bureau_id)
    SELECT v.bureau_id, coalesce(b.name, v.bureau_id) AS name, coalesce(b.short_name, b.name, v.bureau_id) AS short_name, b.region,
           v.versions, v.latest_version, coalesce(i.items, 0)::int AS items,
           coalesce(m.cases, 0)::int AS cases, coalesce(m.synthetic_cases, 0)::int AS synthetic_cases
      FROM v LEFT JOIN bureau b ON b.bureau_id = v.bureau_id LEFT JOIN i ON i.bureau_id = v.bureau_id
      LEFT JOIN case_aggregate_meta m ON m.bureau_id = v.bureau_id
     ORDER BY v.bureau_id`.execute(db.kysely);
  return rows.rows;
}

export const ITEMS_BY_TYPE_SPEC = {
  bureau_id: 'string',
  bureau: 'string',
  power_type: 'string',
  items: 'int',
} as const;

/** Items of each bureau's latest list version per power type. */
export async function itemsByType(db: Db): Promise<RowOf<typeof ITEMS_BY_TYPE_SPEC>[]> {
  const rows = await sql<RowOf<typeof ITEMS_BY_TYPE_SPEC>>`
    SELECT c.bureau_id, coalesce(b.short_name, c.bureau_id) AS bureau, c.power_type, c.items
      FROM (SELECT i.bureau_id, coalesce(i.power_type, ${UNKNOWN}) AS power_type, count(*)::int AS items
              FROM item i JOIN latest_version l ON l.bureau_id = i.bureau_id AND l.version_id = i.version_id
             GROUP BY 1, 2) c
      LEFT JOIN bureau b ON b.bureau_id = c.bureau_id
     ORDER BY c.bureau_id, c.items DESC, c.power_type`.execute(db.kysely);
  return rows.rows;
}

export const WORKLOAD_SPEC = {
  bureau_id: 'string',
  bureau: 'string',
  cases: 'int',
  judged: 'int',
  on_time: 'int',
  late: 'int',
  on_time_rate: 'float',
} as const;

/** Cases per bureau in a month window, and how many stage spans were on time (within the limit or an approved extension). */
export async function workloadByBureau(
  db: Db,
  window: { from?: string; to?: string },
): Promise<RowOf<typeof WORKLOAD_SPEC>[]> {
  const from = window.from ?? '0000-00',
    to = window.to ?? '9999-99';
  const rows = await sql<RowOf<typeof WORKLOAD_SPEC>>`
    WITH v AS (SELECT bureau_id, sum(cases)::int AS cases FROM case_volume_month WHERE month BETWEEN ${from} AND ${to} GROUP BY bureau_id),
         t AS (SELECT bureau_id, sum(on_time + on_time_extended)::int AS on_time, sum(late)::int AS late FROM case_timeliness_month WHERE month BETWEEN ${from} AND ${to} GROUP BY bureau_id)
    SELECT v.bureau_id, coalesce(b.short_name, v.bureau_id) AS bureau, v.cases,
           (coalesce(t.on_time, 0) + coalesce(t.late, 0))::int AS judged, coalesce(t.on_time, 0)::int AS on_time, coalesce(t.late, 0)::int AS late,
           CASE WHEN coalesce(t.on_time, 0) + coalesce(t.late, 0) = 0 THEN NULL ELSE t.on_time::float8 / (t.on_time + t.late) END AS on_time_rate
      FROM v LEFT JOIN t ON t.bureau_id = v.bureau_id LEFT JOIN bureau b ON b.bureau_id = v.bureau_id
     ORDER BY v.bureau_id`.execute(db.kysely);
  return rows.rows;
}

export const CITATIONS_BY_BUREAU_SPEC = {
  bureau_id: 'string',
  bureau: 'string',
  version: 'int',
  citations: 'int',
  needs_action: 'int',
  outdated_list: 'int',
  outdated_now: 'int',
  repealed: 'int',
  unknown: 'int',
  undated: 'int',
} as const;

/** Per bureau, its latest list's citations by what they need (statuses computed as for the 法律依据 page). */
export async function citationsByBureau(db: Db, today: string): Promise<RowOf<typeof CITATIONS_BY_BUREAU_SPEC>[]> {
  const bureaus = await bureauRows(db);
  const out: RowOf<typeof CITATIONS_BY_BUREAU_SPEC>[] = [];
  for (const b of bureaus) {
    const { rows } = await citationRows(db, String(b.bureau_id), { version: Number(b.latest_version), today });
    const n = (keep: (r: (typeof rows)[number]) => boolean) => rows.filter(keep).length;
    out.push({
      bureau_id: b.bureau_id,
      bureau: b.short_name,
      version: b.latest_version,
      citations: rows.length,
      needs_action: n((r) => r.needs_action),
      outdated_list: n((r) => r.status_list === 'outdated'),
      outdated_now: n((r) => r.status_now === 'outdated'),
      repealed: n((r) => r.status_now === 'repealed'),
      unknown: n((r) => r.status_now === 'unknown'),
      undated: n((r) => r.status_now === 'undated'),
    });
  }
  return out;
}
