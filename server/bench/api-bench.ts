/**
 * `npm run bench:api -- [--rows 5000000] [--clients 50] [--client wrk|fetch] [--seconds 5] [--requests 1000] [--reuse]`
 *   --clients  requests in flight at once (`--concurrency` is the same)
 *   --client   the load generator (load-client.ts): wrk when installed (`apt-get install wrk`), else fetch
 *   --seconds  how long wrk loads each endpoint; --requests: how many fetch sends
 *   --reuse    keep the cases of the previous run when it had the same --rows
 *
 * Puts N synthetic cases into a PostgreSQL database of its own (quanze_api_bench on the server
 * of DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres), refreshes the
 * aggregates, starts the real Fastify app on loopback and measures every aggregate endpoint
 * under `clients` concurrent clients: req/s and p50/p95/p99 latency, beside a Fastify
 * hello-world route on the same machine measured in the same run (before and after the
 * endpoints), so the ratio says what the endpoints cost above Fastify and the loopback itself.
 * A benchmark, not a test: it prints figures and whether the targets held.
 *
 * Cases go in by the fastest path: the deterministic generator's rows streamed straight into
 * case_record with COPY (the load path itself is measured by bench:load).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Fastify from 'fastify';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../../core/config.ts';
import { buildApp } from '../app.ts';
import { connect, type Db } from '../../db/connect.ts';
import { migrate } from '../../db/migrate.ts';
import { silentLog } from '../../core/log.ts';
import { calendarOrThrow, parseHolidayCalendar } from '../../etl/calendar/holiday-calendar.ts';
import { syntheticCases } from '../../etl/generate/synthetic-cases.ts';
import { loadWorkCalendarFile } from '../../etl/load/calendar-load.ts';
import { refreshCaseAggregates } from '../../etl/load/case-aggregates.ts';
import { syntheticInputsOf } from '../../etl/load/case-synthetic.ts';
import { loadTimeLimitsFile } from '../../etl/load/time-limits-load.ts';
import { STAGES } from '../../etl/parse/case-csv.ts';
import { parseTimeLimits, timeLimitsOrThrow } from '../../etl/registry/time-limits.ts';
import { runEtl } from '../../etl/run-etl.ts';
import { readMigrations } from '../../db/migrations.ts';
import { csvField } from '../../etl/export/csv-cell.ts';
import { ARROW_ACCEPT, fetchClient, type LoadClient, type Measured, wrkClient, wrkInstalled } from './load-client.ts';

const DB_NAME = 'quanze_api_bench';
const TARGET_P95_MS = 50;
const TARGET_OF_HELLO = 0.3;

function arg(name: string, fallback: number, alias?: string): number {
  let i = process.argv.indexOf(`--${name}`);
  if (i < 0 && alias) i = process.argv.indexOf(`--${alias}`);
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
  const items = await db.kysely
    .selectFrom('item')
    .select(['code', 'seq', 'power_type', 'section', 'name', 'basis'])
    .where('code', 'is not', null)
    .orderBy('seq')
    .execute();
  const calendar = calendarOrThrow(
    parseHolidayCalendar(readFileSync(join(root, 'data/holidays/cn.yaml'), 'utf8'), 'cn.yaml'),
  );
  const limits = timeLimitsOrThrow(
    parseTimeLimits(readFileSync(join(root, 'data/time-limits.yaml'), 'utf8'), 'time-limits.yaml'),
  );
  const gen = syntheticCases({
    ...syntheticInputsOf(items),
    seed: 'bench-api',
    rows,
    year: 2024,
    calendar,
    limits,
    bureauId,
  });
  async function* chunks() {
    let buf: string[] = [];
    let n = 0;
    for (const c of gen) {
      const times = STAGES.map((s) => c.times[s]);
      const started = c.times.received ?? c.times.accepted;
      buf.push(
        [
          c.bureau_id,
          c.case_id,
          c.item_code,
          c.sub_item_code,
          ...times,
          started,
          c.outcome,
          c.fine_yuan,
          c.persons,
          true,
          1,
        ]
          .map(csvField)
          .join(','),
      );
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
    await pipeline(
      Readable.from(chunks()),
      s.pgClient!.query(copyFrom(`COPY case_record (${columns}) FROM STDIN WITH (FORMAT csv)`)),
    );
    await s.query('ANALYZE case_record');
  });
}

/** The floor: Fastify answering a constant on the same machine, through the same client. */
async function helloWorld(client: LoadClient, clients: number): Promise<Measured> {
  const hello = Fastify();
  hello.get('/hello', async () => ({ hello: 'world' }));
  const base = await hello.listen({ host: '127.0.0.1', port: 0 });
  try {
    await client.measure(`${base}/hello`, clients, true);
    return await client.measure(`${base}/hello`, clients);
  } finally {
    await hello.close();
  }
}

/** One request alone: the answer computed from the summary tables when the server's cache is empty. */
async function firstMs(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { Accept: ARROW_ACCEPT } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return performance.now() - t0;
}

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const rows = arg('rows', 5_000_000),
    requests = arg('requests', 1000),
    seconds = arg('seconds', 5),
    concurrency = arg('clients', 50, 'concurrency');
  const clientIndex = process.argv.indexOf('--client');
  const clientName = clientIndex < 0 ? (wrkInstalled() ? 'wrk' : 'fetch') : process.argv[clientIndex + 1];
  if (clientName !== 'wrk' && clientName !== 'fetch') throw new Error('--client is wrk or fetch');
  if (clientName === 'wrk' && !wrkInstalled())
    throw new Error('--client wrk: wrk is not installed (apt-get install -y wrk)');
  const client = clientName === 'wrk' ? wrkClient(seconds) : fetchClient(requests);
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
    const have = Number(
      (await db.kysely.selectFrom('case_aggregate_meta').select('cases').executeTakeFirst())?.cases ?? 0,
    );
    if (!reuse || have !== rows) {
      await db.session((s) => s.script('TRUNCATE case_record'));
      let t0 = performance.now();
      await copyCases(db, bureauId, rows, config.root);
      console.log(
        `generated and copied ${rows.toLocaleString('en')} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      t0 = performance.now();
      const report = await refreshCaseAggregates(db);
      console.log(
        `refreshed aggregates in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${report.spans.toLocaleString('en')} spans, ${report.finedCases.toLocaleString('en')} fined cases`,
      );
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
    const load = () =>
      loadavg()
        .map((x) => x.toFixed(1))
        .join(' ');
    console.log(
      `\n${concurrency} clients, over http://127.0.0.1 (${rows.toLocaleString('en')} cases); load generator: ${client.name}`,
    );
    console.log(`machine: ${cpus().length} CPUs, load average ${load()} at start\n`);
    const helloBefore = await helloWorld(client, concurrency);
    const row = (name: string, first: string, m: Measured, of: string) =>
      console.log(
        name.padEnd(72) +
          first.padStart(9) +
          m.reqPerSec.toFixed(0).padStart(8) +
          of.padStart(7) +
          [m.p50, m.p95, m.p99].map((v) => v.toFixed(1).padStart(8)).join('') +
          (m.failed ? `  ${m.failed} failed` : ''),
      );
    // "first" is the request that computes the answer from the summary tables (the server's
    // cache is empty); the rest include the cached answers, as a dashboard sees them.
    console.log(
      'endpoint'.padEnd(72) +
        'first ms'.padStart(9) +
        'req/s'.padStart(8) +
        '×hello'.padStart(7) +
        'p50 ms'.padStart(8) +
        'p95 ms'.padStart(8) +
        'p99 ms'.padStart(8),
    );
    row('Fastify hello world (before)', '', helloBefore, '');
    const results: { e: string; first: number; m: Measured }[] = [];
    try {
      for (const e of endpoints) {
        const first = await firstMs(base + e);
        await client.measure(base + e, concurrency, true); // warm-up: plans cached, connections open
        results.push({ e, first, m: await client.measure(base + e, concurrency) });
      }
    } finally {
      await app.close();
    }
    const helloAfter = await helloWorld(client, concurrency);
    const hello = (helloBefore.reqPerSec + helloAfter.reqPerSec) / 2;
    let worstP95 = 0,
      worstShare = Infinity;
    for (const { e, first, m } of results) {
      worstP95 = Math.max(worstP95, m.p95);
      worstShare = Math.min(worstShare, m.reqPerSec / hello);
      row(decodeURIComponent(e), first.toFixed(1), m, (m.reqPerSec / hello).toFixed(2));
    }
    row('Fastify hello world (after)', '', helloAfter, '');
    console.log(`load average ${load()} at end`);
    const failed = results.reduce((n, { m }) => n + m.failed, 0);
    if (failed) console.log(`\n${failed} requests failed: the figures do not count`);
    console.log(
      `\nworst endpoint p95 ${worstP95.toFixed(1)} ms: target p95 < ${TARGET_P95_MS} ms ${worstP95 < TARGET_P95_MS && !failed ? 'met' : 'MISSED'}`,
    );
    console.log(
      `slowest endpoint ${worstShare.toFixed(2)} of hello-world req/s (${hello.toFixed(0)}): target >= ${TARGET_OF_HELLO} ${worstShare >= TARGET_OF_HELLO ? 'met' : 'MISSED'}`,
    );
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
