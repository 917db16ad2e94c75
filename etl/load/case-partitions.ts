/**
 * Yearly partitions of case_record, created on demand inside the load's transaction. Years are
 * China years (a case received at 2025-01-01 00:30 Beijing time belongs to 2025). Years outside
 * the window stay in the default partition, so creating a partition never has to move rows.
 */
import type { Session } from '../../db/connect.ts';

export const FIRST_PARTITION_YEAR = 2000;

export const partitionName = (year: number) => `case_record_y${year}`;

/** Creates the missing yearly partitions for [fromYear, toYear] ∩ [2000, lastYear]; returns those created. */
export async function ensureYearPartitions(
  s: Session,
  fromYear: number,
  toYear: number,
  lastYear: number,
): Promise<number[]> {
  const lo = Math.max(fromYear, FIRST_PARTITION_YEAR);
  const hi = Math.min(toYear, lastYear);
  if (lo > hi) return [];
  const existing = new Set(
    (
      await s.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i
           JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
          WHERE p.relname = 'case_record' AND p.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`,
      )
    ).map((r) => r.name),
  );
  const created: number[] = [];
  for (let y = lo; y <= hi; y++) {
    if (existing.has(partitionName(y))) continue;
    const from = `${y}-01-01 00:00:00+08`,
      to = `${y + 1}-01-01 00:00:00+08`;
    // Rows of this year already in the default partition (only possible if someone inserted them
    // directly) would make the new partition fail: leave them there rather than move data.
    const stray = await s.query(
      `SELECT 1 FROM case_record_default WHERE started_at >= $1 AND started_at < $2 LIMIT 1`,
      [from, to],
    );
    if (stray.length) continue;
    // y is an integer from our own arithmetic, so interpolating it is safe.
    await s.query(`CREATE TABLE ${partitionName(y)} PARTITION OF case_record FOR VALUES FROM ('${from}') TO ('${to}')`);
    created.push(y);
  }
  return created;
}
