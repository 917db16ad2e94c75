import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Db } from './db/connect.ts';
import { HttpError } from './http-error.ts';
import { caseRoutes } from './routes/cases.ts';
import { healthRoutes } from './routes/health.ts';
import { itemRoutes } from './routes/items.ts';
import { qualityRoutes } from './routes/quality.ts';
import { legalRoutes } from './routes/legal.ts';
import { summaryRoutes } from './routes/summary.ts';
import { exportRoutes } from './routes/export.ts';
import { reformRoutes } from './routes/reform.ts';
import { versionRoutes } from './routes/versions.ts';
import { etlAdminRoutes } from './routes/etl-admin.ts';
import type { RunReport } from '../etl/run-etl.ts';

export interface AppDeps {
  db: Db;
  bureauId: string;
  /** Bearer token required by every endpoint that changes data; null refuses them all. */
  adminToken: string | null;
  /** The built web app to serve at /, when present. */
  webDir?: string | null;
  /** The clock for generated documents (report dates); tests pass a fixed one. Default: the system clock. */
  now?: () => Date;
  /** Runs the ETL once (POST /api/admin/etl/run); absent: the endpoint answers 503. */
  runEtl?: (trigger: string) => Promise<RunReport>;
  /** Where POST /api/admin/cases puts uploads for the next run. */
  inboxDir?: string | null;
  /** Largest accepted upload, bytes (default 200 MB). */
  uploadLimitBytes?: number;
}

/** Route groups, registered in order. Each is a function of the app and its dependencies. */
const ROUTES = [healthRoutes, versionRoutes, itemRoutes, summaryRoutes, caseRoutes, legalRoutes, exportRoutes, reformRoutes, qualityRoutes, etlAdminRoutes];

export async function buildApp(deps: AppDeps, options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // Unknown query parameters are refused, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
    bodyLimit: 1024 * 1024,
    ...options,
  });

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).send({ error: err.message, statusCode: err.statusCode });
    if (err.validation) return reply.code(400).send({ error: `invalid request: ${err.message}`, statusCode: 400 });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: err.message, statusCode: err.statusCode });
    }
    req.log.error(err);
    return reply.code(500).send({ error: 'internal error; see the server log', statusCode: 500 });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `no such endpoint: ${req.method} ${req.url}`, statusCode: 404 }));

  for (const routes of ROUTES) routes(app, deps);

  if (deps.webDir && existsSync(deps.webDir)) {
    await app.register(fastifyStatic, { root: deps.webDir, prefix: '/' });
  }
  return app;
}
