import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppDeps } from '../app-deps.ts';
import { formatSchema, sendTable, type Format } from '../table-reply.ts';
import { resolveVersion, versionSchema } from './version.ts';

const UNKNOWN = '(未识别)';

/** Item counts grouped by one column of the item table; unreadable values count under 未识别. */
export function summaryRoutes(app: FastifyInstance, { db, bureauId }: AppDeps) {
  const route = (path: string, column: 'power_type' | 'section') =>
    app.get<{ Querystring: { format?: Format; version?: number } }>(
      path,
      { schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...formatSchema, ...versionSchema } } } },
      async (req, reply) => {
        const version = await resolveVersion(db, bureauId, req.query.version);
        const rows = await db.kysely
          .selectFrom('item')
          .select([sql<string>`coalesce(${sql.ref(column)}, ${UNKNOWN})`.as(column), sql<number>`count(*)::int`.as('items')])
          .where('bureau_id', '=', bureauId)
          .where('version_id', '=', version)
          .groupBy(sql.ref(column))
          .orderBy('items', 'desc')
          .orderBy(column)
          .execute();
        return sendTable(reply, rows, { [column]: 'string', items: 'int' }, req.query.format);
      },
    );
  route('/api/summary/by-type', 'power_type');
  route('/api/summary/by-section', 'section');
}
