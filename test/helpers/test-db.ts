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
    throw new Error(`cannot reach PostgreSQL at ${admin} for the pg-backend tests (set TEST_DATABASE_URL): ${err.message}`);
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
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
