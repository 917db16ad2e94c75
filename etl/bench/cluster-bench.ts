/**
 * `npm run bench:cluster -- [--rows N]`: three bureaus (the bundled list and two synthetic clean
 * sheets), N synthetic cases each, loaded into one PostgreSQL node and through a coordinator onto
 * two shard clusters (local clusters this run makes from port 5433 up, dropped after); prints the load rate and the time of aggregate queries over all bureaus and of one
 * bureau's, side by side. On a 2-core machine two shards and the coordinator share the CPUs: this
 * measures the coordinator's overhead, not a speed-up.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../core/config.ts';
import { silentLog } from '../../core/log.ts';
import type { Db } from '../../db/connect.ts';
import { buildApp } from '../../server/app.ts';
import { syntheticCasesFor, writeCasesCsv } from '../../test/helpers/cases.ts';
import { OTHER_BUREAU, THIRD_BUREAU, writeOtherBureauSheet } from '../../test/helpers/other-bureau.ts';
import { createDatabaseOn, dropShardClusters, startShardClusters } from '../../test/helpers/shard-clusters.ts';
import { openDatabase } from '../../db/open.ts';
import { refreshCaseAggregates } from '../load/case-aggregates.ts';
import { loadCaseFile } from '../load/case-load.ts';
import { initCluster } from '../load/cluster-init.ts';
import { legalStep } from '../load/registry-load.ts';
import { onBureauShard } from '../load/shard-route.ts';
import { timelinessReferenceStep } from '../load/timeliness-reference.ts';
import type { BureauChoice } from '../sources/bureau-registry.ts';
import { loadListFile } from '../run-etl.ts';

const rowsArg = (() => {
  const i = process.argv.indexOf('--rows');
  const v = i >= 0 ? Number(process.argv[i + 1]) : 200_000;
  if (!Number.isInteger(v) || v < 1) throw new Error('--rows must be a whole number >= 1');
  return v;
})();

const QUERIES = ['/api/bureaus', '/api/province/items-by-type', '/api/province/workload', '/api/volumes?per=window'];

async function timeQueries(app: FastifyInstance, bureau: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const q of QUERIES) {
    // The case endpoints cache their answers: /api/volumes is timed on its first (computed) call only.
    const cached = q.startsWith('/api/volumes');
    const url = `${q}${q.includes('?') ? '&' : '?'}format=json${cached ? `&bureau=${bureau}` : ''}`;
    const times: number[] = [];
    for (let i = 0; i < (cached ? 1 : 7); i++) {
      const t = performance.now();
      const res = await app.inject(url);
      if (res.statusCode !== 200) throw new Error(`${q}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      times.push(performance.now() - t);
    }
    out[q] = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  }
  return out;
}

async function main() {
  const config = loadConfig(process.env);
  const server = new URL(config.databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const dir = await mkdtemp(join(tmpdir(), 'quanze-cluster-bench-'));
  const clusters = await startShardClusters();
  const name = `quanze_cluster_bench_${process.pid}`;
  const dbs = [
    await createDatabaseOn(Number(server.port || 5432), `${name}_single`),
    await createDatabaseOn(Number(server.port || 5432), `${name}_coord`),
  ];
  const shards = [];
  for (const c of clusters) shards.push(await createDatabaseOn(c.port, name));
  const bureaus: { id: string; list: string; choice: BureauChoice }[] = [
    { id: '', list: config.listFile, choice: {} },
    { id: OTHER_BUREAU.id, list: writeOtherBureauSheet(dir, '2023-06-17', OTHER_BUREAU), choice: OTHER_BUREAU },
    { id: THIRD_BUREAU.id, list: writeOtherBureauSheet(dir, '2018-08-20', THIRD_BUREAU), choice: THIRD_BUREAU },
  ];
  const opened: Db[] = [];
  try {
    const single = (await openDatabase({ ...config, databaseUrl: dbs[0]!.url })).db;
    const coordinator = (await openDatabase({ ...config, databaseUrl: dbs[1]!.url })).db;
    opened.push(single, coordinator);
    await legalStep({ db: single, config, log: silentLog });
    await timelinessReferenceStep({ db: single, log: silentLog }, config.files);
    const files: string[] = [];
    for (const [i, b] of bureaus.entries()) {
      const r = await loadListFile({ db: single, config }, b.list, { bureau: b.choice });
      b.id = r.bureauId;
      files.push(
        writeCasesCsv(
          await syntheticCasesFor(single, b.id, { rows: rowsArg, seed: `bench-${i}`, year: 2025 }),
          join(dir, `cases-${i}.csv`),
        ),
      );
    }
    const total = rowsArg * bureaus.length;

    let t = performance.now();
    for (const [i, b] of bureaus.entries())
      await loadCaseFile(single, files[i]!, {
        bureauId: b.id,
        now: () => new Date(),
        rejectsPath: join(dir, `s${i}.rejects.csv`),
      });
    await refreshCaseAggregates(single);
    const singleMs = performance.now() - t;

    const clusterConfig = { ...config, databaseUrl: dbs[1]!.url, shardUrls: shards.map((s) => s.url) };
    await initCluster(coordinator, clusterConfig, silentLog);
    t = performance.now();
    for (const [i, b] of bureaus.entries()) {
      await onBureauShard(coordinator, clusterConfig, b.choice, async (shard, p) => {
        await loadListFile({ db: shard, config: clusterConfig }, b.list, { bureau: { profile: p } });
        await loadCaseFile(shard, files[i]!, {
          bureauId: b.id,
          now: () => new Date(),
          rejectsPath: join(dir, `c${i}.rejects.csv`),
        });
        await refreshCaseAggregates(shard, { bureauId: b.id });
      });
    }
    const clusterMs = performance.now() - t;

    const deps = { bureauId: bureaus[0]!.id, adminToken: null };
    const [a, c] = [await buildApp({ db: single, ...deps }), await buildApp({ db: coordinator, ...deps })];
    const [qa, qc] = [await timeQueries(a, bureaus[1]!.id), await timeQueries(c, bureaus[1]!.id)];
    await Promise.all([a.close(), c.close()]);

    const rate = (ms: number) => Math.round(total / (ms / 1000)).toLocaleString('en');
    console.log(
      `${bureaus.length} bureaus × ${rowsArg.toLocaleString('en')} cases = ${total.toLocaleString('en')} cases (lists, COPY, aggregate refresh)`,
    );
    console.log(`| | one node | coordinator + 2 shards |`);
    console.log(`| --- | --- | --- |`);
    console.log(
      `| load (cases + refresh) | ${(singleMs / 1000).toFixed(1)} s = ${rate(singleMs)} cases/s | ${(clusterMs / 1000).toFixed(1)} s = ${rate(clusterMs)} cases/s (incl. list loads on the shards) |`,
    );
    for (const q of QUERIES)
      console.log(
        `| \`${q}\` (median of 7; volumes: first call) | ${qa[q]!.toFixed(1)} ms | ${qc[q]!.toFixed(1)} ms |`,
      );
    console.log(
      `load average (1, 5, 15 min): ${loadavg()
        .map((x) => x.toFixed(2))
        .join(', ')} on ${availableParallelism()} CPUs`,
    );
    console.log(
      'Both shards and the coordinator run on this machine: the figures show the cost of going through postgres_fdw, not the speed-up of shards on their own machines.',
    );
  } finally {
    await Promise.all(opened.map((d) => d.close()));
    for (const d of dbs) await d.drop();
    dropShardClusters(clusters);
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
