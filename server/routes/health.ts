import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';

export function healthRoutes(app: FastifyInstance, { db, bureauId }: AppDeps) {
  app.get('/api/health', async (_req, reply) => {
    const latest = await db.kysely
      .selectFrom('list_version as v')
      .innerJoin('bureau as b', 'b.bureau_id', 'v.bureau_id')
      .select(['v.version_id', 'v.label', 'v.item_count', 'b.name as bureau_name'])
      .where('v.bureau_id', '=', bureauId)
      .orderBy('v.version_id', 'desc')
      .executeTakeFirst();
    if (!latest) return reply.code(503).send({ status: 'empty', backend: db.backend, message: 'no list loaded yet' });
    return {
      status: 'ok',
      backend: db.backend,
      bureau: bureauId,
      bureau_name: latest.bureau_name,
      version: latest.version_id,
      label: latest.label,
      items: latest.item_count,
    };
  });
}
