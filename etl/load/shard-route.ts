/**
 * Where a load goes in a sharded deployment: straight to the shard that holds the bureau (each load
 * is one shard's transaction; there are no cross-shard transactions). The coordinator only records
 * the placement and the bureau, and its foreign partitions make the shard's rows visible.
 */
import type { Config } from '../../core/config.ts';
import { placeBureau } from '../../db/cluster.ts';
import type { Db } from '../../db/connect.ts';
import { openDatabase } from '../../db/open.ts';
import { resolveBureau, type BureauChoice } from '../sources/bureau-registry.ts';
import type { BureauProfile } from '../parse/list-types.ts';
import { bureauRow } from './bureau-load.ts';

type RouteConfig = Pick<Config, 'databaseUrl' | 'dataDir' | 'root' | 'files'>;

/** Runs `load` on the database that holds the bureau: the shard it is placed on (placing a new one). */
export async function onBureauShard<T>(
  coordinator: Db,
  config: RouteConfig,
  choice: BureauChoice,
  load: (shard: Db, profile: BureauProfile) => Promise<T>,
): Promise<T> {
  const profile = await resolveBureau(coordinator, config.files, choice);
  const { shard } = await placeBureau(coordinator, profile.bureau_id);
  const { db } = await openDatabase({ ...config, databaseUrl: shard.url });
  try {
    const result = await load(db, profile);
    await coordinator.kysely
      .insertInto('bureau')
      .values(bureauRow(profile))
      .onConflict((oc) => oc.column('bureau_id').doUpdateSet(bureauRow(profile)))
      .execute();
    return result;
  } finally {
    await db.close();
  }
}
