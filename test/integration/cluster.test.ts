/**
 * The bureau-sharded deployment against one node holding the same data: three bureaus (the
 * bundled list and two synthetic clean sheets, each with synthetic cases) loaded into one
 * PostgreSQL database, and through a coordinator onto two shard clusters this run makes (from port 5433).
 * Every GET endpoint must answer the same for every bureau; a stopped shard gives 503 naming it
 * for what needs it, and the bureaus on the other shard keep answering.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../core/log.ts';
import { openDatabase } from '../../db/open.ts';
import { initCluster } from '../../etl/load/cluster-init.ts';
import { refreshCaseAggregates } from '../../etl/load/case-aggregates.ts';
import { loadCaseFile } from '../../etl/load/case-load.ts';
import { onBureauShard } from '../../etl/load/shard-route.ts';
import { legalStep } from '../../etl/load/registry-load.ts';
import { timelinessReferenceStep } from '../../etl/load/timeliness-reference.ts';
import { loadListFile } from '../../etl/run-etl.ts';
import { buildApp } from '../../server/app.ts';
import { BUNDLED_CONFIG, BUNDLED_FILES, BUNDLED_LIST, profile } from '../helpers/bundled.ts';
import { syntheticCasesFor, writeCasesCsv } from '../helpers/cases.ts';
import { OTHER_BUREAU, THIRD_BUREAU, writeOtherBureauSheet } from '../helpers/other-bureau.ts';
import {
  createDatabaseOn,
  dropShardClusters,
  startShardCluster,
  startShardClusters,
  stopShardCluster,
  type ShardCluster,
} from '../helpers/shard-clusters.ts';
import { ROOT, createTestDb, type TestDb } from '../helpers/test-db.ts';

const NOW = new Date('2026-03-01T08:00:00Z');
/** Endpoints comparing two list versions (diff, summary, report.xlsx, report.html). */
const REFORM_PAIR_ENDPOINTS = 4;
const NEXT_VERSION = join(ROOT, 'test/fixtures/reform/liangzhou-v2.csv');
const dir = mkdtempSync(join(tmpdir(), 'quanze-cluster-'));
const bureaus = [
  { id: profile().bureau_id, list: BUNDLED_LIST, choice: {} },
  { id: OTHER_BUREAU.id, list: writeOtherBureauSheet(dir, '2023-06-17', OTHER_BUREAU), choice: OTHER_BUREAU },
  { id: THIRD_BUREAU.id, list: writeOtherBureauSheet(dir, '2018-08-20', THIRD_BUREAU), choice: THIRD_BUREAU },
];

describe('bureau-sharded deployment (postgres_fdw) against one node', () => {
  let clusters: ShardCluster[] = [];
  let single: TestDb;
  let coordinator: TestDb;
  const shardDbs: { url: string; drop(): Promise<void> }[] = [];
  let singleApp: FastifyInstance;
  let clusterApp: FastifyInstance;
  const caseFiles = new Map<string, string>();

  beforeAll(async () => {
    clusters = await startShardClusters();
    single = await createTestDb('pg');
    coordinator = await createTestDb('pg');
    const name = `quanze_shard_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    for (const c of clusters) shardDbs.push(await createDatabaseOn(c.port, name));

    // One node: reference data, the three lists, their cases, the aggregates.
    const deps = { db: single.db, config: BUNDLED_CONFIG, log: silentLog };
    await legalStep(deps);
    await timelinessReferenceStep(deps, BUNDLED_FILES);
    for (const [i, b] of bureaus.entries()) {
      await loadListFile({ db: single.db, config: BUNDLED_CONFIG }, b.list, { bureau: b.choice });
      if (i === 0) await loadListFile({ db: single.db, config: BUNDLED_CONFIG }, NEXT_VERSION, { label: '2025年版' });
      const cases = await syntheticCasesFor(single.db, b.id, {
        rows: 1500 + 500 * i,
        seed: `cluster-${i}`,
        year: 2025,
      });
      const file = writeCasesCsv(cases, join(dir, `cases-${i}.csv`));
      caseFiles.set(b.id, file);
      await loadCaseFile(single.db, file, {
        bureauId: b.id,
        now: () => NOW,
        rejectsPath: join(dir, `single-${i}.rejects.csv`),
      });
    }
    await refreshCaseAggregates(single.db);

    // The cluster: init, then every load through the coordinator onto the bureau's shard.
    const config = {
      ...BUNDLED_CONFIG,
      root: ROOT,
      dataDir: dir,
      databaseUrl: coordinator.url,
      shardUrls: shardDbs.map((s) => s.url),
    };
    await initCluster(coordinator.db, config, silentLog);
    for (const [i, b] of bureaus.entries()) {
      await onBureauShard(coordinator.db, config, b.choice, async (shard, p) => {
        await loadListFile({ db: shard, config }, b.list, { bureau: { profile: p } });
        if (i === 0)
          await loadListFile({ db: shard, config }, NEXT_VERSION, { label: '2025年版', bureau: { profile: p } });
        await loadCaseFile(shard, caseFiles.get(b.id)!, {
          bureauId: b.id,
          now: () => NOW,
          rejectsPath: join(dir, `shard-${i}.rejects.csv`),
        });
        await refreshCaseAggregates(shard, { bureauId: b.id });
      });
    }
    const appDeps = { bureauId: profile().bureau_id, adminToken: null, now: () => NOW };
    singleApp = await buildApp({ db: single.db, ...appDeps });
    clusterApp = await buildApp({ db: coordinator.db, ...appDeps });
  }, 600_000);

  afterAll(async () => {
    await singleApp?.close();
    await clusterApp?.close();
    await coordinator?.drop();
    await single?.drop();
    dropShardClusters(clusters);
  }, 300_000);

  it('places the bureaus over both shards, the new ones on the emptier shard', async () => {
    const placed = await coordinator.db.kysely
      .selectFrom('bureau_placement')
      .select(['bureau_id', 'shard'])
      .orderBy('bureau_id')
      .execute();
    expect(placed).toEqual([
      { bureau_id: OTHER_BUREAU.id, shard: 'shard2' },
      { bureau_id: THIRD_BUREAU.id, shard: 'shard1' },
      { bureau_id: profile().bureau_id, shard: 'shard1' },
    ]);
    // The coordinator holds no bureau rows itself: its bureau tables are foreign partitions.
    const { db } = await openDatabase({ databaseUrl: shardDbs[1]!.url, dataDir: dir, root: ROOT });
    const onShard2 = await db.kysely.selectFrom('item').select('bureau_id').distinct().execute();
    await db.close();
    expect(onShard2).toEqual([{ bureau_id: OTHER_BUREAU.id }]);
  });

  it('answers every GET endpoint the same as one node, for every bureau', async () => {
    const urls = getEndpoints(singleApp);
    expect(urls.length).toBeGreaterThanOrEqual(20);
    let compared = 0;
    for (const b of bureaus) {
      let answered = 0;
      for (const url of urls) {
        const sep = url.includes('?') ? '&' : '?';
        const u = `${url}${sep}bureau=${b.id}`;
        const [one, many] = await Promise.all([singleApp.inject(u), clusterApp.inject(u)]);
        expect(many.statusCode, `${u}: ${many.body.slice(0, 300)}`).toBe(one.statusCode);
        if (one.statusCode === 200) answered++;
        if (/\.xlsx/.test(url)) expect(many.headers['content-type']).toBe(one.headers['content-type']);
        else if (/json/.test(String(one.headers['content-type'])))
          expect(comparable(many.json()), u).toEqual(comparable(one.json()));
        else expect(many.body, u).toBe(one.body);
        compared++;
      }
      // The bundled bureau has two versions and answers everything; a one-version list has nothing to compare (年度调整 endpoints: 400).
      expect(answered, b.id).toBe(b.id === profile().bureau_id ? urls.length : urls.length - REFORM_PAIR_ENDPOINTS);
    }
    expect(compared).toBe(urls.length * bureaus.length);
  });

  it("with a shard stopped, what needs it answers 503 naming it and the other shard's bureaus still answer", async () => {
    stopShardCluster(clusters[1]!);
    try {
      const onDown = await clusterApp.inject(`/api/items?bureau=${OTHER_BUREAU.id}&format=json`);
      expect(onDown.statusCode).toBe(503);
      expect(onDown.json()).toMatchObject({
        statusCode: 503,
        shard: 'shard2',
        error: expect.stringMatching(/^shard shard2 is unreachable/),
      });
      const province = await clusterApp.inject('/api/bureaus?format=json');
      expect(province.statusCode).toBe(503);
      const onUp = await clusterApp.inject(`/api/items?bureau=${THIRD_BUREAU.id}&format=json`);
      expect(onUp.statusCode, onUp.body.slice(0, 300)).toBe(200);
      expect(onUp.body).toBe((await singleApp.inject(`/api/items?bureau=${THIRD_BUREAU.id}&format=json`)).body);
    } finally {
      startShardCluster(clusters[1]!);
    }
    const back = await clusterApp.inject(`/api/items?bureau=${OTHER_BUREAU.id}&format=json`);
    expect(back.statusCode).toBe(200);
  });

  it('shows the bureaus side by side in the province view, the same as one node', async () => {
    for (const url of [
      '/api/bureaus',
      '/api/province/items-by-type',
      '/api/province/workload',
      '/api/province/citations',
    ]) {
      const one = await singleApp.inject(`${url}?format=json`);
      expect(one.statusCode, url).toBe(200);
      expect((await clusterApp.inject(`${url}?format=json`)).body, url).toBe(one.body);
    }
    const rows = (await clusterApp.inject('/api/bureaus?format=json')).json() as {
      bureau_id: string;
      items: number;
      cases: number;
    }[];
    // Cases are the rows each bureau's export loaded (the bundled list's next version drops an item, so one of its cases is refused).
    const loaded = async (id: string) =>
      ((await clusterApp.inject(`/api/case-files?bureau=${id}&format=json`)).json() as { rows_loaded: number }[])[0]!
        .rows_loaded;
    expect(rows.map((r) => [r.bureau_id, r.items])).toEqual([
      [OTHER_BUREAU.id, 3],
      [THIRD_BUREAU.id, 3],
      [profile().bureau_id, 80],
    ]);
    for (const r of rows) expect(r.cases, r.bureau_id).toBe(await loaded(r.bureau_id));
    expect(rows.map((r) => r.cases).reduce((a, b) => a + b)).toBeGreaterThan(5900);
  });
});

/** When each database loaded and refreshed is its own: those instants are left out of the comparison. */
function comparable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(comparable);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, /(loaded_at|refreshed_at)$/.test(k) ? '<instant>' : comparable(x)]),
    );
  return v;
}

/** Every GET route of the app, with the parameters a request needs (JSON where a table can be JSON). */
function getEndpoints(app: FastifyInstance): string[] {
  const routes = [...app.printRoutes({ commonPrefix: false }).matchAll(/(\/api\/\S*) \(([^)]*)\)/g)]
    .filter((m) => m[2]!.split(/,\s*/).includes('GET') && !m[1]!.includes('/admin/'))
    .map((m) => m[1]!);
  const NEEDS: Record<string, string> = {
    '/api/case-rejects': '?file_id=1',
    '/api/reform/item': '?version=1&seq=1',
    '/api/reform/diff': '?from=1&to=2',
  };
  const FORMATLESS = /^\/api\/(health|items\/:seq\/source|reform\/report\.html|.*\.(xlsx|csv))$/;
  return routes
    .filter((r) => r !== '/api/runs') // ETL runs are each database's own history: loads ran on the shards
    .map((r) => {
      const q = [NEEDS[r]?.slice(1), FORMATLESS.test(r) ? undefined : 'format=json'].filter(Boolean).join('&');
      return `${r.replace(':seq', '1')}${q ? `?${q}` : ''}`;
    });
}
