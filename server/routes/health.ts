import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';

export function healthRoutes(app: FastifyInstance, { db, bureauId }: AppDeps) {
  app.get('/api/health', async (_req, reply) => {
    const latest = await db.kysely
      .selectFrom('list_version')
      .select(['version_id', 'label', 'item_count', 'loaded_at'])
      .where('bureau_id', '=', bureauId)
      .orderBy('version_id', 'desc')
      .executeTakeFirst();
    if (!latest) return reply.code(503).send({ status: 'empty', backend: db.backend, message: 'no list loaded yet' });
    return { status: 'ok', backend: db.backend, bureau: bureauId, version: latest.version_id, label: latest.label, items: latest.item_count };
  });
}
