/**
 * Receiving one uploaded file (raw body or multipart with one file part) onto disk, for the admin
 * upload endpoints: a safe stored name whatever the given one (uploadFileName), the size limit
 * (413), a malformed or truncated multipart body (400). The bytes go to a short dot-name `.part`
 * file in `dir`; the caller checks the content and renames it into place, or removes it.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { uploadFileName } from '../etl/sources/inbox.ts';
import { HttpError } from './http-error.ts';

export interface ReceivedUpload {
  /** The bytes, under a temporary dot-name in `dir`. */
  part: string;
  /** The name to store it under (safe, not reserved, at most 160 bytes). */
  name: string;
  bytes: number;
}

export interface UploadOptions {
  dir: string;
  limit: number;
  /** Accepted extensions, the first one added when the given name has none of them. */
  ext: readonly string[];
  /** `?name=` of a raw-body upload. */
  queryName?: string;
  what: string;
}

const tooLarge = (limit: number) =>
  new HttpError(413, `the upload exceeds the limit of ${limit} bytes (UPLOAD_LIMIT_MB)`);

export async function receiveUpload(req: FastifyRequest, o: UploadOptions): Promise<ReceivedUpload> {
  let stream: Readable;
  let given = o.queryName;
  if (req.isMultipart()) {
    let file: Awaited<ReturnType<FastifyRequest['file']>>;
    try {
      file = await req.file();
    } catch (err) {
      throw new HttpError(400, `the multipart body cannot be read (${(err as Error).message}); send one file part`, {
        cause: err,
      });
    }
    if (!file) throw new HttpError(400, `the multipart body has no file part; send ${o.what} as a file field`);
    stream = file.file;
    given ??= file.filename;
  } else if (req.body && typeof (req.body as Readable).pipe === 'function') {
    stream = req.body as Readable;
  } else {
    throw new HttpError(
      415,
      `send ${o.what} as the raw body (Content-Type: text/csv or application/octet-stream, ?name=FILE) or as multipart/form-data`,
    );
  }
  const stored = uploadFileName(given ?? `upload-${randomBytes(4).toString('hex')}${o.ext[0]}`, o.ext);
  if (!stored.ok) {
    stream.resume();
    throw new HttpError(400, stored.reason);
  }
  const part = join(o.dir, `.upload-${process.pid}-${randomBytes(6).toString('hex')}.part`);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > o.limit) cb(tooLarge(o.limit));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(stream, counter, createWriteStream(part));
    if ((stream as Readable & { truncated?: boolean }).truncated) throw tooLarge(o.limit);
    return { part, name: stored.name, bytes };
  } catch (err) {
    await rm(part, { force: true });
    const e = err as Error & { code?: string; statusCode?: number };
    if (e.code === 'FST_REQ_FILE_TOO_LARGE' || e.statusCode === 413) throw tooLarge(o.limit);
    if (err instanceof HttpError) throw err;
    // A file-system failure on our side (disk full …) is the server's, not the client's.
    if (e.code && /^E[A-Z]+$/.test(e.code) && !['ECONNRESET', 'EPIPE'].includes(e.code) && 'syscall' in e) throw err;
    // The body ended or broke mid-way (a malformed multipart body, a dropped connection).
    throw new HttpError(400, `the upload could not be read to its end (${e.message}); send it again`, { cause: err });
  }
}
