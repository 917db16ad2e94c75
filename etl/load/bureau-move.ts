/**
 * Moves one bureau's rows from its shard to another: copied into the target in one transaction
 * (rows a move left there before are replaced), the placement switched on the coordinator, then
 * deleted from the source. There are no cross-shard transactions: a move stopped after the copy
 * leaves the source rows in place but unseen (the placement decides), and running it again
 * finishes it.
 */
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { bureauTables, syncPartitions, type Shard } from '../../db/cluster.ts';
import type { Db } from '../../db/connect.ts';
import { ensureYearPartitions } from './case-partitions.ts';

/** Tables in an order that satisfies their foreign keys (referenced first). */
async function fkOrder(db: Db, tables: readonly string[]): Promise<string[]> {
  const deps = await sql<{ child: string; parent: string }>`
    SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
      JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
     WHERE k.contype = 'f'`.execute(db.kysely);
  const done: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (done.includes(t) || path.has(t)) return;
    path.add(t);
    for (const d of deps.rows) if (d.child === t && tables.includes(d.parent) && d.parent !== t) visit(d.parent, path);
    done.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return done;
}

export async function moveBureau(
  coordinator: Db,
  bureauId: string,
  from: { shard: Shard; db: Db },
  to: { shard: Shard; db: Db },
): Promise<{ tables: number; rows: number }> {
  const tables = await fkOrder(to.db, await bureauTables(to.db));
  let rows = 0;
  await to.db.session(async (dst) => {
    await from.db.session(async (src) => {
      await dst.query('BEGIN');
      try {
        for (const t of [...tables].reverse()) await dst.query(`DELETE FROM ${t} WHERE bureau_id = $1`, [bureauId]);
        const bureau = await src.query(
          'SELECT bureau_id, name, short_name, credit_code, region, profile::text AS profile FROM bureau WHERE bureau_id = $1',
          [bureauId],
        );
        for (const b of bureau as {
          bureau_id: string;
          name: string;
          short_name: string;
          credit_code: string | null;
          region: string | null;
          profile: string | null;
        }[]) {
          await dst.query(
            `INSERT INTO bureau (bureau_id, name, short_name, credit_code, region, profile) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
             ON CONFLICT (bureau_id) DO UPDATE SET name = EXCLUDED.name, short_name = EXCLUDED.short_name, credit_code = EXCLUDED.credit_code, region = EXCLUDED.region, profile = EXCLUDED.profile`,
            [b.bureau_id, b.name, b.short_name, b.credit_code, b.region, b.profile],
          );
        }
        const [years] = await src.query<{ lo: number | null; hi: number | null }>(
          `SELECT min(extract(year FROM started_at AT TIME ZONE 'Asia/Shanghai'))::int AS lo, max(extract(year FROM started_at AT TIME ZONE 'Asia/Shanghai'))::int AS hi FROM case_record WHERE bureau_id = $1`,
          [bureauId],
        );
        if (years?.lo != null && years.hi != null)
          await ensureYearPartitions(dst, years.lo, years.hi, new Date().getUTCFullYear() + 1);
        for (const t of tables) {
          const quoted = bureauId.replace(/'/g, "''");
          await pipeline(
            src.pgClient!.query(copyTo(`COPY (SELECT * FROM ${t} WHERE bureau_id = '${quoted}') TO STDOUT`)),
            dst.pgClient!.query(copyFrom(`COPY ${t} FROM STDIN`)),
          );
          const [n] = await dst.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} WHERE bureau_id = $1`, [
            bureauId,
          ]);
          rows += n?.n ?? 0;
        }
        await dst.query('COMMIT');
      } catch (err) {
        await dst.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  });
  await coordinator.kysely
    .updateTable('bureau_placement')
    .set({ shard: to.shard.shard, placed_at: new Date() })
    .where('bureau_id', '=', bureauId)
    .execute();
  await syncPartitions(coordinator);
  await from.db.kysely.transaction().execute(async (tx) => {
    for (const t of [...tables].reverse())
      await sql`DELETE FROM ${sql.table(t)} WHERE bureau_id = ${bureauId}`.execute(tx);
  });
  return { tables: tables.length, rows };
}
