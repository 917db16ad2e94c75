/**
 * Which bureau a request asks about: `?bureau=ID` on every endpoint, else the configured bureau.
 * Every route's query-string schema gains the parameter; the bureau is resolved once, before the
 * handler, and an unknown one is a 404 that says where the known ones are listed.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Db } from '../db/connect.ts';
import { HttpError } from './http-error.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The bureau this request reads (?bureau=, default the configured one). */
    bureauId: string;
  }
}

const BUREAU_PARAM = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_.-]+$' } as const;

export function requestBureau(app: FastifyInstance, { db, bureauId }: { db: Db; bureauId: string }): void {
  app.decorateRequest('bureauId', '');
  app.addHook('onRoute', (route: RouteOptions) => {
    const qs = route.schema?.querystring as { properties?: Record<string, unknown> } | undefined;
    if (qs?.properties && !('bureau' in qs.properties)) qs.properties = { ...qs.properties, bureau: BUREAU_PARAM };
  });
  app.addHook('preHandler', async (req) => {
    const asked = (req.query as { bureau?: unknown } | undefined)?.bureau;
    if (typeof asked !== 'string' || asked === bureauId) {
      req.bureauId = bureauId;
      return;
    }
    const known = await db.kysely
      .selectFrom('bureau')
      .select('bureau_id')
      .where('bureau_id', '=', asked)
      .executeTakeFirst();
    if (!known) throw new HttpError(404, `no bureau "${asked}" is loaded; GET /api/bureaus lists the bureaus`);
    req.bureauId = asked;
  });
}
