import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../server/app.ts';
import type { AppDeps } from '../../server/app-deps.ts';
import { profile } from './bundled.ts';
import { createTestDb, type Backend, type TestDb } from './test-db.ts';

export interface SuiteAppSetup {
  /** App dependencies other than the database; default: the bundled bureau, no admin token. */
  deps?: Omit<Partial<AppDeps>, 'db'>;
  /** Runs on the fresh database before the app is built (loads the suite's data). */
  before?: (t: TestDb) => Promise<unknown>;
}

/**
 * A fresh test database and an app on it for the enclosing describe block: made before its tests
 * (then handed to `ready`, which keeps them and may load more), closed and dropped after them.
 */
export function suiteApp(
  backend: Backend,
  setup: SuiteAppSetup,
  ready: (t: TestDb, app: FastifyInstance) => void | Promise<void>,
): void {
  let t: TestDb | undefined;
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    t = await createTestDb(backend);
    await setup.before?.(t);
    app = await buildApp({ db: t.db, bureauId: profile().bureau_id, adminToken: null, ...setup.deps });
    await ready(t, app);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });
}
