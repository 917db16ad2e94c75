import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { formatSchema, sendTable, type Format } from '../table-reply.ts';

const SPEC = { version_id: 'int', label: 'string', source_file: 'string', source_kind: 'string', item_count: 'int', loaded_at: 'string' } as const;

export function versionRoutes(app: FastifyInstance, { db, bureauId }: AppDeps) {
  app.get<{ Querystring: { format?: Format } }>(
    '/api/versions',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...formatSchema } } } },
    async (req, reply) => {
      const rows = await db.kysely
        .selectFrom('list_version')
        .select(['version_id', 'label', 'source_file', 'source_kind', 'item_count', 'loaded_at'])
        .where('bureau_id', '=', bureauId)
        .orderBy('version_id')
        .execute();
      return sendTable(reply, rows.map((r) => ({ ...r, loaded_at: new Date(r.loaded_at).toISOString() })), SPEC, req.query.format);
    },
  );
}
