/**
 * Bureau-sharded deployment on PostgreSQL's own machinery. A coordinator database keeps the
 * reference data (registry, calendar, time limits, bureaus) and, for every table keyed by
 * bureau_id, a parent partitioned BY LIST (bureau_id) whose partitions are postgres_fdw foreign
 * tables: one per shard, holding the bureaus placed there. Each shard is a normal quanze database.
 * The endpoints' SQL runs unchanged on the coordinator: a bureau's query is pruned to its shard,
 * and an aggregate over all bureaus runs on the shards in parallel (async foreign scans,
 * partition-wise aggregation) and ships only the groups. Loads go straight to a bureau's shard.
 */
import { sql } from 'kysely';
import type { Db } from './connect.ts';

export interface Shard {
  shard: string;
  url: string;
}

/** shard1, shard2, … in the order SHARD_URLS lists them. */
export function shardsOf(urls: readonly string[]): Shard[] {
  return urls.map((url, i) => ({ shard: `shard${i + 1}`, url }));
}

const server = (shard: string) => `quanze_${shard}`;

/** Tables keyed by bureau_id that live on the shards: every table with the column, but the bureau registry itself. */
export async function bureauTables(db: Db): Promise<string[]> {
  const rows = await sql<{ table: string }>`
    SELECT c.relname AS table
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'bureau_id' AND NOT a.attisdropped
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname NOT IN ('bureau', 'bureau_placement')
     ORDER BY c.relname`.execute(db.kysely);
  return rows.rows.map((r) => r.table);
}

function connectionOptions(url: string): {
  host: string;
  port: string;
  dbname: string;
  user: string;
  password: string | null;
} {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port || '5432',
    dbname: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    user: decodeURIComponent(u.username) || 'postgres',
    password: u.password ? decodeURIComponent(u.password) : null,
  };
}

/**
 * Makes the configured database a coordinator of these shards: foreign servers and user mappings,
 * bureau-keyed tables turned into LIST-partitioned parents, foreign partitions per placement.
 * Idempotent; refuses a database that holds bureau data itself (a coordinator starts empty).
 */
export async function initCoordinator(db: Db, shards: readonly Shard[]): Promise<{ tables: string[] }> {
  const tables = await bureauTables(db);
  await db.kysely.transaction().execute(async (tx) => {
    await sql`CREATE EXTENSION IF NOT EXISTS postgres_fdw`.execute(tx);
    for (const s of shards) {
      const c = connectionOptions(s.url);
      const exists = await sql`SELECT 1 FROM pg_foreign_server WHERE srvname = ${server(s.shard)}`.execute(tx);
      const options = `host ${lit(c.host)}, port ${lit(c.port)}, dbname ${lit(c.dbname)}`;
      if (exists.rows.length) {
        await sql
          .raw(
            `ALTER SERVER ${ident(server(s.shard))} OPTIONS (SET host ${lit(c.host)}, SET port ${lit(c.port)}, SET dbname ${lit(c.dbname)})`,
          )
          .execute(tx);
      } else {
        // use_remote_estimate: plans use the shard's statistics; async_capable: shards scanned in parallel.
        await sql
          .raw(
            `CREATE SERVER ${ident(server(s.shard))} FOREIGN DATA WRAPPER postgres_fdw OPTIONS (${options}, use_remote_estimate 'true', fetch_size '10000', async_capable 'true')`,
          )
          .execute(tx);
        const password = c.password === null ? '' : `, password ${lit(c.password)}`;
        await sql
          .raw(
            `CREATE USER MAPPING FOR CURRENT_USER SERVER ${ident(server(s.shard))} OPTIONS (user ${lit(c.user)}${password})`,
          )
          .execute(tx);
      }
      await tx
        .insertInto('cluster_shard')
        .values(s)
        .onConflict((oc) => oc.column('shard').doUpdateSet({ url: s.url }))
        .execute();
    }
    for (const t of tables) await partitionByBureau(tx as never, t);
    // The view over list_version went with the table it reads: the same definition as 0001_core.sql.
    await sql`CREATE OR REPLACE VIEW latest_version AS
      SELECT DISTINCT ON (bureau_id) bureau_id, version_id FROM list_version ORDER BY bureau_id, version_id DESC`.execute(
      tx,
    );
  });
  await syncPartitions(db);
  return { tables };
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Turns a local table into a parent partitioned by bureau (its local rows must be none). */
async function partitionByBureau(tx: Db['kysely'], table: string): Promise<void> {
  const key = await sql<{ key: string | null }>`
    SELECT pg_get_partkeydef(c.oid) AS key FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relname = ${table}`.execute(tx);
  if (key.rows[0]?.key === 'LIST (bureau_id)') return;
  const any = await sql.raw(`SELECT 1 FROM ${ident(table)} LIMIT 1`).execute(tx);
  if (any.rows.length)
    throw new Error(
      `the coordinator holds rows in ${table}: a coordinator starts empty; load bureaus through it onto the shards (etl load --bureau)`,
    );
  const tmp = `${table}__by_bureau`;
  await sql
    .raw(`CREATE TABLE ${ident(tmp)} (LIKE ${ident(table)} INCLUDING DEFAULTS) PARTITION BY LIST (bureau_id)`)
    .execute(tx);
  await sql.raw(`DROP TABLE ${ident(table)} CASCADE`).execute(tx);
  await sql.raw(`ALTER TABLE ${ident(tmp)} RENAME TO ${ident(table)}`).execute(tx);
}

/** Rebuilds every bureau table's foreign partitions from the placements: one per shard that holds bureaus. */
export async function syncPartitions(db: Db): Promise<void> {
  const [tables, placements, shards] = await Promise.all([
    bureauTables(db),
    db.kysely.selectFrom('bureau_placement').select(['bureau_id', 'shard']).orderBy('bureau_id').execute(),
    db.kysely.selectFrom('cluster_shard').select(['shard']).orderBy('shard').execute(),
  ]);
  await db.kysely.transaction().execute(async (tx) => {
    for (const t of tables) {
      for (const { shard } of shards) {
        const part = `${t}__${shard}`;
        await sql.raw(`DROP FOREIGN TABLE IF EXISTS ${ident(part)}`).execute(tx);
        const bureaus = placements.filter((p) => p.shard === shard).map((p) => lit(p.bureau_id));
        if (!bureaus.length) continue;
        await sql
          .raw(
            `CREATE FOREIGN TABLE ${ident(part)} PARTITION OF ${ident(t)} FOR VALUES IN (${bureaus.join(', ')}) SERVER ${ident(server(shard))} OPTIONS (schema_name 'public', table_name ${lit(t)})`,
          )
          .execute(tx);
      }
    }
  });
}

/** The shard a bureau lives on; a new bureau goes to the shard with the fewest bureaus. */
export async function placeBureau(db: Db, bureauId: string): Promise<{ shard: Shard; placed: boolean }> {
  const shards = await db.kysely.selectFrom('cluster_shard').selectAll().orderBy('shard').execute();
  if (!shards.length)
    throw new Error('this database is not a coordinator yet: run `npm run -s etl -- cluster init` with SHARD_URLS set');
  const have = await db.kysely
    .selectFrom('bureau_placement')
    .select('shard')
    .where('bureau_id', '=', bureauId)
    .executeTakeFirst();
  if (have) return { shard: shards.find((s) => s.shard === have.shard)!, placed: false };
  const counts = await db.kysely
    .selectFrom('bureau_placement')
    .select(['shard', sql<number>`count(*)::int`.as('n')])
    .groupBy('shard')
    .execute();
  const load = (s: string) => counts.find((c) => c.shard === s)?.n ?? 0;
  const target = [...shards].sort((a, b) => load(a.shard) - load(b.shard) || a.shard.localeCompare(b.shard))[0]!;
  await db.kysely.insertInto('bureau_placement').values({ bureau_id: bureauId, shard: target.shard }).execute();
  await syncPartitions(db);
  return { shard: target, placed: true };
}

/** The shard a postgres_fdw error names when the coordinator could not reach it, else null. */
export function unreachableShard(err: unknown): string | null {
  const e = err as { message?: string; code?: string };
  const m = /server "quanze_(shard\d+)"/.exec(e.message ?? '');
  if (!m) return null;
  // 08xxx: connection exceptions; postgres_fdw also reports a lost connection in the message.
  return e.code?.startsWith('08') ||
    /could not connect|connection .*(failed|lost|closed)|terminat/i.test(e.message ?? '')
    ? m[1]!
    : null;
}
