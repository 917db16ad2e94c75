import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { connect, type Db } from '../../db/connect.ts';
import { migrate } from '../../db/migrate.ts';
import { readMigrations } from '../../db/migrations.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export type Backend = 'pglite' | 'pg';
/** Every database test runs on both backends. */
export const BACKENDS: Backend[] = ['pglite', 'pg'];

/** Server used for the pg backend: a throwaway database is created on it per test database. */
export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export interface TestDb {
  db: Db;
  /** Connection string of the throwaway database (pg backend only). */
  url: string | null;
  drop(): Promise<void>;
}

/** A fresh, migrated database: in-memory PGlite, or a new database on the PostgreSQL server. */
export async function createTestDb(backend: Backend, { migrated = true } = {}): Promise<TestDb> {
  const migrations = await readMigrations(join(ROOT, 'sql/migrations'));
  if (backend === 'pglite') {
    const db = await connect({ kind: 'pglite', dir: null });
    if (migrated) await migrate(db, migrations);
    return { db, url: null, drop: () => db.close() };
  }
  const admin = adminUrl();
  const name = `quanze_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect().catch((err: Error) => {
    throw new Error(
      `cannot reach PostgreSQL at ${admin} for the pg-backend tests (set TEST_DATABASE_URL): ${err.message}`,
    );
  });
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = await connect({ kind: 'pg', url: url.toString() });
  if (migrated) await migrate(db, migrations);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      await dropDatabase(admin, name);
    },
  };
}

/**
 * Drops a suite's throwaway database without waiting on anything else on the shared server:
 * first terminates the sessions still connected to it (only ours ever are), then drops it with
 * a lock timeout, retrying a few times. DROP … WITH (FORCE) alone waited on other sessions' locks
 * (a COPY elsewhere) past the hook timeout.
 */
export async function dropDatabase(admin: string, name: string, attempts = 5): Promise<void> {
  const c = new pg.Client({ connectionString: admin, statement_timeout: 10_000 });
  await c.connect();
  try {
    for (let i = 1; ; i++) {
      try {
        await c.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        await c.query(`SET lock_timeout = '5s'`);
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        return;
      } catch (err) {
        if (i >= attempts)
          throw new Error(`could not drop test database ${name} after ${attempts} attempts`, { cause: err });
        await new Promise((r) => setTimeout(r, 200 * i));
      }
    }
  } finally {
    await c.end();
  }
}
