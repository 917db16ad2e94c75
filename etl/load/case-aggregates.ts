/**
 * Refreshes the case aggregates the read endpoints answer from (sql/migrations/0005): volumes
 * per item × month, stage-span timeliness per section × span × month (and per item, with late
 * examples and a working-day histogram), and fine compliance. Set-based SQL over case_record,
 * all in one transaction, so a reader sees the previous aggregates until the new ones commit.
 *
 * The item-side facts (which limit bounds which span of an item, which fine ranges an item has)
 * are resolved in TypeScript from the latest list version, the loaded time-limit registry and the
 * derived fine_clause rows, written to item_time_limit / item_fine_range, and joined in SQL.
 *
 * Incremental: with `years` (and a bureau), only the months of those China years are rebuilt,
 * from the partitions holding them, so a load costs in proportion to what it changed; every
 * summary table is keyed by the month a case started, so no other row can change. The
 * partitions read are analysed first (case-stats.ts), so no plan depends on autovacuum.
 */
import { CompiledQuery, sql, type RawBuilder, type Transaction } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { Database, FineTerms } from '../../db/schema.ts';
import { POWER_TYPES, type PowerType } from '../parse/list-types.ts';
import { limitsForItem } from '../registry/time-limits.ts';
import { fineRangeRows } from '../timeliness/fine-ranges.ts';
import { readTimeLimits } from './time-limits-load.ts';
import { LOCKS } from '../../db/locks.ts';
import { insertJsonRows } from '../../db/insert-rows.ts';
import { analyzeCaseTables, analyzeCaseYears, analyzeSampled, inYears, monthInYears } from './case-stats.ts';
import {
  readFactsFingerprint,
  UNKNOWN_ITEM,
  UNKNOWN_VALUE,
  type FileAggregateRows,
  type FileAggregates,
} from './case-file-aggregates.ts';

export { UNKNOWN_ITEM, UNKNOWN_VALUE };

export interface CaseAggregatesReport {
  bureaus: string[];
  cases: number;
  /** Stage spans judged (both ends present and the item's span bounded by a verified limit). */
  spans: number;
  uncoveredSpans: number;
  /** Spans late by their limit and on time within an approved extension. */
  extendedSpans: number;
  finedCases: number;
  /** The years rebuilt (spans and fined cases count these only); null when everything was. */
  years: number[] | null;
  /** Whether the rows came from the loaded file's own counts (case-file-aggregates.ts), not from SQL over its cases. */
  fromFileCounts: boolean;
}

/** A turn of the event loop between statements, for requests waiting on the same connection. */
const turn = () => new Promise<void>((r) => setImmediate(r));
const MONTH = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`);

/** Summary tables keyed by bureau alone, rebuilt whole for the bureau at every refresh (small). */
const BUREAU_TABLES = ['item_time_limit', 'item_fine_range', 'case_aggregate_meta'] as const;
/** Summary tables keyed by bureau and month: an incremental refresh rebuilds the months of its years. */
const MONTH_TABLES = [
  'case_volume_month',
  'case_timeliness_month',
  'case_span_wd_hist',
  'case_timeliness_item_month',
  'case_late_example',
  'fine_compliance_month',
  'fine_outside_case',
] as const;
/** Every summary table a refresh writes. */
export const SUMMARY_TABLES = [...BUREAU_TABLES, ...MONTH_TABLES];

export interface RefreshScope {
  /** One bureau; default every bureau. */
  bureauId?: string;
  /** Only these China years of the bureau (the years a load changed, CaseLoadResult.years); default all. */
  years?: readonly number[];
  /**
   * The one file loaded since the last refresh, with its own summary rows (CaseLoadResult.aggregates):
   * written as they are when they were counted on the facts this refresh resolves, for these years.
   */
  fileAggregates?: FileAggregates | null;
}

export async function refreshCaseAggregates(db: Db, opts: RefreshScope = {}): Promise<CaseAggregatesReport> {
  if (opts.years && opts.bureauId === undefined) throw new Error('refreshCaseAggregates: years need a bureauId');
  const years = opts.years ? [...new Set(opts.years)].sort((a, b) => a - b) : null;
  const limits = await readTimeLimits(db);
  return db.kysely.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCKS.aggregateRefresh})`.execute(tx);
    // Groups and sorts of a year's cases in memory, for this transaction only (PGlite's default is 4 MB).
    await sql`SET LOCAL work_mem = '64MB'`.execute(tx);
    await turn();
    const only = opts.bureauId ?? null;
    const scope = (col = 'bureau_id') => (only === null ? sql<boolean>`true` : sql<boolean>`${sql.ref(col)} = ${only}`);
    // Cases of the refreshed years only (all of them without years): the partitions pruned to by started_at.
    const cases = (alias?: string) => {
      const col = (c: string) => (alias ? `${alias}.${c}` : c);
      return years === null
        ? scope(col('bureau_id'))
        : sql<boolean>`${scope(col('bureau_id'))} AND ${sql.raw(inYears(col('started_at'), years))}`;
    };
    const months = years === null ? sql<boolean>`true` : sql.raw<boolean>(monthInYears('month', years));
    const query = async <R>(text: string, params: unknown[] = []) =>
      (await tx.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
    for (const t of BUREAU_TABLES) await tx.deleteFrom(t).where(scope()).execute();
    for (const t of MONTH_TABLES) await tx.deleteFrom(t).where(scope()).where(months).execute();

    const bureaus = await itemSideFacts(tx, limits, only);
    await turn();

    const fromFile = await usableFileRows(query, opts, years);
    let counts: FileAggregateRows['counts'];
    if (fromFile) counts = await writeFileRows(tx, fromFile);
    else counts = await aggregateCases(tx, query, years, cases, scope('i.bureau_id'));

    await sql`
      INSERT INTO case_aggregate_meta (bureau_id, refreshed_at, min_month, max_month, cases, synthetic_cases)
      SELECT bureau_id, now(), min(month), max(month), sum(cases)::int, sum(synthetic_cases)::int
      FROM case_volume_month WHERE ${scope()} GROUP BY bureau_id`.execute(tx);

    await turn();

    // Fresh statistics, so the small per-request queries plan as hash aggregates: row counts and
    // distinct counts, which a sample of 3,000 rows gives (pg, 5,900,000 cases: 0.2 s of 30,000).
    await analyzeSampled(query, SUMMARY_TABLES);

    const [meta] = (
      await sql<{ cases: number }>`
        SELECT coalesce(sum(cases), 0)::int AS cases FROM case_aggregate_meta WHERE ${scope()}`.execute(tx)
    ).rows;
    return {
      bureaus,
      cases: meta!.cases,
      spans: counts.spans,
      uncoveredSpans: counts.uncovered,
      extendedSpans: counts.extended,
      finedCases: counts.fined,
      years,
      fromFileCounts: fromFile !== null,
    };
  });
}

type Query = <R>(text: string, params?: unknown[]) => Promise<R[]>;

/** The file's own rows, when they can stand for the years rebuilt (RefreshScope.fileAggregates). */
async function usableFileRows(
  query: Query,
  opts: RefreshScope,
  years: readonly number[] | null,
): Promise<FileAggregateRows | null> {
  const file = opts.fileAggregates;
  if (!file || file.unusable !== null || years === null || file.bureauId !== opts.bureauId) return null;
  // A file loaded after it (by another process, and refreshed there) may have cases in its years.
  const [later] = await query('SELECT 1 FROM case_file WHERE bureau_id = $1 AND file_id > $2 LIMIT 1', [
    file.bureauId,
    file.fileId,
  ]);
  if (later) return null;
  // Judged on the limits, ranges and items this refresh has just written, and the calendar as it is.
  const { fingerprint } = await readFactsFingerprint(query, file.bureauId);
  return fingerprint === file.fingerprint ? file.rows() : null;
}

/** Writes the file's own rows into the month tables; the late examples are ranked here, as from the cases. */
async function writeFileRows(tx: Transaction<Database>, rows: FileAggregateRows): Promise<FileAggregateRows['counts']> {
  await insertJsonRows(tx, 'case_volume_month', rows.case_volume_month);
  await insertJsonRows(tx, 'case_timeliness_month', rows.case_timeliness_month);
  await insertJsonRows(tx, 'case_span_wd_hist', rows.case_span_wd_hist);
  await insertJsonRows(tx, 'case_timeliness_item_month', rows.case_timeliness_item_month);
  await insertJsonRows(tx, 'fine_compliance_month', rows.fine_compliance_month);
  await insertJsonRows(tx, 'fine_outside_case', rows.fine_outside_case);
  const late = rows.late_candidates;
  if (late.length) {
    const col = <K extends keyof (typeof late)[number]>(k: K) => late.map((l) => l[k]);
    await sql`
      INSERT INTO case_late_example (bureau_id, month, item_code, span_from, span_to, case_id, from_day, to_day, wd,
                                     extension, extension_approved_at)
      SELECT bureau_id, month, item_code, span_from, span_to, case_id, from_day, to_day, wd, extension, ext_at
      FROM (SELECT *, row_number() OVER (PARTITION BY bureau_id, month, item_code, span_from, span_to ORDER BY wd DESC, case_id) AS rank
            FROM unnest(${col('bureau_id')}::text[], ${col('month')}::text[], ${col('item_code')}::text[],
                        ${col('span_from')}::text[], ${col('span_to')}::text[], ${col('case_id')}::text[],
                        ${col('from_day')}::date[], ${col('to_day')}::date[], ${col('wd')}::int[],
                        ${col('extension')}::text[], ${col('extension_approved_at')}::date[])
                 AS x(bureau_id, month, item_code, span_from, span_to, case_id, from_day, to_day, wd, extension, ext_at)) x
      WHERE rank <= 5`.execute(tx);
  }
  return rows.counts;
}

/** The month tables from the cases themselves, in SQL. */
async function aggregateCases(
  tx: Transaction<Database>,
  query: Query,
  years: readonly number[] | null,
  cases: (alias?: string) => RawBuilder<boolean>,
  itemScope: RawBuilder<boolean>,
): Promise<FileAggregateRows['counts']> {
  if (years === null) await analyzeCaseTables(query, ['case_record']);
  else await analyzeCaseYears(query, years);
  // Each item code's name, section and power type, from its first item in the latest list.
  await sql`
    CREATE TEMP TABLE agg_item ON COMMIT DROP AS
    SELECT DISTINCT ON (i.bureau_id, i.code) i.bureau_id, i.code AS item_code, i.name AS item_name,
           coalesce(i.section, ${UNKNOWN_VALUE}) AS section, coalesce(i.power_type, ${UNKNOWN_VALUE}) AS power_type
    FROM item i JOIN latest_version v ON v.bureau_id = i.bureau_id AND v.version_id = i.version_id
    WHERE i.code IS NOT NULL AND ${itemScope}
    ORDER BY i.bureau_id, i.code, i.seq`.execute(tx);
  await sql`ANALYZE agg_item`.execute(tx);
  // One statement per table, also on PGlite: it runs in a thread of its own (db/pglite-thread.ts),
  // so a long statement no longer holds the server's.
  await sql`
      INSERT INTO case_volume_month (bureau_id, month, item_code, item_name, section, power_type, cases, synthetic_cases)
      SELECT v.bureau_id, v.month, v.item_code, coalesce(d.item_name, ${UNKNOWN_ITEM}), coalesce(d.section, ${UNKNOWN_VALUE}),
             coalesce(d.power_type, ${UNKNOWN_VALUE}), v.cases, v.synthetic_cases
      FROM (${years === null ? volumesByMonth(cases()) : volumesByMonthOfYears(cases(), years)}) v
      LEFT JOIN agg_item d ON d.bureau_id = v.bureau_id AND d.item_code = v.item_code`.execute(tx);
  await turn();

  await judgeSpans(tx, cases);
  await judgeFines(tx, cases);
  const [counts] = (
    await sql<FileAggregateRows['counts']>`
      SELECT (SELECT count(*)::int FROM agg_span) AS spans,
             (SELECT count(*)::int FROM agg_span WHERE verdict = 'uncovered') AS uncovered,
             (SELECT count(*)::int FROM agg_span WHERE verdict = 'on_time_extended') AS extended,
             (SELECT count(*)::int FROM agg_fine) AS fined`.execute(tx)
  ).rows;
  return counts!;
}

/** Cases per bureau × month × item, with the month read from each case's start. */
const volumesByMonth = (cases: RawBuilder<boolean>) => sql`
  SELECT bureau_id, ${MONTH('started_at')} AS month, item_code, count(*)::int AS cases,
         (count(*) FILTER (WHERE synthetic))::int AS synthetic_cases
  FROM case_record WHERE ${cases} GROUP BY 1, 2, 3`;

/**
 * The same for cases of the given years, grouped by the month whose bounds a case's start falls
 * between instead: a comparison per case where to_char(… AT TIME ZONE …) converted every one
 * (PGlite, 200,000 cases: 0.11 s against 0.22 s warm).
 */
const volumesByMonthOfYears = (cases: RawBuilder<boolean>, years: readonly number[]) => {
  const series = sql.raw(
    `generate_series(date '${years[0]}-01-01', date '${years[years.length - 1]}-12-01', interval '1 month') d`,
  );
  return sql`
    WITH m AS (SELECT row_number() OVER (ORDER BY d)::int AS bucket, to_char(d, 'YYYY-MM') AS month,
                      d::timestamp AT TIME ZONE 'Asia/Shanghai' AS starts FROM ${series})
    SELECT v.bureau_id, m.month, v.item_code, v.cases, v.synthetic_cases
    FROM (SELECT bureau_id, width_bucket(started_at, (SELECT array_agg(starts ORDER BY bucket) FROM m)) AS bucket, item_code,
                 count(*)::int AS cases, (count(*) FILTER (WHERE synthetic))::int AS synthetic_cases
          FROM case_record WHERE ${cases} GROUP BY 1, 2, 3) v
    JOIN m ON m.bucket = v.bucket`;
};

/**
 * Whether the bureau's aggregates were last refreshed after everything else they depend on
 * (every case file but `fileIds`, the calendar, the list), so rebuilding the years those files
 * changed brings them up to date. False when a refresh never ran or failed after a load.
 */
export async function refreshedSinceBefore(db: Db, bureauId: string, fileIds: readonly number[]): Promise<boolean> {
  const r = await sql<{ ok: boolean | null }>`
    SELECT m.refreshed_at >= greatest(
             (SELECT max(loaded_at) FROM case_file WHERE bureau_id = ${bureauId} AND NOT (file_id = ANY(${[...fileIds]}::int[]))),
             (SELECT max(loaded_at) FROM calendar_year),
             (SELECT max(loaded_at) FROM list_version WHERE bureau_id = ${bureauId})) AS ok
    FROM case_aggregate_meta m WHERE m.bureau_id = ${bureauId}`.execute(db.kysely);
  return r.rows[0]?.ok === true;
}

/** Resolves each item's time limits and fine ranges from the latest list version. */
async function itemSideFacts(
  tx: Transaction<Database>,
  limits: Awaited<ReturnType<typeof readTimeLimits>>,
  only: string | null,
): Promise<string[]> {
  let q = tx
    .selectFrom('item as i')
    .innerJoin('latest_version as v', (j) =>
      j.onRef('v.bureau_id', '=', 'i.bureau_id').onRef('v.version_id', '=', 'i.version_id'),
    )
    .select(['i.bureau_id', 'i.code', 'i.seq', 'i.name', 'i.power_type', 'i.section'])
    .where('i.code', 'is not', null)
    .orderBy('i.bureau_id')
    .orderBy('i.code')
    .orderBy('i.seq');
  if (only !== null) q = q.where('i.bureau_id', '=', only);
  const items = await q.execute();
  // Fine clauses as derived from the list when it was loaded (fine_clause): never re-parsed here.
  let fq = tx
    .selectFrom('fine_clause as f')
    .innerJoin('latest_version as v', (j) =>
      j.onRef('v.bureau_id', '=', 'f.bureau_id').onRef('v.version_id', '=', 'f.version_id'),
    )
    .select([
      'f.bureau_id',
      'f.seq',
      'f.kind',
      'f.min_yuan',
      'f.max_yuan',
      'f.min_multiple',
      'f.max_multiple',
      'f.per',
      'f.clause_text',
    ])
    .orderBy('f.bureau_id')
    .orderBy('f.seq')
    .orderBy('f.clause_no');
  if (only !== null) fq = fq.where('f.bureau_id', '=', only);
  const derived = new Map<string, (FineTerms & { clause_text: string })[]>();
  for (const f of await fq.execute()) {
    const key = `${f.bureau_id}\u0000${f.seq}`;
    derived.set(key, [...(derived.get(key) ?? []), f]);
  }
  const seen = new Set<string>();
  const limitRows: Database['item_time_limit'][] = [];
  const fineRows: Database['item_fine_range'][] = [];
  for (const it of items) {
    const key = `${it.bureau_id}\u0000${it.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const powerType = (POWER_TYPES as readonly string[]).includes(it.power_type ?? '')
      ? (it.power_type as PowerType)
      : null;
    for (const l of limitsForItem(limits, {
      code: it.code,
      power_type: powerType,
      section: it.section,
      name: it.name,
    })) {
      limitRows.push({
        bureau_id: it.bureau_id,
        item_code: it.code!,
        span_from: l.span.from,
        span_to: l.span.to,
        limit_id: l.id,
        days: l.days,
        unit: l.unit,
        applies_from: l.applies_from?.date ?? null,
        extension_days: l.extension?.days ?? null,
        extension_unit: l.extension?.unit ?? null,
      });
    }
    for (const r of fineRangeRows(derived.get(`${it.bureau_id}\u0000${it.seq}`) ?? []))
      fineRows.push({ bureau_id: it.bureau_id, item_code: it.code!, ...r });
  }
  // As one JSON parameter each: PGlite took 20 ms to bind the 1,500 values of 150 limits one by one.
  await insertJsonRows(tx, 'item_time_limit', limitRows);
  await insertJsonRows(tx, 'item_fine_range', fineRows);
  // Rewritten in this transaction: the span and fine joins need their real sizes (a first refresh has no statistics at all).
  await sql`ANALYZE item_time_limit, item_fine_range`.execute(tx);
  return [...new Set(items.map((i) => i.bureau_id))];
}

/** The extension counts of a group of judged spans (sql/migrations/0014). */
const EXTENDED_COUNTS = sql.raw(`(count(*) FILTER (WHERE verdict = 'on_time_extended'))::int,
           (count(*) FILTER (WHERE extension IN ('no_provision', 'approved_late')))::int`);

const STAGE_DAY = (alias: string, col: string) =>
  sql.raw(`(CASE ${alias}.${col} WHEN 'received' THEN c.received_at WHEN 'accepted' THEN c.accepted_at
    WHEN 'investigated' THEN c.investigated_at WHEN 'reviewed' THEN c.reviewed_at WHEN 'decided' THEN c.decided_at
    WHEN 'served' THEN c.served_at WHEN 'closed' THEN c.closed_at END AT TIME ZONE 'Asia/Shanghai')::date`);

/** Working days up to and including `day` (NULL when the calendar does not cover it). */
const WD_UPTO = (day: string) => `(SELECT wd_index FROM work_calendar WHERE day = ${day})`;
/** Working days up to the day before `day`: wd_index − working. */
const WD_BEFORE = (day: string) => `(SELECT wd_index - working::int FROM work_calendar WHERE day = ${day})`;

/**
 * What an approved extension does for a span late by its limit (judge-span.ts judgeSpan): the
 * limit provides none (no_provision); approved after the original deadline (approved_late);
 * the end within the extension, counted in its own unit from the day the original period ends
 * (applied); or not (exceeded). Scalar lookups in the calendar, evaluated only for the few late
 * spans of extended cases. `v` is a judged span with ext_at, ext_days and ext_unit.
 */
const EXTENSION_USE = sql.raw(`CASE
    WHEN v.ext_days IS NULL THEN 'no_provision'
    WHEN NOT (v.ext_at <= v.from_day OR coalesce(CASE WHEN v.unit = 'working'
           THEN ${WD_BEFORE('v.ext_at')} - ${WD_UPTO('v.from_day')} < v.days
           ELSE v.ext_at <= v.from_day + v.days OR ${WD_BEFORE('v.ext_at')} - ${WD_BEFORE('v.from_day + v.days')} = 0 END, false))
      THEN 'approved_late'
    WHEN coalesce(CASE WHEN v.ext_unit = 'working'
           THEN ${WD_BEFORE('v.to_day')} - CASE WHEN v.unit = 'working' THEN ${WD_UPTO('v.from_day')} + v.days
                                             ELSE ${WD_UPTO('v.from_day + v.days')} END < v.ext_days
           ELSE v.to_day <= v.original_end + v.ext_days
             OR ${WD_BEFORE('v.to_day')} - ${WD_BEFORE('v.original_end + v.ext_days')} = 0 END, false)
      THEN 'applied'
    ELSE 'exceeded' END`);

/** The day the original period ends, before any move off a rest day (only needed for a calendar-day extension). */
const ORIGINAL_END = sql.raw(`CASE WHEN v.unit = 'working'
    THEN (SELECT day FROM work_calendar WHERE working AND wd_index = ${WD_UPTO('v.from_day')} + v.days)
    ELSE v.from_day + v.days END`);

/**
 * One row per bounded span of each case, judged on the calendar. Working-day limits: on time
 * when fewer than n working days lie strictly between start and end, i.e. the end is not after
 * the n-th working day. Calendar-day limits: on time when the end is within start + n days, or
 * only rest days separate it from start + n (a period ending on a rest day runs to the next
 * working day). Either end outside the covered calendar: uncovered, neither on time nor late.
 * A late span of a case with an approved extension: see EXTENSION_USE; `applied` makes it
 * on_time_extended.
 */
async function judgeSpans(tx: Transaction<Database>, cases: (alias?: string) => RawBuilder<boolean>) {
  const judged = sql`
    SELECT s.*,
      CASE WHEN a.day IS NULL OR b.day IS NULL OR b.run_start > s.from_day THEN NULL ELSE b.wd_index - a.wd_index END AS wd,
      CASE
        WHEN a.day IS NULL OR b.day IS NULL OR b.run_start > s.from_day THEN 'uncovered'
        WHEN s.unit = 'working' THEN
          CASE WHEN (b.wd_index - b.working::int) - a.wd_index < s.days THEN 'on_time' ELSE 'late' END
        WHEN s.to_day <= s.from_day + s.days THEN 'on_time'
        WHEN (b.wd_index - b.working::int) - (n.wd_index - n.working::int) = 0 THEN 'on_time'
        ELSE 'late'
      END AS verdict
    FROM (
      SELECT c.bureau_id, c.case_id, c.item_code, ${MONTH('c.started_at')} AS month, d.item_name, d.section, d.power_type,
             l.span_from, l.span_to, l.limit_id, l.days, l.unit, l.applies_from, ${STAGE_DAY('l', 'span_from')} AS from_day, ${STAGE_DAY('l', 'span_to')} AS to_day,
             c.extension_approved_at AS ext_at, l.extension_days AS ext_days, l.extension_unit AS ext_unit
      FROM case_record c
      JOIN item_time_limit l ON l.bureau_id = c.bureau_id AND l.item_code = c.item_code
      JOIN agg_item d ON d.bureau_id = c.bureau_id AND d.item_code = c.item_code
      WHERE ${cases('c')}
      -- A fence: flattened, the day expressions above were evaluated again in every join and CASE
      -- that reads them (PGlite, 200,000 cases: 0.97 s, 0.37 s with it).
      OFFSET 0
    ) s
    LEFT JOIN work_calendar a ON a.day = s.from_day
    LEFT JOIN work_calendar b ON b.day = s.to_day
    LEFT JOIN work_calendar n ON n.day = s.from_day + s.days
    WHERE s.from_day IS NOT NULL AND s.to_day IS NOT NULL
      -- a limit binds only spans that start once its text is in force (limitApplies)
      AND (s.applies_from IS NULL OR s.from_day >= s.applies_from::date)`;
  const spans = sql`
    SELECT bureau_id, case_id, item_code, month, item_name, section, power_type, span_from, span_to, limit_id, days, unit,
           applies_from, from_day, to_day, ext_at, ext_days, ext_unit, wd,
           CASE WHEN extension = 'applied' THEN 'on_time_extended' ELSE verdict END AS verdict, extension
    FROM (SELECT v.*, CASE WHEN v.verdict = 'late' AND v.ext_at IS NOT NULL THEN ${EXTENSION_USE} END AS extension
          FROM (SELECT v.*, CASE WHEN v.verdict = 'late' AND v.ext_at IS NOT NULL AND v.ext_unit = 'calendar'
                                 THEN ${ORIGINAL_END} END AS original_end
                FROM (${judged}) v) v) x`;
  await sql`CREATE TEMP TABLE agg_span ON COMMIT DROP AS ${spans}`.execute(tx);
  await turn();

  await sql`
    INSERT INTO case_timeliness_month (bureau_id, month, section, span_from, span_to, cases, on_time, late, uncovered,
                                       on_time_extended, extension_unapplied, median_wd, p90_wd)
    SELECT bureau_id, month, section, span_from, span_to, count(*)::int,
           (count(*) FILTER (WHERE verdict = 'on_time'))::int, (count(*) FILTER (WHERE verdict = 'late'))::int,
           (count(*) FILTER (WHERE verdict = 'uncovered'))::int, ${EXTENDED_COUNTS},
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY wd))::float8, (percentile_cont(0.9) WITHIN GROUP (ORDER BY wd))::float8
    FROM agg_span GROUP BY 1, 2, 3, 4, 5`.execute(tx);
  await turn();

  await sql`
    INSERT INTO case_span_wd_hist (bureau_id, month, item_code, span_from, span_to, wd, section, power_type, cases)
    SELECT bureau_id, month, item_code, span_from, span_to, wd, min(section), min(power_type), count(*)::int
    FROM agg_span WHERE wd IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6`.execute(tx);
  await turn();

  await sql`
    INSERT INTO case_timeliness_item_month (bureau_id, month, item_code, span_from, span_to, item_name, section, power_type,
                                            limit_id, days, unit, cases, on_time, late, uncovered,
                                            on_time_extended, extension_unapplied, extension_days, extension_unit)
    SELECT bureau_id, month, item_code, span_from, span_to, min(item_name), min(section), min(power_type),
           min(limit_id), min(days), min(unit), count(*)::int,
           (count(*) FILTER (WHERE verdict = 'on_time'))::int, (count(*) FILTER (WHERE verdict = 'late'))::int,
           (count(*) FILTER (WHERE verdict = 'uncovered'))::int, ${EXTENDED_COUNTS}, min(ext_days), min(ext_unit)
    FROM agg_span GROUP BY 1, 2, 3, 4, 5`.execute(tx);
  await turn();

  await sql`
    INSERT INTO case_late_example (bureau_id, month, item_code, span_from, span_to, case_id, from_day, to_day, wd,
                                   extension, extension_approved_at)
    SELECT bureau_id, month, item_code, span_from, span_to, case_id, from_day, to_day, wd, extension, ext_at
    FROM (SELECT *, row_number() OVER (PARTITION BY bureau_id, month, item_code, span_from, span_to ORDER BY wd DESC, case_id) AS rank
          FROM agg_span WHERE verdict = 'late') x
    WHERE rank <= 5`.execute(tx);
  await turn();
}

/**
 * Every fined case against every range of its item (the case does not say which clause
 * applied): see etl/timeliness/fine-ranges.ts judgeFine, which this mirrors.
 */
async function judgeFines(tx: Transaction<Database>, cases: (alias?: string) => RawBuilder<boolean>) {
  await sql`
    CREATE TEMP TABLE agg_fine ON COMMIT DROP AS
    SELECT f.bureau_id, f.case_id, f.item_code, f.month, f.fine, f.persons,
      CASE WHEN count(r.v) = 0 THEN 'no_range'
           WHEN bool_or(r.v = 'inside') THEN 'inside'
           WHEN bool_or(r.v = 'unknown') THEN 'not_checkable'
           WHEN bool_and(r.v = 'below') THEN 'below'
           WHEN bool_and(r.v = 'above') THEN 'above'
           ELSE 'outside' END AS verdict
    FROM (SELECT bureau_id, case_id, item_code, ${MONTH('started_at')} AS month, fine_yuan::float8 AS fine, persons
          FROM case_record WHERE fine_yuan IS NOT NULL AND ${cases()}) f
    LEFT JOIN LATERAL (
      SELECT CASE
        WHEN r.kind = 'multiple' THEN CASE WHEN r.max_yuan IS NOT NULL AND f.fine > r.max_yuan THEN 'above' ELSE 'unknown' END
        WHEN r.per_person AND f.persons IS NULL THEN 'unknown'
        WHEN r.kind <> 'cap_only' AND f.fine < coalesce(r.min_yuan, 0) * CASE WHEN r.per_person THEN f.persons ELSE 1 END THEN 'below'
        WHEN r.max_yuan IS NOT NULL AND f.fine > r.max_yuan * CASE WHEN r.per_person THEN f.persons ELSE 1 END THEN 'above'
        ELSE 'inside' END AS v
      FROM item_fine_range r WHERE r.bureau_id = f.bureau_id AND r.item_code = f.item_code
    ) r ON true
    GROUP BY f.bureau_id, f.case_id, f.item_code, f.month, f.fine, f.persons`.execute(tx);
  await turn();

  await sql`
    INSERT INTO fine_compliance_month (bureau_id, month, item_code, item_name, section, power_type,
                                       fined_cases, inside, below, above, outside_other, not_checkable, no_range)
    SELECT f.bureau_id, f.month, f.item_code, coalesce(min(d.item_name), ${UNKNOWN_ITEM}), coalesce(min(d.section), ${UNKNOWN_VALUE}),
           coalesce(min(d.power_type), ${UNKNOWN_VALUE}), count(*)::int,
           (count(*) FILTER (WHERE verdict = 'inside'))::int, (count(*) FILTER (WHERE verdict = 'below'))::int,
           (count(*) FILTER (WHERE verdict = 'above'))::int, (count(*) FILTER (WHERE verdict = 'outside'))::int,
           (count(*) FILTER (WHERE verdict = 'not_checkable'))::int, (count(*) FILTER (WHERE verdict = 'no_range'))::int
    FROM agg_fine f LEFT JOIN agg_item d ON d.bureau_id = f.bureau_id AND d.item_code = f.item_code
    GROUP BY 1, 2, 3`.execute(tx);
  await turn();

  await sql`
    INSERT INTO fine_outside_case (bureau_id, month, item_code, case_id, fine_yuan, persons, verdict)
    SELECT bureau_id, month, item_code, case_id, fine, persons, verdict
    FROM agg_fine WHERE verdict IN ('below', 'above', 'outside')`.execute(tx);
  await turn();
}
