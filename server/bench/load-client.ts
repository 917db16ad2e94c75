/**
 * The load generators bench:api measures with: `wrk` (Debian's package, a C program in a process
 * of its own) when it is installed, else Node's fetch in a worker thread. Either keeps `clients`
 * requests in flight (closed loop) and reports req/s and latency percentiles.
 *
 * wrk is the default because the client's own work is part of every latency it measures: on a
 * 2-CPU machine fetch's per-request cost, on the server's process, took a share of the CPUs the
 * server needed (the hello-world route's p95 was 30–118 ms through it).
 */
import { execFile, execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export const ARROW_ACCEPT = 'application/vnd.apache.arrow.stream';

export interface Measured {
  requests: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  /** Answers that were not 2xx/3xx, plus connection errors and timeouts. */
  failed: number;
}

export interface LoadClient {
  name: string;
  /** Warm-up or measured run against one URL with `clients` requests in flight. */
  measure(url: string, clients: number, warmUp?: boolean): Promise<Measured>;
}

export function percentile(sorted: readonly number[], p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function wrkInstalled(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk --version prints its usage and exits 1; only a missing binary is ENOENT.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** wrk's summary as one line of JSON (its Lua `done` hook; latencies in microseconds). */
const WRK_SCRIPT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"durationUs":%d,"p50":%f,"p95":%f,"p99":%f,"failed":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end
`;

/** wrk for `seconds` per measured URL (1 s to warm up), one thread. */
export function wrkClient(seconds: number): LoadClient {
  const script = join(tmpdir(), `quanze-wrk-${process.pid}.lua`);
  writeFileSync(script, WRK_SCRIPT);
  process.once('exit', () => rmSync(script, { force: true }));
  return {
    name: `wrk, ${seconds} s per endpoint`,
    measure: (url, clients, warmUp) =>
      new Promise((resolve, reject) => {
        const args = ['-t1', `-c${clients}`, `-d${warmUp ? 1 : seconds}s`, '--timeout', '10s'];
        args.push('-H', `Accept: ${ARROW_ACCEPT}`, '-s', script, url);
        execFile('wrk', args, (err, stdout, stderr) => {
          if (err) return reject(new Error(`wrk ${url}: ${stderr || err.message}`));
          const line = stdout.split('\n').find((l) => l.startsWith('WRK_RESULT '));
          if (!line) return reject(new Error(`wrk ${url}: no summary in its output:\n${stdout}`));
          const r = JSON.parse(line.slice('WRK_RESULT '.length)) as {
            requests: number;
            durationUs: number;
            p50: number;
            p95: number;
            p99: number;
            failed: number;
          };
          resolve({
            requests: r.requests,
            reqPerSec: r.requests / (r.durationUs / 1e6),
            p50: r.p50 / 1000,
            p95: r.p95 / 1000,
            p99: r.p99 / 1000,
            failed: r.failed,
          });
        });
      }),
  };
}

/**
 * `requests` GETs through fetch with at most `clients` in flight, from a worker thread so that
 * its work does not stall the server's event loop; posts the latencies (ms) and the wall time.
 */
const FETCH_CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, requests, concurrency, accept } = workerData;
let next = 0, failed = 0;
const times = [];
async function worker() {
  while (next < requests) {
    next++;
    const t0 = performance.now();
    try {
      const res = await fetch(url, { headers: { Accept: accept } });
      await res.arrayBuffer();
      if (!res.ok) failed++;
    } catch { failed++; }
    times.push(performance.now() - t0);
  }
}
const start = performance.now();
Promise.all(Array.from({ length: concurrency }, worker)).then(() => parentPort.postMessage({ times, failed, wallMs: performance.now() - start }));
`;

export function fetchClient(requests: number): LoadClient {
  return {
    name: `fetch in a worker thread, ${requests} requests per endpoint`,
    measure: (url, clients, warmUp) =>
      new Promise((resolve, reject) => {
        const n = warmUp ? 50 : requests;
        const w = new Worker(FETCH_CLIENT, {
          eval: true,
          workerData: { url, requests: n, concurrency: clients, accept: ARROW_ACCEPT },
        });
        w.once('message', ({ times, failed, wallMs }: { times: number[]; failed: number; wallMs: number }) => {
          const sorted = times.sort((a, b) => a - b);
          resolve({
            requests: sorted.length,
            reqPerSec: (sorted.length / wallMs) * 1000,
            p50: percentile(sorted, 0.5),
            p95: percentile(sorted, 0.95),
            p99: percentile(sorted, 0.99),
            failed,
          });
        });
        w.once('error', reject);
      }),
  };
}
