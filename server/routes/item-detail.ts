import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { HISTORY_SPEC, LABEL_SPEC, SPAN_SPEC, itemHistory, itemLabelRows, stageSpans } from '../queries/item-detail.ts';
import { formatSchema, sendTable, type Format } from '../table-reply.ts';
import { resolveVersion, versionSchema } from './version.ts';

/**
 * What the item page and every item label need, beyond the existing endpoints:
 *   GET /api/items/labels          one label per item (a substitute for a flagged name), the one
 *                                  source every page labels items from
 *   GET /api/items/:seq/history    the item in every loaded version (matched by code, else name)
 *   GET /api/timeliness/spans      stage spans in the order a case passes through them
 */
export function itemDetailRoutes(app: FastifyInstance, { db }: AppDeps) {
  const versionQuery = {
    type: 'object',
    additionalProperties: false,
    properties: { ...formatSchema, ...versionSchema },
  } as const;

  app.get<{ Querystring: { format?: Format; version?: number } }>(
    '/api/items/labels',
    { schema: { querystring: versionQuery } },
    async (req, reply) => {
      const version = await resolveVersion(db, req.bureauId, req.query.version);
      return sendTable(reply, await itemLabelRows(db, req.bureauId, version), LABEL_SPEC, req.query.format);
    },
  );

  app.get<{ Params: { seq: number }; Querystring: { format?: Format; version?: number } }>(
    '/api/items/:seq/history',
    {
      schema: {
        params: { type: 'object', properties: { seq: { type: 'integer', minimum: 1 } }, required: ['seq'] },
        querystring: versionQuery,
      },
    },
    async (req, reply) => {
      const version = await resolveVersion(db, req.bureauId, req.query.version);
      return sendTable(
        reply,
        await itemHistory(db, req.bureauId, { version, seq: req.params.seq }),
        HISTORY_SPEC,
        req.query.format,
      );
    },
  );

  app.get<{ Querystring: { format?: Format } }>(
    '/api/timeliness/spans',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...formatSchema } } } },
    async (req, reply) => sendTable(reply, stageSpans(), SPAN_SPEC, req.query.format),
  );
}
