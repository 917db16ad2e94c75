import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { latestLoad } from '../queries/versions.ts';

/**
 * How long /api/health waits for the embedded database before answering from its last reading.
 * A load holds PGlite (one connection) for its whole transaction; the server is still up, and
 * says so at once, marked `database: 'busy'`: while an earlier reading is still waiting, or when
 * this one has not come back within HEALTH_WAIT_MS (an idle PGlite answers in milliseconds). On
 * PostgreSQL a load holds one connection of the pool and the reading is always waited for.
 */
const HEALTH_WAIT_MS = 100;

type Health = {
  status: 'ok';
  backend: string;
  bureau: string;
  bureau_name: string;
  version: number;
  label: string | null;
  items: number;
} | null;

export function healthRoutes(app: FastifyInstance, { db }: AppDeps) {
  // Per bureau: the last reading, and the one under way (requests arriving meanwhile share it).
  const last = new Map<string, Health>();
  const reading = new Map<string, Promise<Health>>();
  const read = async (bureauId: string): Promise<Health> => {
    const latest = await latestLoad(db, bureauId);
    const health: Health = latest
      ? {
          status: 'ok',
          backend: db.backend,
          bureau: bureauId,
          bureau_name: latest.bureau_name,
          version: latest.version_id,
          label: latest.label,
          items: latest.item_count,
        }
      : null;
    last.set(bureauId, health);
    return health;
  };
  /** The reading, or 'busy' when PGlite has not answered within HEALTH_WAIT_MS. */
  const waitFor = async (r: Promise<Health>): Promise<Health | 'busy'> => {
    if (db.backend !== 'pglite') return r;
    let timer: NodeJS.Timeout | undefined;
    const busy = new Promise<'busy'>((resolve) => (timer = setTimeout(() => resolve('busy'), HEALTH_WAIT_MS)));
    return Promise.race([r, busy]).finally(() => clearTimeout(timer));
  };
  app.get('/api/health', async (req, reply) => {
    const bureauId = req.bureauId;
    let pending = reading.get(bureauId);
    const waiting = pending !== undefined && db.backend === 'pglite';
    if (!pending) {
      pending = read(bureauId).finally(() => reading.delete(bureauId));
      reading.set(bureauId, pending);
    }
    const health = waiting ? 'busy' : await waitFor(pending);
    if (health === 'busy') {
      pending.catch(() => undefined);
      const before = last.get(bureauId);
      if (before) return { ...before, database: 'busy' };
      return reply.code(503).send({
        status: 'busy',
        backend: db.backend,
        message: 'the database is busy (a load is running); ask again shortly',
      });
    }
    if (!health) return reply.code(503).send({ status: 'empty', backend: db.backend, message: 'no list loaded yet' });
    return { ...health, database: 'ok' };
  });
}
