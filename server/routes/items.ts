import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { ITEM_SPEC, itemRows } from '../queries/items.ts';
import { formatSchema, sendTable, type Format } from '../table-reply.ts';
import { resolveVersion, versionSchema } from './version.ts';

export function itemRoutes(app: FastifyInstance, { db }: AppDeps) {
  app.get<{ Querystring: { format?: Format; version?: number } }>(
    '/api/items',
    {
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: { ...formatSchema, ...versionSchema } },
      },
    },
    async (req, reply) => {
      const version = await resolveVersion(db, req.bureauId, req.query.version);
      return sendTable(reply, await itemRows(db, req.bureauId, { version }), ITEM_SPEC, req.query.format);
    },
  );
}
