// @ts-check
/**
 * The embedded database's own thread (see pglite-thread.ts). Plain JavaScript so that every
 * runner (tsx, vitest, node) can start it without a TypeScript loader.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const port = parentPort;
if (!port) throw new Error('pglite-worker.js runs as a worker thread');

/** @param {unknown} err */
function serialise(err) {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  // DatabaseError carries code, detail, hint, position …: keep every own field a caller may read.
  /** @type {Record<string, unknown>} */
  const out = { name: err.name, message: err.message, stack: err.stack };
  for (const [k, v] of Object.entries(err)) {
    if (v === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof v)) out[k] = v;
  }
  return out;
}

/** @type {PGlite} */
let db;
try {
  // Shared buffers live in the WebAssembly heap, which never gives memory back: 32 MB instead of
  // 128 MB took the peak RSS of a 200,000-case load from 700 to 540 MB at the same speed.
  const options = { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'] };
  db = workerData.dir ? await PGlite.create(workerData.dir, options) : await PGlite.create(options);
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ ready: false, error: serialise(err) });
  process.exit(1);
}

/**
 * One message at a time, in the order sent: PGlite keeps a COPY's blob in one field, so a second
 * query must not start before the first has finished.
 * @param {any} m
 */
async function handle(m) {
  try {
    if (m.op === 'query') {
      const opts = m.blob ? { blob: new Blob([m.blob]) } : undefined;
      const r = await db.query(m.text, m.params ?? [], opts);
      port.postMessage({ id: m.id, ok: true, result: { rows: r.rows, affectedRows: r.affectedRows } });
    } else if (m.op === 'exec') {
      await db.exec(m.text);
      port.postMessage({ id: m.id, ok: true, result: null });
    } else if (m.op === 'close') {
      await db.close();
      port.postMessage({ id: m.id, ok: true, result: null });
      port.close();
    } else {
      throw new Error(`unknown operation ${m.op}`);
    }
  } catch (err) {
    port.postMessage({ id: m.id, ok: false, error: serialise(err) });
  }
}

let queue = Promise.resolve();
port.on('message', (m) => {
  queue = queue.then(() => handle(m));
});
