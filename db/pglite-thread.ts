import { Worker } from 'node:worker_threads';

export interface EmbeddedResult<R> {
  rows: R[];
  affectedRows?: number;
}

/** What the app asks of the embedded database: the part of PGlite's interface it uses. */
export interface Embedded {
  query<R = Record<string, unknown>>(
    text: string,
    params?: unknown[],
    opts?: { blob?: Blob | Uint8Array },
  ): Promise<EmbeddedResult<R>>;
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: Record<string, unknown> };

/** An error from the database thread, with the fields PGlite gave it (code, detail …). */
function revive(e: Record<string, unknown>): Error {
  const err = Object.assign(new Error(String(e.message)), e);
  err.name = String(e.name ?? 'Error');
  return err;
}

/**
 * PGlite in a worker thread of its own. PGlite runs its statements synchronously on whichever
 * thread holds it: on the server's thread a long COPY or refresh left no turn for requests
 * (`/api/health` waited seconds) and Node's row checks and the database took turns on one CPU.
 * Here the server thread stays free, and checking the next rows overlaps the COPY of the last.
 */
export class PgliteThread implements Embedded {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.holdProcess();
      if (m.ok) p.resolve(m.result);
      else p.reject(revive(m.error));
    });
    const fail = (err: Error) => {
      this.failure ??= err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.holdProcess();
    };
    worker.on('error', (err) => fail(new Error(`the embedded database thread failed: ${err.message}`, { cause: err })));
    worker.on('exit', (code) => fail(new Error(`the embedded database thread has stopped (exit code ${code})`)));
    this.holdProcess();
  }

  /** Starts the thread and opens the database in `dir` (in memory when null). */
  static async open(dir: string | null): Promise<PgliteThread> {
    const worker = new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData: { dir } });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { ready: boolean; error?: Record<string, unknown> }) =>
        m.ready ? resolve() : reject(revive(m.error ?? { message: 'the embedded database did not open' })),
      );
      worker.once('error', reject);
    });
    return new PgliteThread(worker);
  }

  /**
   * The thread keeps the process alive only while a statement is under way: an idle open
   * database must not keep a finished command running, a pending one must not let it exit.
   */
  private holdProcess(): void {
    if (this.pending.size) this.worker.ref();
    else this.worker.unref();
  }

  private call<T>(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.holdProcess();
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  async query<R = Record<string, unknown>>(
    text: string,
    params: unknown[] = [],
    opts?: { blob?: Blob | Uint8Array },
  ): Promise<EmbeddedResult<R>> {
    const given = opts?.blob;
    // A Uint8Array that owns its whole buffer is moved to the thread; anything else is copied.
    const bytes =
      given === undefined
        ? undefined
        : given instanceof Uint8Array
          ? given.byteOffset === 0 && given.byteLength === given.buffer.byteLength
            ? (given.buffer as ArrayBuffer)
            : given.slice().buffer
          : await given.arrayBuffer();
    return this.call({ op: 'query', text, params, blob: bytes }, bytes ? [bytes] : []);
  }

  async exec(text: string): Promise<void> {
    await this.call({ op: 'exec', text });
  }

  async close(): Promise<void> {
    if (this.failure) return;
    await this.call({ op: 'close' });
    await this.worker.terminate();
  }
}
