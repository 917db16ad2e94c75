/**
 * Two extra local PostgreSQL 15 clusters for the sharded-deployment test (Debian's
 * pg_createcluster, trust auth on 127.0.0.1), created and started when missing and dropped after.
 * Each test run creates its own databases on them and drops them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';

export interface ShardCluster {
  name: string;
  port: number;
}

export const SHARD_CLUSTERS: ShardCluster[] = [
  { name: 'shard1', port: 5433 },
  { name: 'shard2', port: 5434 },
];

const VERSION = '15';
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 120_000 });

function clusterExists(c: ShardCluster): boolean {
  return existsSync(`/etc/postgresql/${VERSION}/${c.name}`);
}

async function ready(port: number): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates (trust auth) and starts the shard clusters; returns those this call created, to drop after. */
export async function startShardClusters(): Promise<ShardCluster[]> {
  if (!existsSync('/usr/bin/pg_createcluster')) throw new Error('the sharded-deployment test needs Debian\'s PostgreSQL tools (pg_createcluster): apt-get install postgresql-15');
  const created: ShardCluster[] = [];
  for (const c of SHARD_CLUSTERS) {
    if (!clusterExists(c)) {
      run('pg_createcluster', [VERSION, c.name, '-p', String(c.port), '--', '--auth=trust']);
      created.push(c);
    }
    if (!(await ready(c.port))) run('pg_ctlcluster', ['--skip-systemctl-redirect', VERSION, c.name, 'start']);
    for (let i = 0; i < 60 && !(await ready(c.port)); i++) await new Promise((r) => setTimeout(r, 500));
    if (!(await ready(c.port))) throw new Error(`cluster ${VERSION}/${c.name} on port ${c.port} did not start`);
  }
  return created;
}

export function stopShardCluster(c: ShardCluster): void {
  run('pg_ctlcluster', ['--skip-systemctl-redirect', VERSION, c.name, 'stop', '-m', 'immediate']);
}

export function startShardCluster(c: ShardCluster): void {
  run('pg_ctlcluster', ['--skip-systemctl-redirect', VERSION, c.name, 'start']);
}

export function dropShardClusters(clusters: readonly ShardCluster[]): void {
  for (const c of clusters) run('pg_dropcluster', ['--stop', VERSION, c.name]);
}

/** A fresh database on a cluster; returns its URL and a function that drops it. */
export async function createDatabaseOn(port: number, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${name}`,
    async drop() {
      const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await c.connect().catch(() => undefined);
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await c.end().catch(() => undefined);
    },
  };
}
