/**
 * `npm run bench:load -- [--rows N] [--into M] [--seed S] [--shuffle] [--quoted] [--lines] [--embedded]`
 *
 * Measures what a user does: a database already holding M cases (`--into`, default 1,000,000 on
 * PostgreSQL, 30,000 on PGlite as `npm start` leaves it; 0 for an empty database) receives an
 * export of N new cases — of which the first tenth replace cases of an earlier export — through
 * the command `etl load-cases` runs: the load (loadCaseFile) and the aggregate refresh after it
 * (refreshAggregatesStep). Both are timed, separately and together, against the raw COPY of the
 * same file into an unindexed table, measured in the same run: `psql \copy` on PostgreSQL (the
 * throwaway database is created on the server of DATABASE_URL, or on 127.0.0.1:5432), PGlite's
 * own `COPY … FROM '/dev/blob'` with `--embedded`. While the load runs, a worker thread asks the
 * app's /api/health every 100 ms and reports the slowest answer (`--no-health`: no server, no probe).
 *
 * `--shuffle` puts the new rows out of case-id order (the repeat check runs), `--quoted` quotes
 * every case id (the line reader), `--lines` (or `--csv-parse`) forces the line reader on a plain file. The existing
 * cases are of 2024, the new ones of 2025; the setup runs in a child process (load-bench-setup.ts),
 * so the peak RSS printed is the measured process's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { loadConfig } from '../../core/config.ts';
import { silentLog } from '../../core/log.ts';
import { connect, type Db } from '../../db/connect.ts';
import { buildApp } from '../../server/app.ts';
import { loadCaseFile } from '../load/case-load.ts';
import { caseLoadProgressBar } from '../load/case-progress.ts';
import { refreshAggregatesStep } from '../load/case-steps.ts';

function arg(name: string, fallback: number, min = 1): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be a whole number >= ${min}`);
  return v;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');

/** The header line of a CSV file. */
async function firstLine(path: string): Promise<string> {
  const handle = await open(path);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0]!;
  } finally {
    await handle.close();
  }
}

/** The baseline's table: the file's own columns, typed as case_record types them, without indexes. */
function rawTable(header: string): string {
  const type = (c: string) =>
    c.endsWith('_at')
      ? 'timestamptz'
      : c === 'fine_yuan'
        ? 'numeric(14, 2)'
        : c === 'persons'
          ? 'integer'
          : c === 'synthetic'
            ? 'boolean'
            : 'text';
  const cols = header.trim().split(',');
  return `CREATE TABLE bench_raw_copy (${cols.map((c) => `"${c}" ${type(c)}`).join(', ')})`;
}

/** Asks /api/health every 100 ms from a worker thread (its timers do not wait for the server's event loop) until told to stop. */
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
let stop = false;
parentPort.on('message', () => { stop = true; });
const times = [];
(async () => {
  while (!stop) {
    const t0 = performance.now();
    let status = 0;
    try { const r = await fetch(workerData.url); await r.arrayBuffer(); status = r.status; } catch {}
    times.push({ ms: performance.now() - t0, status, at: Date.now() });
    await new Promise((r) => setTimeout(r, 100));
  }
  parentPort.postMessage(times);
})();
`;

type Probe = { ms: number; status: number; at: number };

function healthProbe(url: string): { stop(): Promise<Probe[]> } {
  const w = new Worker(PROBE, { eval: true, workerData: { url } });
  const done = new Promise<Probe[]>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  return {
    async stop() {
      w.postMessage('stop');
      const times = await done;
      await w.terminate();
      return times;
    },
  };
}

function generate(root: string, rows: number, seed: number, year: number, out: string) {
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'etl/cli.ts'),
      'generate-cases',
      '--rows',
      String(rows),
      '--seed',
      String(seed),
      '--year',
      String(year),
      '--out',
      out,
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

async function main() {
  const embedded = flag('embedded');
  const rows = arg('rows', embedded ? 200_000 : 1_000_000);
  const into = arg('into', embedded ? 30_000 : 1_000_000, 0);
  const seed = arg('seed', 1);
  const config = loadConfig(process.env);
  const dir = await mkdtemp(join(tmpdir(), 'quanze-bench-'));
  const csv = join(dir, 'cases.csv');
  const server = new URL(config.databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const dbName = `quanze_bench_${process.pid}`;
  const url = new URL(server);
  url.pathname = `/${dbName}`;
  const admin = embedded ? null : new pg.Client({ connectionString: server.toString() });
  let db: Db | null = null;
  try {
    let t = Date.now();
    generate(config.root, rows, seed, 2025, csv);
    if (flag('shuffle')) {
      // Rows out of case-id order, so the load cannot skip its repeat check (fixed seed: the same order every run).
      execFileSync('bash', [
        '-c',
        'set -o pipefail; { head -n 1 "$0"; tail -n +2 "$0" | shuf --random-source=<(yes); } > "$0.tmp" && mv "$0.tmp" "$0"',
        csv,
      ]);
    }
    if (flag('quoted')) execFileSync('sed', ['-i', '2,$ s/^\\([^,]*\\)/"\\1"/', csv]);
    const existing: string[] = [];
    if (into > 0) {
      // The cases already there: `into` minus one tenth of the new file of 2024, and an earlier export
      // holding the new file's first tenth, which the new file replaces.
      const earlier = Math.min(Math.floor(rows / 10), into);
      if (into > earlier) {
        generate(config.root, into - earlier, seed + 1, 2024, join(dir, 'existing-2024.csv'));
        existing.push(join(dir, 'existing-2024.csv'));
      }
      if (earlier > 0) {
        execFileSync('bash', [
          '-c',
          'head -n "$1" "$0" > "$2"',
          csv,
          String(earlier + 1),
          join(dir, 'earlier-2025.csv'),
        ]);
        existing.push(join(dir, 'earlier-2025.csv'));
      }
    }
    const size = (await stat(csv)).size;
    console.log(
      `generated ${rows.toLocaleString('en')} new cases (${mb(size)}) and ${into.toLocaleString('en')} existing in ${secs(Date.now() - t)}`,
    );

    if (admin) {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${dbName}`);
    }
    const pgliteDir = join(dir, 'pglite');
    const setupOut = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(config.root, 'etl/bench/load-bench-setup.ts'),
        embedded ? '--pglite' : '--pg',
        embedded ? pgliteDir : url.toString(),
        ...existing,
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 20,
      },
    ).toString();
    const setup = JSON.parse(setupOut.trim().split('\n').pop()!) as {
      bureauId: string;
      loads: number[];
      refreshMs: number;
    };
    console.log(
      `existing cases loaded in ${setup.loads.map(secs).join(' + ') || '-'}, full aggregate refresh ${secs(setup.refreshMs)} (setup, not measured below)`,
    );

    db = await connect(embedded ? { kind: 'pglite', dir: pgliteDir } : { kind: 'pg', url: url.toString() });
    // `--no-health` leaves the server and its probe out, to see what they cost the load.
    const app = flag('no-health') ? null : await buildApp({ db, bureauId: setup.bureauId, adminToken: null });
    const probe = app ? healthProbe(`${await app.listen({ host: '127.0.0.1', port: 0 })}/api/health`) : null;
    const rssBefore = process.memoryUsage().rss;
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    const loadAtStart = load();
    await new Promise((r) => setTimeout(r, 300));

    const bar = caseLoadProgressBar('ETL load');
    t = Date.now();
    const reader = flag('lines') || flag('csv-parse') ? 'lines' : 'auto';
    const result = await loadCaseFile(db, csv, {
      bureauId: setup.bureauId,
      now: () => new Date(),
      onProgress: bar.onProgress,
      progressEvery: 20_000,
      reader,
      rejectsPath: join(dir, 'cases.rejects.csv'),
    }).finally(() => bar.stop());
    const loadMs = Date.now() - t;
    const loadStart = t;
    if (result.status !== 'loaded') throw new Error('the generated file was already loaded');
    t = Date.now();
    const refresh = await refreshAggregatesStep({ db, log: silentLog }, [
      {
        step: 'cases',
        file: csv,
        status: 'loaded',
        detail: '',
        rows: { in: result.rowsIn, loaded: result.rowsLoaded, rejected: result.rowsRejected },
        cases: { bureauId: setup.bureauId, fileId: result.fileId, years: result.years, aggregates: result.aggregates },
      },
    ]);
    const refreshMs = Date.now() - t;
    if (refresh?.status !== 'loaded') throw new Error(`aggregate refresh: ${refresh?.detail}`);
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const health = (await probe?.stop()) ?? [];
    await app?.close();

    t = Date.now();
    if (embedded) {
      await db.session(async (s) => {
        await s.script(rawTable(await firstLine(csv)));
        const blob = new Blob([await readFile(csv)]);
        t = Date.now();
        await s.pglite!.query(`COPY bench_raw_copy FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], { blob });
      });
    } else {
      const table = rawTable(await firstLine(csv));
      await db.session((s) => s.script(table));
      t = Date.now();
      execFileSync(
        'psql',
        [
          url.toString(),
          '-v',
          'ON_ERROR_STOP=1',
          '-q',
          '-c',
          `\\copy bench_raw_copy FROM '${csv}' WITH (FORMAT csv, HEADER true)`,
        ],
        { stdio: 'inherit' },
      );
    }
    const rawMs = Date.now() - t;

    const total = loadMs + refreshMs;
    const raw = embedded ? `PGlite COPY FROM '/dev/blob'` : 'psql \\copy';
    const ratio = (ms: number) => (rawMs / ms).toFixed(2);
    const worst = health.reduce((a, h) => Math.max(a, h.ms), 0);
    const sorted = health.map((h) => h.ms).sort((a, b) => a - b);
    console.log(
      `\n${rows.toLocaleString('en')} cases (${mb(size)}, ${result.reader}${flag('shuffle') ? ', shuffled' : ''}${flag('quoted') ? ', quoted' : ''}) onto ${into.toLocaleString('en')} existing, ${embedded ? 'PGlite' : 'PostgreSQL'}`,
    );
    console.log(
      `  load          ${secs(loadMs).padStart(8)} = ${rate(rows, loadMs).toLocaleString('en').padStart(9)} rows/s  ratio ${ratio(loadMs)}  (rows ${secs(result.timings.streamMs)}, set-based after ${secs(result.timings.setBasedMs)}; ${result.rowsLoaded.toLocaleString('en')} loaded, ${result.replaced.toLocaleString('en')} replaced, ${result.rowsRejected} rejected)`,
    );
    console.log(`  refresh       ${secs(refreshMs).padStart(8)}  (${refresh.detail})`);
    console.log(
      `  load+refresh  ${secs(total).padStart(8)} = ${rate(rows, total).toLocaleString('en').padStart(9)} rows/s  ratio ${ratio(total)}`,
    );
    console.log(`  ${raw} into an unindexed table: ${secs(rawMs)} = ${rate(rows, rawMs).toLocaleString('en')} rows/s`);
    console.log(`  peak RSS ${mb(peakRss)} (before the load ${mb(rssBefore)}, peak until then ${mb(peakBefore)})`);
    if (probe)
      console.log(
        `  /api/health during load and refresh: ${health.length} answers, p50 ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(0)} ms, slowest ${worst.toFixed(0)} ms, ${health.filter((h) => h.status !== 200).length} not 200`,
      );
    // When the slowest answers came back (s after the load started; the refresh started at loadMs).
    const slowest = [...health]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map((h) => `${h.ms.toFixed(0)} ms at ${secs(h.at - loadStart)}`);
    if (probe) console.log(`    slowest answers: ${slowest.join(', ')}; refresh began at ${secs(loadMs)}`);
    console.log(
      `  load average (1, 5, 15 min) ${loadAtStart} at start, ${load()} at end, on ${availableParallelism()} CPUs`,
    );
  } finally {
    await db?.close();
    if (admin) {
      // Let the pool's sockets finish closing before FORCE terminates whatever is left.
      await new Promise((r) => setTimeout(r, 500));
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    }
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err.stack ?? err.message);
    process.exit(1);
  },
);
