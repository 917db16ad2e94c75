import { sql } from 'kysely';
import { consoleLog } from '../../core/log.ts';
import { openDatabase } from '../../db/open.ts';
import { readOptions } from '../export/cli-options.ts';
import { moveBureau } from '../load/bureau-move.ts';
import { initCluster } from '../load/cluster-init.ts';
import { withDb, type Command } from './command.ts';

/** `cluster init | status | move BUREAU --to shardN`: the bureau-sharded deployment (README). */
export const clusterCommands: Record<string, Command> = {
  async cluster([sub, ...args]) {
    const action = sub ? ACTIONS[sub] : undefined;
    if (!action) throw new Error(`usage: etl cluster init | status | move BUREAU --to shardN (got "${sub ?? ''}")`);
    return action(args);
  },
};

const ACTIONS: Record<string, Command> = {
  /** Reference data on every shard and the coordinator; then the coordinator's servers and partitions. */
  async init() {
    return withDb(async (db, config) => {
      const r = await initCluster(db, config, consoleLog);
      console.log(`coordinator: ${r.tables} bureau tables partitioned by bureau over ${r.shards} shards`);
      return 0;
    });
  },

  async status() {
    return withDb(async (db) => {
      const placements = await sql<{
        bureau_id: string;
        shard: string;
        name: string | null;
        versions: number;
        cases: number;
      }>`
        SELECT p.bureau_id, p.shard, b.name,
               (SELECT count(*)::int FROM list_version v WHERE v.bureau_id = p.bureau_id) AS versions,
               coalesce((SELECT m.cases FROM case_aggregate_meta m WHERE m.bureau_id = p.bureau_id), 0)::int AS cases
          FROM bureau_placement p LEFT JOIN bureau b ON b.bureau_id = p.bureau_id
         ORDER BY p.shard, p.bureau_id`.execute(db.kysely);
      const shards = await db.kysely.selectFrom('cluster_shard').selectAll().orderBy('shard').execute();
      for (const s of shards) console.log(`${s.shard}  ${s.url.replace(/:[^:@/]*@/, ':…@')}`);
      for (const p of placements.rows)
        console.log(`  ${p.shard}  ${p.bureau_id}  ${p.name ?? ''}  ${p.versions} list versions, ${p.cases} cases`);
      return 0;
    });
  },

  async move(args) {
    const {
      options,
      rest: [bureauId, ...more],
    } = readOptions(args, ['to']);
    if (!bureauId || more.length || !options.to) throw new Error('usage: etl cluster move BUREAU --to shardN');
    return withDb(async (db, config) => {
      const shards = await db.kysely.selectFrom('cluster_shard').selectAll().execute();
      const to = shards.find((s) => s.shard === options.to);
      if (!to)
        throw new Error(
          `no shard "${options.to}"; shards: ${shards.map((s) => s.shard).join(', ') || '(none: run cluster init)'}`,
        );
      const placed = await db.kysely
        .selectFrom('bureau_placement')
        .select('shard')
        .where('bureau_id', '=', bureauId)
        .executeTakeFirst();
      if (!placed) throw new Error(`bureau ${bureauId} is on no shard yet; its first load places it`);
      if (placed.shard === to.shard) {
        console.log(`${bureauId} is on ${to.shard} already`);
        return 0;
      }
      const from = shards.find((s) => s.shard === placed.shard)!;
      const open = async (url: string) => (await openDatabase({ ...config, databaseUrl: url })).db;
      const [src, dst] = [await open(from.url), await open(to.url)];
      try {
        const r = await moveBureau(db, bureauId, { shard: from, db: src }, { shard: to, db: dst });
        console.log(`moved ${bureauId} from ${from.shard} to ${to.shard}: ${r.rows} rows in ${r.tables} tables`);
      } finally {
        await Promise.all([src.close(), dst.close()]);
      }
      return 0;
    });
  },
};
