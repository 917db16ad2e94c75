/**
 * COPY into a table on either backend, fed one text-format line at a time (openCopy) or chunks of
 * binary tuples (openBinaryCopy). On `pg` the data streams through pg-copy-streams with
 * backpressure; on PGlite, COPY reads a whole blob, so it is sent in bounded batches. Either way
 * memory stays bounded by one buffer, not by the input.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Session } from '../../db/connect.ts';
import { BINARY_COPY_HEADER, BINARY_COPY_TRAILER } from './case-binary.ts';

export interface CopySink {
  /** Appends one line (ending in \n). Returns a promise only when the caller must wait. */
  write(line: string): Promise<void> | undefined;
  /** Sends what is buffered and finishes the COPY; rejects if the database refused any of it. */
  end(): Promise<void>;
  /** Abandons the COPY (the transaction is rolled back by the caller); never throws. */
  abort(err: Error): Promise<void>;
}

/** A COPY text-format field: NULL as \N; backslash, tab and line breaks escaped. */
export function copyField(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : v;
}

/** `target` is `table (col, …)`; the data is COPY text format (tab-separated) unless `format` is csv. */
export function openCopy(
  s: Session,
  target: string,
  opts: { flushBytes?: number; batchBytes?: number; format?: 'text' | 'csv' } = {},
): CopySink {
  const withFormat = opts.format === 'csv' ? ' WITH (FORMAT csv)' : '';
  const chunks = s.pgClient
    ? pgChunks(s, `COPY ${target} FROM STDIN${withFormat}`)
    : pgliteChunks(s, `COPY ${target} FROM '/dev/blob'${withFormat}`);
  const limit = s.pgClient ? (opts.flushBytes ?? 256 * 1024) : (opts.batchBytes ?? PGLITE_BATCH_BYTES);
  let parts: string[] = [];
  let size = 0;
  const send = () => {
    const text = parts.join('');
    parts = [];
    size = 0;
    // PGlite's blob moves to the database thread without a copy: bytes of our own.
    return chunks.send(encoder.encode(text));
  };
  return {
    write(line) {
      parts.push(line);
      size += line.length;
      return size >= limit ? send() : undefined;
    },
    async end() {
      if (size) await send();
      await chunks.end();
    },
    async abort(err) {
      parts = [];
      size = 0;
      await chunks.abort(err);
    },
  };
}

/**
 * A COPY in PostgreSQL's binary format, fed whole chunks of tuples (case-binary.ts). On `pg` one
 * COPY streams them between one header and one trailer; on PGlite every chunk is a COPY of its
 * own and must be a whole file (`framed`).
 */
export interface BinaryCopySink {
  /** Whether every chunk must carry the header and trailer itself. */
  readonly framed: boolean;
  /** About how many bytes a chunk should hold. */
  readonly chunkBytes: number;
  /** Sends one chunk, which the caller never touches again. Returns a promise only when the caller must wait. */
  write(chunk: Uint8Array): Promise<void> | undefined;
  end(): Promise<void>;
  abort(err: Error): Promise<void>;
}

export function openBinaryCopy(s: Session, target: string): BinaryCopySink {
  if (s.pgClient) {
    const chunks = pgChunks(s, `COPY ${target} FROM STDIN WITH (FORMAT binary)`);
    let started = false;
    return {
      framed: false,
      chunkBytes: 256 * 1024,
      write(chunk) {
        if (started) return chunks.send(chunk);
        started = true;
        return (async () => {
          await chunks.send(BINARY_COPY_HEADER);
          await chunks.send(chunk);
        })();
      },
      async end() {
        if (!started) await chunks.send(BINARY_COPY_HEADER);
        await chunks.send(BINARY_COPY_TRAILER);
        await chunks.end();
      },
      abort: (err) => chunks.abort(err),
    };
  }
  const chunks = pgliteChunks(s, `COPY ${target} FROM '/dev/blob' WITH (FORMAT binary)`);
  return { framed: true, chunkBytes: PGLITE_BATCH_BYTES, write: chunks.send, end: chunks.end, abort: chunks.abort };
}

interface Chunks<T> {
  send(chunk: T): Promise<void> | undefined;
  end(): Promise<void>;
  abort(err: Error): Promise<void>;
}

/** One COPY FROM STDIN through pg-copy-streams, with backpressure. */
function pgChunks(s: Session, statement: string): Chunks<Uint8Array> {
  if (!s.pgClient) throw new Error('COPY needs a pg client or a PGlite instance on the session');
  const stream = s.pgClient.query(copyFrom(statement));
  let failure: Error | null = null;
  stream.on('error', (err: Error) => (failure ??= err));
  const wait = async () => {
    // once() rejects if the stream errors while we wait, so a dead connection cannot hang the load.
    await once(stream, 'drain');
    if (failure) throw failure;
  };
  return {
    send(chunk) {
      if (failure) return Promise.reject(failure);
      return stream.write(chunk) ? undefined : wait();
    },
    async end() {
      if (failure) throw failure;
      stream.end();
      await finished(stream);
      if (failure) throw failure;
    },
    async abort(err) {
      if (stream.destroyed) return;
      // destroy() sends CopyFail, which ends the COPY so the connection can roll back.
      stream.destroy(err);
      await finished(stream).catch(() => undefined);
    },
  };
}

/**
 * PGlite runs in its own thread (db/pglite-thread.ts): while it COPYs one batch this thread
 * checks and formats the next, up to PGLITE_BATCHES_AHEAD batches queued there. Small batches keep both
 * threads busy and the heap small (its blob is copied into the WebAssembly heap): 200,000 cases
 * onto 30,000, rows phase 1.4 s and peak RSS 414–455 MB in 512 KB batches, 1.8 s and 491–536 MB
 * in 2 MB, 688 MB in 8 MB.
 */
export const PGLITE_BATCH_BYTES = 512 * 1024;
/**
 * Batches handed over and not yet COPYed, at most: a slow stretch on either thread does not stall
 * the other (200,000 onto 30,000, load + refresh: 0.38–0.52 of the raw COPY with two, 0.35–0.46
 * with one, five runs each, alternating).
 */
const PGLITE_BATCHES_AHEAD = 2;

const encoder = new TextEncoder();

/**
 * Every chunk a COPY of its own from the blob; sending one returns, once PGLITE_BATCHES_AHEAD are
 * queued, the oldest, which the caller waits for. A chunk is handed over at once: the database
 * thread runs its messages one after another, so its COPY starts the moment the one before ends.
 * (Handed over only after that one's answer came back, it waited for this thread to finish
 * checking its current rows: 200,000 cases onto 30,000, load + refresh 0.40–0.47 of PGlite's raw
 * COPY against 0.43–0.54 handed over at once, one ahead, six runs each, alternating.)
 */
function pgliteChunks(s: Session, statement: string): Chunks<Uint8Array> {
  if (!s.pglite) throw new Error('COPY needs a pg client or a PGlite instance on the session');
  const db = s.pglite;
  const queued: Promise<void>[] = [];
  return {
    send(blob) {
      const copy = (async () => {
        await db.query(statement, [], { blob });
      })();
      copy.catch(() => undefined);
      queued.push(copy);
      return queued.length > PGLITE_BATCHES_AHEAD ? queued.shift() : undefined;
    },
    async end() {
      // In order: the first failure is the one reported.
      while (queued.length) await queued.shift();
    },
    async abort() {
      await Promise.allSettled(queued.splice(0));
    },
  };
}

/** COPYs a file already in COPY text format (one row per line) through a sink. */
export async function copyTextFile(s: Session, target: string, path: string): Promise<void> {
  const { createReadStream } = await import('node:fs');
  const sink = openCopy(s, target);
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
    const text = rest + (chunk as string);
    const cut = text.lastIndexOf('\n') + 1;
    rest = text.slice(cut);
    if (cut > 0) await sink.write(text.slice(0, cut));
  }
  if (rest) await sink.write(`${rest}\n`);
  await sink.end();
}
