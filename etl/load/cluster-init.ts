/**
 * `cluster init`: every shard migrated and given the reference data (registry, list dates,
 * calendar, time limits), the same on the coordinator, then the coordinator's foreign servers and
 * bureau-partitioned tables. Run again after the reference files change: it reloads them everywhere.
 */
import type { Config } from '../../core/config.ts';
import type { Log } from '../../core/log.ts';
import { initCoordinator, shardsOf } from '../../db/cluster.ts';
import type { Db } from '../../db/connect.ts';
import { openDatabase } from '../../db/open.ts';
import { legalStep } from './registry-load.ts';
import { timelinessReferenceStep } from './timeliness-reference.ts';

export type ClusterConfig = Pick<Config, 'shardUrls' | 'dataDir' | 'root' | 'files'>;

export async function initCluster(
  coordinator: Db,
  config: ClusterConfig,
  log: Log,
): Promise<{ shards: number; tables: number }> {
  if (!config.shardUrls.length)
    throw new Error(
      'cluster init needs SHARD_URLS (comma-separated PostgreSQL URLs of the shards) beside DATABASE_URL (the coordinator)',
    );
  const shards = shardsOf(config.shardUrls);
  for (const s of shards) {
    const { db } = await openDatabase({ ...config, databaseUrl: s.url });
    try {
      await referenceData(db, config, log);
    } finally {
      await db.close();
    }
    log.info(`${s.shard}: migrated, reference data loaded`);
  }
  await referenceData(coordinator, config, log);
  const { tables } = await initCoordinator(coordinator, shards);
  return { shards: shards.length, tables: tables.length };
}

async function referenceData(db: Db, config: Pick<Config, 'files'>, log: Log): Promise<void> {
  for (const r of [await legalStep({ db, config, log }), await timelinessReferenceStep({ db, log }, config.files)]) {
    if (r.status === 'failed') throw new Error(`${r.step}: ${r.detail}`);
  }
}
