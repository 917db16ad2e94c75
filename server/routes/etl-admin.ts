/**
 * The ETL's own endpoints: runs and loaded case files (read), and the two that change data, each
 * behind the admin bearer token: trigger a run, and upload a case export into the inbox.
 * An upload streams to disk under a dot-name and is renamed into the inbox only when complete and
 * its header checks out, so a run never picks up half a file.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { timingSafeEqual } from 'node:crypto';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { HttpError } from '../http-error.ts';
import { formatSchema, sendTable, type Format } from '../table-reply.ts';
import { FILE_SPEC, REJECT_SPEC, caseFileExists, caseFiles, caseRejects } from '../queries/case-files.ts';
import { RUN_SPEC, etlRuns } from '../queries/etl-runs.ts';
import { parseCaseCsvStream } from '../../etl/sources/case-csv-stream.ts';

const DEFAULT_UPLOAD_LIMIT = 200 * 1024 * 1024;

/** 401 without a bearer token, 403 with a wrong one or when the server has none configured. */
export function requireAdmin(adminToken: string | null, req: FastifyRequest): void {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header);
  if (!m) throw new HttpError(401, 'this endpoint changes data: send Authorization: Bearer <ADMIN_TOKEN>');
  if (adminToken === null) throw new HttpError(403, 'admin endpoints are disabled on this server: start it with ADMIN_TOKEN set');
  const given = Buffer.from(m[1]!.trim()), want = Buffer.from(adminToken);
  if (given.length !== want.length || !timingSafeEqual(given, want)) throw new HttpError(403, 'the bearer token is wrong');
}

export function etlAdminRoutes(app: FastifyInstance, deps: AppDeps) {
  const { db } = deps;
  const limit = deps.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT;

  app.get<{ Querystring: { format?: Format; limit?: number } }>(
    '/api/runs',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...formatSchema, limit: { type: 'integer', minimum: 1, maximum: 10000 } } } } },
    async (req, reply) => {
      const rows = await etlRuns(db, { limit: req.query.limit });
      return sendTable(reply, rows, RUN_SPEC, req.query.format);
    },
  );

  app.get<{ Querystring: { format?: Format } }>(
    '/api/case-files',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...formatSchema } } } },
    async (req, reply) => {
      const rows = await caseFiles(db, req.bureauId);
      return sendTable(reply, rows, FILE_SPEC, req.query.format);
    },
  );

  app.get<{ Querystring: { format?: Format; file_id: number; limit?: number } }>(
    '/api/case-rejects',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['file_id'],
          properties: { ...formatSchema, file_id: { type: 'integer', minimum: 1 }, limit: { type: 'integer', minimum: 1, maximum: 100000 } },
        },
      },
    },
    async (req, reply) => {
      const { file_id, limit: max = 5000 } = req.query;
      if (!(await caseFileExists(db, req.bureauId, { fileId: file_id }))) throw new HttpError(404, `no case file ${file_id}; GET /api/case-files lists the loaded files`);
      const rows = await caseRejects(db, req.bureauId, { fileId: file_id, limit: max });
      return sendTable(reply, rows, REJECT_SPEC, req.query.format);
    },
  );

  // The data-changing endpoints live in their own plugin scope: the multipart parser and the
  // streaming text/csv parser apply to them only.
  void app.register(async (admin) => {
    await admin.register(fastifyMultipart, { limits: { fileSize: limit, files: 1 } });
    admin.addContentTypeParser(['text/csv', 'application/octet-stream'], (_req, payload, done) => done(null, payload));
    admin.addHook('onRequest', async (req) => {
      requireAdmin(deps.adminToken, req);
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > limit + 64 * 1024) throw new HttpError(413, `the upload is ${declared} bytes; the limit is ${limit} bytes (UPLOAD_LIMIT_MB)`);
    });

    admin.post('/api/admin/etl/run', async (_req, reply) => {
      if (!deps.runEtl) throw new HttpError(503, 'this server was started without the ETL runner');
      const report = await deps.runEtl('api');
      const body = { run_id: report.runId ?? null, status: report.status, steps: report.steps };
      if (report.status === 'skipped') return reply.code(409).send({ ...body, error: 'another ETL run is in progress; try again when it has finished (GET /api/runs)', statusCode: 409 });
      return reply.send(body);
    });

    admin.post<{ Querystring: { name?: string } }>(
      '/api/admin/cases',
      { schema: { querystring: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', maxLength: 120 } } } } },
      async (req, reply) => {
        if (!deps.inboxDir) throw new HttpError(503, 'this server has no inbox folder configured');
        let stream: Readable, name: string | undefined = req.query.name;
        if (req.isMultipart()) {
          const file = await req.file();
          if (!file) throw new HttpError(400, 'the multipart body has no file part; send the CSV as a file field');
          stream = file.file;
          name ??= file.filename;
        } else if (req.body && typeof (req.body as Readable).pipe === 'function') {
          stream = req.body as Readable;
        } else {
          throw new HttpError(415, 'send the case CSV as the raw body (Content-Type: text/csv) or as multipart/form-data');
        }
        const safe = safeName(name ?? `upload-${Date.now()}.csv`);
        await mkdir(deps.inboxDir, { recursive: true });
        const part = join(deps.inboxDir, `.${safe}.${process.pid}.${Date.now()}.part`);
        let bytes = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            bytes += chunk.length;
            if (bytes > limit) cb(new HttpError(413, `the upload exceeds the limit of ${limit} bytes (UPLOAD_LIMIT_MB)`));
            else cb(null, chunk);
          },
        });
        try {
          await pipeline(stream, counter, createWriteStream(part));
          if ((stream as Readable & { truncated?: boolean }).truncated) throw new HttpError(413, `the upload exceeds the limit of ${limit} bytes (UPLOAD_LIMIT_MB)`);
          await checkHeader(part, safe);
          const target = freeInboxName(deps.inboxDir, safe);
          await rename(part, target);
          return reply.code(202).send({ file: target.slice(deps.inboxDir.length + 1), bytes, message: 'queued in the inbox: loaded by the next ETL run (or POST /api/admin/etl/run)' });
        } catch (err) {
          await rm(part, { force: true });
          const e = err as Error & { code?: string; statusCode?: number };
          if (e.code === 'FST_REQ_FILE_TOO_LARGE' || e.statusCode === 413) throw new HttpError(413, `the upload exceeds the limit of ${limit} bytes (UPLOAD_LIMIT_MB)`);
          throw err;
        }
      },
    );
  });
}

function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop()!.replace(/[^\w.\-\u4e00-\u9fff]/g, '_').replace(/^\.+/, '');
  if (!base) throw new HttpError(400, 'the file name is empty');
  return /\.csv$/i.test(base) ? base : `${base}.csv`;
}

function freeInboxName(dir: string, name: string): string {
  let candidate = join(dir, name);
  for (let i = 2; existsSync(candidate); i++) candidate = join(dir, name.replace(/(\.csv)?$/i, `-${i}.csv`));
  return candidate;
}

/** Refuses at once what the run would refuse whole: not CSV, or a wrong header. */
async function checkHeader(path: string, name: string): Promise<void> {
  try {
    const rows = parseCaseCsvStream(createReadStream(path), name);
    await rows.next();
    await rows.return(undefined);
  } catch (err) {
    throw new HttpError(400, (err as Error).message);
  }
}
