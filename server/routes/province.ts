import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import {
  BUREAU_SPEC,
  CITATIONS_BY_BUREAU_SPEC,
  ITEMS_BY_TYPE_SPEC,
  WORKLOAD_SPEC,
  bureauRows,
  citationsByBureau,
  itemsByType,
  workloadByBureau,
} from '../queries/province.ts';
import { chinaDate } from '../../etl/calendar/civil-date.ts';
import { formatSchema, sendTable, type Format } from '../table-reply.ts';
import { checkMonths } from './case-filters.ts';

const month = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' } as const;

/** The province view: every bureau loaded, side by side (on a sharded coordinator, one query over all shards). */
export function provinceRoutes(app: FastifyInstance, { db, now = () => new Date() }: AppDeps) {
  const plain = {
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...formatSchema } } },
  };
  app.get<{ Querystring: { format?: Format } }>('/api/bureaus', plain, async (req, reply) =>
    sendTable(reply, await bureauRows(db), BUREAU_SPEC, req.query.format),
  );
  app.get<{ Querystring: { format?: Format } }>('/api/province/items-by-type', plain, async (req, reply) =>
    sendTable(reply, await itemsByType(db), ITEMS_BY_TYPE_SPEC, req.query.format),
  );
  app.get<{ Querystring: { format?: Format; from?: string; to?: string } }>(
    '/api/province/workload',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...formatSchema, from: month, to: month },
        },
      },
    },
    async (req, reply) => {
      checkMonths(req.query);
      return sendTable(reply, await workloadByBureau(db, req.query), WORKLOAD_SPEC, req.query.format);
    },
  );
  app.get<{ Querystring: { format?: Format } }>('/api/province/citations', plain, async (req, reply) =>
    sendTable(reply, await citationsByBureau(db, chinaDate(now())), CITATIONS_BY_BUREAU_SPEC, req.query.format),
  );
}
