import { loadConfig, type Config } from '../../core/config.ts';
import type { Db } from '../../db/connect.ts';
import { openDatabase } from '../../db/open.ts';
import { onBureauShard } from '../load/shard-route.ts';
import type { BureauProfile } from '../parse/list-types.ts';
import { resolveBureau, type BureauChoice } from '../sources/bureau-registry.ts';

/** One `npm run -s etl -- <command>`: its arguments in, the exit code out. */
export type Command = (args: string[]) => Promise<number>;

/**
 * Runs fn on the configured database (migrated; DATA_DIR created when missing), closing it after.
 * On the embedded database this refuses (FolderLocked, saying what to do) while a server holds it.
 */
export async function withDb<T>(fn: (db: Db, config: Readonly<Config>) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const { db } = await openDatabase(config, process.argv[2] ?? 'cli');
  try {
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

/**
 * Runs a load on the database that holds the bureau: the configured one, or in a sharded
 * deployment (SHARD_URLS) the bureau's shard, with the configured database as coordinator.
 */
export function withBureauDb<T>(
  choice: BureauChoice,
  fn: (db: Db, profile: BureauProfile, config: Readonly<Config>) => Promise<T>,
): Promise<T> {
  return withDb(async (db, config) => {
    if (config.shardUrls.length)
      return onBureauShard(db, config, choice, (shard, profile) => fn(shard, profile, config));
    return fn(db, await resolveBureau(db, config.files, choice), config);
  });
}
