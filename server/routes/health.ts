import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { latestLoad } from '../queries/versions.ts';

export function healthRoutes(app: FastifyInstance, { db }: AppDeps) {
  app.get('/api/health', async (req, reply) => {
    const latest = await latestLoad(db, req.bureauId);
    if (!latest) return reply.code(503).send({ status: 'empty', backend: db.backend, message: 'no list loaded yet' });
    return {
      status: 'ok',
      backend: db.backend,
      bureau: req.bureauId,
      bureau_name: latest.bureau_name,
      version: latest.version_id,
      label: latest.label,
      items: latest.item_count,
    };
  });
}
