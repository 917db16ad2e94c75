import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import helmet from 'helmet';
import { HttpError } from './http-error.ts';
import { unreachableShard } from '../db/cluster.ts';
import { caseRoutes } from './routes/cases.ts';
import { healthRoutes } from './routes/health.ts';
import { itemRoutes } from './routes/items.ts';
import { itemDetailRoutes } from './routes/item-detail.ts';
import { qualityRoutes } from './routes/quality.ts';
import { legalRoutes } from './routes/legal.ts';
import { summaryRoutes } from './routes/summary.ts';
import { exportRoutes } from './routes/export.ts';
import { reformRoutes } from './routes/reform.ts';
import { versionRoutes } from './routes/versions.ts';
import { etlAdminRoutes } from './routes/etl-admin.ts';
import { provinceRoutes } from './routes/province.ts';
import type { AppDeps } from './app-deps.ts';
import { requestBureau } from './request-bureau.ts';
import { integerParamGuard } from './routes/params.ts';

/** A registered route and its declared inputs: the route-walk test sends hostile values to each. */
export interface RegisteredRoute {
  method: string;
  url: string;
  querystring: { properties?: Record<string, unknown> } | undefined;
  params: { properties?: Record<string, unknown> } | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: RegisteredRoute[];
  }
}

/** Route groups, registered in order. Each is a function of the app and its dependencies. */
const ROUTES = [
  healthRoutes,
  versionRoutes,
  itemRoutes,
  itemDetailRoutes,
  summaryRoutes,
  caseRoutes,
  legalRoutes,
  exportRoutes,
  reformRoutes,
  qualityRoutes,
  etlAdminRoutes,
  provinceRoutes,
];

export async function buildApp(deps: AppDeps, options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // Unknown query parameters are refused, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
    bodyLimit: 1024 * 1024,
    ...options,
  });

  // Security headers on every answer. The dashboard loads only its own scripts; Observable Plot
  // writes inline styles into its SVG, so styles allow 'unsafe-inline' (scripts never do). Served
  // over plain HTTP on the bureau's network: no upgrade-insecure-requests, no HSTS. Helmet is built
  // once here: @fastify/helmet built it again for every request (parsing the policy each time),
  // which cost the cached endpoints a fifth of their throughput under 50 clients.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onRequest', (req, reply, done) =>
    securityHeaders(req.raw, reply.raw, (err) => done(err as Error | undefined)),
  );

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    if (err instanceof HttpError)
      return reply.code(err.statusCode).send({ error: err.message, statusCode: err.statusCode });
    if (err.validation) return reply.code(400).send({ error: `invalid request: ${err.message}`, statusCode: 400 });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: err.message, statusCode: err.statusCode });
    }
    // A sharded coordinator whose shard is down (db/cluster.ts): what needs that shard is unavailable.
    const shard = unreachableShard(err);
    if (shard) {
      const error = `shard ${shard} is unreachable: answers that need the bureaus on it are unavailable until it is back; bureaus on other shards still answer`;
      return reply.code(503).send({ error, statusCode: 503, shard });
    }
    req.log.error(err);
    return reply.code(500).send({ error: 'internal error; see the server log', statusCode: 500 });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: `no such endpoint: ${req.method} ${req.url}`, statusCode: 404 }),
  );

  requestBureau(app, deps);
  // Integer parameters are written as plain whole numbers (no 1e309, no 100 digits) on every route.
  app.addHook('preValidation', integerParamGuard);
  const registered: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', registered);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method !== 'HEAD')
        registered.push({
          method,
          url: r.url,
          querystring: r.schema?.querystring as RegisteredRoute['querystring'],
          params: r.schema?.params as RegisteredRoute['params'],
        });
    }
  });
  for (const routes of ROUTES) routes(app, deps);

  if (deps.webDir && existsSync(deps.webDir)) {
    await app.register(fastifyStatic, { root: deps.webDir, prefix: '/' });
  }
  return app;
}
