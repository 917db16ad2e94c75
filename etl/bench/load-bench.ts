/**
 * `npm run bench:load -- --rows N [--seed S] [--csv-parse] [--shuffle]`: generates N synthetic cases to a temp CSV, loads
 * them through the project's ETL (loadCaseFile: rows checked in Node, COPY, set-based steps) into a
 * throwaway database, then loads the same CSV with plain `psql \copy` into an unindexed table,
 * and prints both rates, their ratio and the peak RSS of this Node process. `--csv-parse` reads the
 * file with csv-parse instead of papaparse's fast mode (for comparison); `--shuffle` puts the rows
 * out of case-id order, so the set-based repeat check runs.
 * The throwaway database is created on the server of DATABASE_URL, or on 127.0.0.1:5432.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../core/config.ts';
import { connect } from '../../db/connect.ts';
import { migrate } from '../../db/migrate.ts';
import { loadCaseFile } from '../load/case-load.ts';
import { caseLoadProgressBar } from '../load/case-progress.ts';
import { loadListFile } from '../run-etl.ts';
import { readMigrations } from '../../db/migrations.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a whole number >= 1`);
  return v;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));

async function main() {
  const rows = arg('rows', 1_000_000);
  const seed = arg('seed', 1);
  const config = loadConfig(process.env);
  const server = new URL(config.databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const dbName = `quanze_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(server);
  url.pathname = `/${dbName}`;
  const dir = await mkdtemp(join(tmpdir(), 'quanze-bench-'));
  const csv = join(dir, 'cases.csv');
  const db = await connect({ kind: 'pg', url: url.toString() });
  try {
    let t = Date.now();
    // Generated in a child process, so the peak RSS below is the loader's alone.
    execFileSync(process.execPath, ['--import', 'tsx', join(config.root, 'etl/cli.ts'), 'generate-cases', '--rows', String(rows), '--seed', String(seed), '--year', '2025', '--out', csv], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (process.argv.includes('--shuffle')) {
      // Rows out of case-id order, so the load cannot skip its repeat check (fixed seed: the same order every run).
      execFileSync('bash', ['-c', 'set -o pipefail; { head -n 1 "$0"; tail -n +2 "$0" | shuf --random-source=<(yes); } > "$0.shuffled" && mv "$0.shuffled" "$0"', csv]);
    }
    const size = (await stat(csv)).size;
    console.log(`generated ${rows.toLocaleString('en')} cases (${mb(size)}) in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    await migrate(db, await readMigrations(join(config.root, 'sql/migrations')));
    const list = await loadListFile({ db, config }, config.listFile);
    if (list.status !== 'loaded') throw new Error('the bundled list did not load');
    const bureauId = (await db.kysely.selectFrom('bureau').select('bureau_id').executeTakeFirstOrThrow()).bureau_id;

    const bar = caseLoadProgressBar('ETL load');
    const rssBefore = process.memoryUsage().rss;
    const peak = { heapTotal: 0, external: 0 };
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
      peak.external = Math.max(peak.external, m.external);
    }, 200);
    t = Date.now();
    const reader = process.argv.includes('--csv-parse') ? 'csv-parse' : 'auto';
    const result = await loadCaseFile(db, csv, { bureauId, now: () => new Date(), onProgress: bar.onProgress, progressEvery: 100_000, reader });
    const etlMs = Date.now() - t;
    bar.stop();
    clearInterval(sampler);
    if (result.status !== 'loaded') throw new Error('the generated file was already loaded');
    const peakRss = process.resourceUsage().maxRSS * 1024;

    await db.session((s) =>
      s.script(`CREATE TABLE bench_raw_copy (
        case_id text, bureau_id text, item_code text, sub_item_code text,
        received_at timestamptz, accepted_at timestamptz, investigated_at timestamptz, reviewed_at timestamptz,
        decided_at timestamptz, served_at timestamptz, closed_at timestamptz,
        outcome text, fine_yuan numeric(14, 2), persons integer, synthetic boolean)`),
    );
    t = Date.now();
    execFileSync('psql', [url.toString(), '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy bench_raw_copy FROM '${csv}' WITH (FORMAT csv, HEADER true)`], { stdio: 'inherit' });
    const rawMs = Date.now() - t;

    const etlRate = rate(result.rowsLoaded, etlMs), rawRate = rate(rows, rawMs);
    console.log(`ETL (hash, read and validate every row in Node, COPY into partitioned case_record, set-based repeat and replacement checks):`);
    console.log(`  ${result.rowsLoaded.toLocaleString('en')} rows loaded, ${result.rowsRejected} rejected in ${(etlMs / 1000).toFixed(1)} s = ${etlRate.toLocaleString('en')} rows/s`);
    console.log(`  read by ${result.reader}, validated and COPYed in ${(result.timings.streamMs / 1000).toFixed(1)} s, set-based steps after it ${(result.timings.setBasedMs / 1000).toFixed(1)} s`);
    console.log(`psql \\copy into an unindexed table: ${(rawMs / 1000).toFixed(1)} s = ${rawRate.toLocaleString('en')} rows/s`);
    console.log(`ratio ETL / raw COPY: ${(etlRate / rawRate).toFixed(2)} (target >= 0.50)`);
    console.log(`load average (1, 5, 15 min): ${loadavg().map((x) => x.toFixed(2)).join(', ')} on ${availableParallelism()} CPUs`);
    console.log(`peak RSS of the Node process: ${mb(peakRss)} (before the load ${mb(rssBefore)}; target < 300 MB); during the load V8 heap up to ${mb(peak.heapTotal)}, external up to ${mb(peak.external)}`);
  } finally {
    await db.close();
    // Let the pool's sockets finish closing before FORCE terminates whatever is left.
    await new Promise((r) => setTimeout(r, 500));
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
