/**
 * Statistics and year scopes for the set-based steps over case_record. A load COPYs rows into
 * a few yearly partitions and the steps after it (repeats, replacement, the aggregate refresh)
 * are planned on those partitions' statistics: without an ANALYZE they still describe the
 * partition as it was before (often empty), and PostgreSQL picks nested loops that make a
 * second load quadratic. Autovacuum cannot be relied on (off on some servers, absent in PGlite),
 * so every step analyses what it is about to read.
 */
import { partitionName } from './case-partitions.ts';

type Query = <R>(text: string, params?: unknown[]) => Promise<R[]>;

/** The instants a China year covers, as timestamptz literals (partition bounds use the same). */
export const yearBounds = (y: number): [string, string] => [`${y}-01-01 00:00:00+08`, `${y + 1}-01-01 00:00:00+08`];

/** SQL condition on `col` (a timestamptz) keeping the given China years; partition pruning uses it. */
export function inYears(col: string, years: readonly number[]): string {
  if (!years.length) return 'false';
  // Years are integers from our own arithmetic, so interpolating them is safe.
  return `(${years
    .map((y) => {
      const [a, b] = yearBounds(y);
      return `(${col} >= '${a}' AND ${col} < '${b}')`;
    })
    .join(' OR ')})`;
}

/** SQL condition on a 'YYYY-MM' month column keeping the given years. */
export function monthInYears(col: string, years: readonly number[]): string {
  if (!years.length) return 'false';
  return `substr(${col}, 1, 4) IN (${years.map((y) => `'${String(y).padStart(4, '0')}'`).join(', ')})`;
}

/** The partitions of case_record holding the given years: their yearly partition, or the default one. */
export async function partitionsOfYears(query: Query, years: readonly number[]): Promise<string[]> {
  const existing = new Set(
    (
      await query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
          WHERE p.relname = 'case_record' AND p.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`,
      )
    ).map((r) => r.name),
  );
  return [
    ...new Set(years.map((y) => (existing.has(partitionName(y)) ? partitionName(y) : 'case_record_default'))),
  ].sort();
}

/**
 * The columns the set-based steps filter, join or group case_record by; the others (stage
 * times, outcome …) are only read, so no plan needs their statistics.
 */
const PLANNED_COLUMNS = 'bureau_id, case_id, file_id, item_code, started_at, fine_yuan';

/**
 * ANALYZE of case_record tables on the planned columns, from a sample of 3,000 rows
 * (analyzeSampled): row counts and distinct counts are all a hash join or aggregate needs, and
 * the default sample of 30,000 rows cost PGlite 0.3–0.5 s per 200,000-case partition, twice a load.
 */
export async function analyzeCaseTables(query: Query, tables: readonly string[]): Promise<void> {
  await analyzeSampled(
    query,
    tables.map((t) => `${t} (${PLANNED_COLUMNS})`),
  );
}

/**
 * ANALYZE (of `targets`: tables, or tables with their columns) at statistics target 10, a sample
 * of 3,000 rows. The target is restored after, for whatever the transaction analyses next.
 */
export async function analyzeSampled(query: Query, targets: readonly string[]): Promise<void> {
  if (!targets.length) return;
  const [{ target }] = await query<{ target: string }>(
    `SELECT current_setting('default_statistics_target') AS target, set_config('default_statistics_target', '10', true)`,
  );
  try {
    await query(`ANALYZE ${targets.join(', ')}`);
  } finally {
    await query(`SELECT set_config('default_statistics_target', $1, true)`, [target]);
  }
}

/** ANALYZE (analyzeCaseTables) of the partitions holding `years`: cheap at any size. */
export async function analyzeCaseYears(query: Query, years: readonly number[]): Promise<string[]> {
  const parts = await partitionsOfYears(query, years);
  await analyzeCaseTables(query, parts);
  return parts;
}
