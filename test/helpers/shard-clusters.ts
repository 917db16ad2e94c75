/**
 * Two extra local PostgreSQL 15 clusters for the sharded-deployment test and bench (Debian's
 * pg_createcluster, trust auth on 127.0.0.1). Each run makes its own (a name with its pid, free
 * ports from 5433 up), so runs on a shared machine never stop or drop each other's shards, and
 * drops them after.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';

export interface ShardCluster {
  name: string;
  port: number;
}

const VERSION = '15';
const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 120_000 });

async function ready(port: number): Promise<boolean> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: 2_000,
  });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A port nothing listens on, from `from` up (the clusters of other runs keep theirs). */
async function freePort(from: number, taken: Set<number>): Promise<number> {
  for (let port = from; port < from + 200; port++) {
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer()
        .once('error', () => resolve(false))
        .once('listening', () => srv.close(() => resolve(true)));
      srv.listen(port, '127.0.0.1');
    });
    if (free) return port;
  }
  throw new Error(`no free port from ${from}`);
}

/** Creates (trust auth) and starts this run's two shard clusters. */
export async function startShardClusters(): Promise<ShardCluster[]> {
  if (!existsSync('/usr/bin/pg_createcluster'))
    throw new Error(
      "the sharded deployment needs Debian's PostgreSQL tools (pg_createcluster): apt-get install postgresql-15",
    );
  const clusters: ShardCluster[] = [];
  const taken = new Set<number>();
  for (const n of [1, 2]) {
    const port = await freePort(5433, taken);
    taken.add(port);
    const c = { name: `quanze_${process.pid}_shard${n}`, port };
    if (existsSync(`/etc/postgresql/${VERSION}/${c.name}`)) run('pg_dropcluster', ['--stop', VERSION, c.name]);
    run('pg_createcluster', [VERSION, c.name, '-p', String(c.port), '--', '--auth=trust']);
    clusters.push(c);
    run('pg_ctlcluster', ['--skip-systemctl-redirect', VERSION, c.name, 'start']);
    for (let i = 0; i < 60 && !(await ready(c.port)); i++) await new Promise((r) => setTimeout(r, 500));
    if (!(await ready(c.port))) throw new Error(`cluster ${VERSION}/${c.name} on port ${c.port} did not start`);
  }
  return clusters;
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
