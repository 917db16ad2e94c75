import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../core/config.ts';
import { connect, type Db } from './connect.ts';
import { acquireFolderLock, type FolderLock } from './folder-lock.ts';
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
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'root'>,
  role = 'server',
): Promise<{ db: Db; applied: string[]; lock: FolderLock | null }> {
  await mkdir(config.dataDir, { recursive: true });
  const folder = join(config.dataDir, 'pglite');
  // The embedded database has one writer: the process holding its folder lock (folder-lock.ts).
  const lock = config.databaseUrl ? null : await acquireFolderLock(join(config.dataDir, 'pglite.lock'), folder, role);
  let db: Db;
  try {
    db = await connect(config.databaseUrl ? { kind: 'pg', url: config.databaseUrl } : { kind: 'pglite', dir: folder });
  } catch (err) {
    await lock?.release();
    throw err;
  }
  const opened: Db = {
    ...db,
    async close() {
      try {
        await db.close();
      } finally {
        await lock?.release();
      }
    },
  };
  try {
    const applied = await migrate(opened, await readMigrations(join(config.root, 'sql/migrations')));
    return { db: opened, applied, lock };
  } catch (err) {
    await opened.close();
    throw err;
  }
}
