import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { countSpec, itemCounts, type CountColumn } from '../queries/item-counts.ts';
import { formatSchema, sendTable, type Format } from '../table-reply.ts';
import { resolveVersion, versionSchema } from './version.ts';

/** Item counts grouped by one column of the item table; unreadable values count under 未识别. */
export function summaryRoutes(app: FastifyInstance, { db }: AppDeps) {
  const route = (path: string, column: CountColumn) =>
    app.get<{ Querystring: { format?: Format; version?: number } }>(
      path,
      {
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { ...formatSchema, ...versionSchema },
          },
        },
      },
      async (req, reply) => {
        const version = await resolveVersion(db, req.bureauId, req.query.version);
        return sendTable(
          reply,
          await itemCounts(db, req.bureauId, { version, column }),
          countSpec(column),
          req.query.format,
        );
      },
    );
  route('/api/summary/by-type', 'power_type');
  route('/api/summary/by-section', 'section');
}
