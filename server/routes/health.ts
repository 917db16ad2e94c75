import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { latestLoad } from '../queries/versions.ts';

export function healthRoutes(app: FastifyInstance, { db, bureauId }: AppDeps) {
  app.get('/api/health', async (_req, reply) => {
    const latest = await latestLoad(db, bureauId);
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
