/**
 * `npm run bench:api -- [--rows 5000000] [--requests 400] [--concurrency 4] [--reuse]`
 *   --reuse  keep the cases of the previous run when it had the same --rows
 *
 * Puts N synthetic cases into a PostgreSQL database of its own (quanze_api_bench on the server
 * of DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres), refreshes the
 * aggregates, starts the real Fastify app on loopback and measures p50/p95 latency of every
 * aggregate endpoint with a bounded concurrent request loop. A benchmark, not a test: it prints
 * figures and whether p95 < 50 ms held.
 *
 * Cases go in by the fastest path: the deterministic generator's rows streamed straight into
 * case_record with COPY (the load path itself is measured by bench:load).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../../core/config.ts';
import { buildApp } from '../app.ts';
import { connect, type Db } from '../../db/connect.ts';
import { migrate } from '../../db/migrate.ts';
import { silentLog } from '../../core/log.ts';
import { calendarOrThrow, parseHolidayCalendar } from '../../etl/calendar/holiday-calendar.ts';
import { syntheticCases, type FineRange } from '../../etl/generate/synthetic-cases.ts';
import { loadWorkCalendarFile } from '../../etl/load/calendar-load.ts';
import { refreshCaseAggregates } from '../../etl/load/case-aggregates.ts';
import { loadTimeLimitsFile } from '../../etl/load/time-limits-load.ts';
import { STAGES } from '../../etl/parse/case-csv.ts';
import { parseFineClauses } from '../../etl/parse/fine-clause.ts';
import type { PowerType } from '../../etl/parse/list-types.ts';
import { parseTimeLimits, timeLimitsOrThrow } from '../../etl/registry/time-limits.ts';
import { runEtl } from '../../etl/run-etl.ts';
import { readMigrations } from '../../db/migrations.ts';
import { fineRangeRows } from '../../etl/timeliness/fine-ranges.ts';
import { csvField } from '../../etl/export/csv-cell.ts';

const DB_NAME = 'quanze_api_bench';
const TARGET_P95_MS = 50;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} needs a whole number > 0`);
  return v;
}

/**
 * The bench database, created when missing. It is reused rather than dropped: DROP DATABASE
 * waits for every backend on the server, and a busy shared server can hold it for minutes.
 */
async function benchDatabase(serverUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount! > 0;
  if (!exists) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${DB_NAME}`;
  return url.toString();
}


async function copyCases(db: Db, bureauId: string, rows: number, root: string): Promise<void> {
  const items = await db.kysely.selectFrom('item').select(['code', 'seq', 'power_type', 'section', 'name', 'basis']).where('code', 'is not', null).orderBy('seq').execute();
  const calendar = calendarOrThrow(parseHolidayCalendar(readFileSync(join(root, 'data/holidays/cn.yaml'), 'utf8'), 'cn.yaml'));
  const limits = timeLimitsOrThrow(parseTimeLimits(readFileSync(join(root, 'data/time-limits.yaml'), 'utf8'), 'time-limits.yaml'));
  const fineRanges: Record<string, FineRange> = {};
  for (const it of items) {
    const first = fineRangeRows(parseFineClauses(it.basis, { source: 'list', line: it.seq }).clauses)[0];
    if (first) fineRanges[it.code!] = first;
  }
  const gen = syntheticCases({
    items: items.map((i) => ({ code: i.code!, seq: i.seq, power_type: i.power_type as PowerType | null, section: i.section, name: i.name })),
    seed: 'bench-api', rows, year: 2024, calendar, limits, fineRanges, bureauId,
  });
  async function* chunks() {
    let buf: string[] = [];
    let n = 0;
    for (const c of gen) {
      const times = STAGES.map((s) => c.times[s]);
      const started = c.times.received ?? c.times.accepted;
      buf.push([c.bureau_id, c.case_id, c.item_code, c.sub_item_code, ...times, started, c.outcome, c.fine_yuan, c.persons, true, 1].map(csvField).join(','));
      if (buf.length === 5000) {
        yield `${buf.join('\n')}\n`;
        buf = [];
        if ((n += 5000) % 500_000 === 0) process.stderr.write(`  ${n.toLocaleString('en')} cases copied\n`);
      }
    }
    if (buf.length) yield `${buf.join('\n')}\n`;
  }
  await db.session(async (s) => {
    const columns = `bureau_id, case_id, item_code, sub_item_code, ${STAGES.map((x) => `${x}_at`).join(', ')}, started_at, outcome, fine_yuan, persons, synthetic, file_id`;
    await pipeline(Readable.from(chunks()), s.pgClient!.query(copyFrom(`COPY case_record (${columns}) FROM STDIN WITH (FORMAT csv)`)));
    await s.query('ANALYZE case_record');
  });
}

function percentile(sorted: number[], p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * The load generator runs in a worker thread, so its own work does not stall the server's event
 * loop: `requests` GETs with at most `concurrency` in flight, then it stops and posts the
 * latencies (ms).
 */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, requests, concurrency } = workerData;
let next = 0;
const times = [];
async function worker() {
  while (next < requests) {
    next++;
    const t0 = performance.now();
    const res = await fetch(url, { headers: { Accept: 'application/vnd.apache.arrow.stream' } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
    times.push(performance.now() - t0);
  }
}
Promise.all(Array.from({ length: concurrency }, worker)).then(() => parentPort.postMessage(times), (e) => { throw e; });
`;

function measure(url: string, requests: number, concurrency: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(CLIENT, { eval: true, workerData: { url, requests, concurrency } });
    w.once('message', (times: number[]) => resolve(times.sort((a, b) => a - b)));
    w.once('error', reject);
  });
}

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const rows = arg('rows', 5_000_000), requests = arg('requests', 400), concurrency = arg('concurrency', 4);
  const reuse = process.argv.includes('--reuse');
  const server = config.databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = await benchDatabase(server);
  const db = await connect({ kind: 'pg', url });
  try {
    await migrate(db, await readMigrations(join(config.root, 'sql/migrations')));
    await runEtl({ db, config, log: silentLog, now: () => new Date() });
    await loadWorkCalendarFile(db, join(config.root, 'data/holidays/cn.yaml'));
    await loadTimeLimitsFile(db, join(config.root, 'data/time-limits.yaml'));
    const bureauId = (await db.kysely.selectFrom('bureau').select('bureau_id').executeTakeFirstOrThrow()).bureau_id;
    const have = Number((await db.kysely.selectFrom('case_aggregate_meta').select('cases').executeTakeFirst())?.cases ?? 0);
    if (!reuse || have !== rows) {
      await db.session((s) => s.script('TRUNCATE case_record'));
      let t0 = performance.now();
      await copyCases(db, bureauId, rows, config.root);
      console.log(`generated and copied ${rows.toLocaleString('en')} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      t0 = performance.now();
      const report = await refreshCaseAggregates(db);
      console.log(`refreshed aggregates in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${report.spans.toLocaleString('en')} spans, ${report.finedCases.toLocaleString('en')} fined cases`);
    } else console.log(`reusing ${have.toLocaleString('en')} cases in ${DB_NAME}`);

    const app = await buildApp({ db, bureauId, adminToken: null });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const endpoints = [
      '/api/cases/meta',
      '/api/volumes',
      '/api/volumes?by=section',
      '/api/volumes?per=window',
      '/api/timeliness',
      '/api/timeliness?per=window',
      `/api/timeliness?section=${encodeURIComponent('劳动监察大队')}&power_type=${encodeURIComponent('行政处罚')}&from=2024-03&to=2024-09`,
      '/api/timeliness/late',
      `/api/timeliness/late?section=${encodeURIComponent('劳动监察大队')}&span=accepted-decided&month=2024-06`,
      '/api/fines/compliance',
    ];
    // A shared or busy machine inflates every figure; say how busy it was.
    const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
    console.log(`\n${requests} requests per endpoint, ${concurrency} in flight, over http://127.0.0.1 (${rows.toLocaleString('en')} cases)`);
    console.log(`machine: ${cpus().length} CPUs, load average ${load()} at start\n`);
    // "first" is the request that computes the answer from the summary tables (the server's
    // cache is empty); the percentiles then include the cached answers, as a dashboard sees them.
    console.log('endpoint'.padEnd(96) + 'first ms'.padStart(10) + 'p50 ms'.padStart(9) + 'p95 ms'.padStart(9));
    const all: number[] = [];
    let worst = 0;
    try {
      for (const e of endpoints) {
        const [first] = await measure(base + e, 1, 1);
        await measure(base + e, 20, 4); // warm-up: plans cached, connections open
        const t = await measure(base + e, requests, concurrency);
        all.push(...t);
        worst = Math.max(worst, percentile(t, 0.95));
        console.log(e.padEnd(96) + first!.toFixed(1).padStart(10) + percentile(t, 0.5).toFixed(1).padStart(9) + percentile(t, 0.95).toFixed(1).padStart(9));
      }
    } finally {
      await app.close();
    }
    all.sort((a, b) => a - b);
    console.log('all endpoints'.padEnd(106) + percentile(all, 0.5).toFixed(1).padStart(9) + percentile(all, 0.95).toFixed(1).padStart(9));
    console.log(`load average ${load()} at end`);
    console.log(`\nworst endpoint p95 ${worst.toFixed(1)} ms: target p95 < ${TARGET_P95_MS} ms ${worst < TARGET_P95_MS ? 'met' : 'MISSED'}`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.stack ?? err.message);
    process.exit(1);
  },
);
