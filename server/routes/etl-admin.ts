/**
 * The ETL's own endpoints: runs and loaded case files (read), and the three that change data, each
 * behind the admin bearer token: trigger a run, upload a case export into the inbox, and load a
 * list into the running server (on the embedded database the only way besides the inbox: no other
 * process may open it). An upload streams to disk under a dot-name (server/upload.ts) and is
 * renamed into place only when complete and its content checks out, so a run never picks up half a
 * file or one it would refuse.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { HttpError } from '../http-error.ts';
import { formatSchema, sendTable, type Format } from '../table-reply.ts';
import { FILE_SPEC, REJECT_SPEC, caseFileExists, caseFiles, caseRejects } from '../queries/case-files.ts';
import { RUN_SPEC, etlRuns } from '../queries/etl-runs.ts';
import { caseFileRefusal } from '../../etl/sources/case-csv-stream.ts';
import { isCaseHeader } from '../../etl/sources/inbox.ts';
import { sniffNotText } from '../../etl/parse/text-sniff.ts';
import { ListParseError } from '../../etl/parse/list-types.ts';
import type { ListLoadResult } from '../../etl/load/list-load.ts';
import { receiveUpload } from '../upload.ts';
import { calendarDate, int4 } from './params.ts';

const DEFAULT_UPLOAD_LIMIT = 200 * 1024 * 1024;

/** 401 without a bearer token, 403 with a wrong one or when the server has none configured. */
export function requireAdmin(adminToken: string | null, req: FastifyRequest): void {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header);
  if (!m) throw new HttpError(401, 'this endpoint changes data: send Authorization: Bearer <ADMIN_TOKEN>');
  if (adminToken === null)
    throw new HttpError(403, 'admin endpoints are disabled on this server: start it with ADMIN_TOKEN set');
  const given = Buffer.from(m[1]!.trim()),
    want = Buffer.from(adminToken);
  if (given.length !== want.length || !timingSafeEqual(given, want))
    throw new HttpError(403, 'the bearer token is wrong');
}

export function etlAdminRoutes(app: FastifyInstance, deps: AppDeps) {
  const { db } = deps;
  const limit = deps.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT;

  app.get<{ Querystring: { format?: Format; limit?: number } }>(
    '/api/runs',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...formatSchema, limit: int4(1, 10000) },
        },
      },
    },
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
          properties: { ...formatSchema, file_id: int4(), limit: int4(1, 100000) },
        },
      },
    },
    async (req, reply) => {
      const { file_id, limit: max = 5000 } = req.query;
      if (!(await caseFileExists(db, req.bureauId, { fileId: file_id })))
        throw new HttpError(404, `no case file ${file_id}; GET /api/case-files lists the loaded files`);
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
      if (declared > limit + 64 * 1024)
        throw new HttpError(413, `the upload is ${declared} bytes; the limit is ${limit} bytes (UPLOAD_LIMIT_MB)`);
    });

    admin.post('/api/admin/etl/run', async (_req, reply) => {
      if (!deps.runEtl) throw new HttpError(503, 'this server was started without the ETL runner');
      const report = await deps.runEtl('api');
      const body = { run_id: report.runId ?? null, status: report.status, steps: report.steps };
      if (report.status === 'skipped')
        return reply.code(409).send({
          ...body,
          error: 'another ETL run is in progress; try again when it has finished (GET /api/runs)',
          statusCode: 409,
        });
      return reply.send(body);
    });

    admin.post<{ Querystring: { name?: string } }>(
      '/api/admin/cases',
      {
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { name: { type: 'string', maxLength: 1000 } },
          },
        },
      },
      async (req, reply) => {
        if (!deps.inboxDir) throw new HttpError(503, 'this server has no inbox folder configured');
        await mkdir(deps.inboxDir, { recursive: true });
        const up = await receiveUpload(req, {
          dir: deps.inboxDir,
          limit,
          ext: ['.csv'],
          queryName: req.query.name,
          what: 'the case CSV',
        });
        try {
          // What the load would refuse whole, or would lose lines of, is refused now (README, "Case CSV format").
          const refusal = await caseFileRefusal(up.part, up.name);
          if (refusal) throw new HttpError(400, refusal);
          const target = freeInboxName(deps.inboxDir, up.name);
          await rename(up.part, target);
          return reply.code(202).send({
            file: target.slice(deps.inboxDir.length + 1),
            bytes: up.bytes,
            message: 'queued in the inbox: loaded by the next ETL run (or POST /api/admin/etl/run)',
          });
        } finally {
          await rm(up.part, { force: true });
        }
      },
    );

    admin.post<{ Querystring: { name?: string; label?: string; list_date?: string; effective_date?: string } }>(
      '/api/admin/lists',
      {
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              name: { type: 'string', maxLength: 1000 },
              label: { type: 'string', maxLength: 100 },
              list_date: calendarDate,
              effective_date: calendarDate,
            },
          },
        },
      },
      async (req, reply) => {
        if (!deps.loadList) throw new HttpError(503, 'this server was started without the list loader');
        // A private folder: the loader names the file in its messages, so it keeps its own name.
        const dir = await mkdtemp(join(tmpdir(), 'quanze-list-upload-'));
        try {
          const up = await receiveUpload(req, {
            dir,
            limit,
            ext: ['.txt', '.xlsx', '.csv'],
            queryName: req.query.name,
            what: 'the list (.txt export, .xlsx or .csv clean sheet)',
          });
          const path = join(dir, up.name);
          await rename(up.part, path);
          const refusal = await listFileRefusal(path, up.name);
          if (refusal) throw new HttpError(400, refusal);
          const q = req.query;
          let result: ListLoadResult;
          try {
            // ?bureau= (checked by the request-bureau hook: a known bureau) picks whose list it is.
            result = await deps.loadList(path, {
              label: q.label,
              listDate: q.list_date,
              effectiveDate: q.effective_date,
              bureau: { id: req.bureauId },
            });
          } catch (err) {
            // A file the parser or reader refuses is the client's to fix; anything else is ours.
            if (isListFileError(err, up.name))
              throw new HttpError(400, (err as Error).message.replaceAll(`${dir}/`, ''), { cause: err });
            throw err;
          }
          const body =
            result.status === 'loaded'
              ? {
                  status: 'loaded',
                  version_id: result.versionId,
                  items: result.items,
                  issues: result.issues,
                  file: up.name,
                  bytes: up.bytes,
                }
              : { status: 'unchanged', version_id: result.versionId, file: up.name, bytes: up.bytes };
          return reply.code(result.status === 'loaded' ? 201 : 200).send(body);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    );
  });
}

/** Refuses at once what is plainly not a list: another kind of file, or a case export. */
async function listFileRefusal(path: string, name: string): Promise<string | null> {
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(4096), 0, 4096, 0);
    const head = buffer.subarray(0, bytesRead);
    if (bytesRead === 0) return `${name}: the file is empty`;
    if (name.toLowerCase().endsWith('.xlsx'))
      return head[0] === 0x50 && head[1] === 0x4b
        ? null
        : `${name}: not an .xlsx workbook; save the clean sheet as .xlsx or .csv`;
    const not = sniffNotText(head);
    if (not) return `${name}: ${not.reason}`;
    if (isCaseHeader(head))
      return `${name}: this is a case export (its header starts with case_id); send it to POST /api/admin/cases`;
    return null;
  } finally {
    await fh.close();
  }
}

const isListFileError = (err: unknown, name: string) =>
  err instanceof ListParseError || (err instanceof Error && err.message.includes(name));

function freeInboxName(dir: string, name: string): string {
  let candidate = join(dir, name);
  for (let i = 2; existsSync(candidate); i++) candidate = join(dir, name.replace(/(\.csv)?$/i, `-${i}.csv`));
  return candidate;
}
