import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../core/config.ts';
import { connect, type Db } from './connect.ts';
import { migrate } from './migrate.ts';
import { readMigrations } from './migrations.ts';

/** Where the configured database is: the server of DATABASE_URL, or PGlite under DATA_DIR. */
export function describeDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): string {
  return config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${join(config.dataDir, 'pglite')}`;
}

/**
 * The configured database, migrated: what `npm start` and every CLI command open. DATA_DIR and its
 * folders are created when missing, so a first run on a new machine needs nothing made by hand.
 */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'root'>): Promise<{ db: Db; applied: string[] }> {
  await mkdir(config.dataDir, { recursive: true });
  const db = await connect(config.databaseUrl ? { kind: 'pg', url: config.databaseUrl } : { kind: 'pglite', dir: join(config.dataDir, 'pglite') });
  try {
    const applied = await migrate(db, await readMigrations(join(config.root, 'sql/migrations')));
    return { db, applied };
  } catch (err) {
    await db.close();
    throw err;
  }
}
