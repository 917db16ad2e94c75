import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { runEtl } from '../../etl/run-etl.ts';
import { buildApp } from '../../server/app.ts';
import type { AppDeps } from '../../server/app-deps.ts';
import type { Db } from '../../db/connect.ts';
import { silentLog } from '../../core/log.ts';
import { launchChromium } from './browser.ts';
import { BUNDLED_CONFIG, profile } from './bundled.ts';
import { ROOT, createTestDb, type TestDb } from './test-db.ts';

export interface ServedDashboard {
  t: TestDb;
  app: FastifyInstance;
  browser: Browser;
  /** http://127.0.0.1:<port> of the listening server. */
  base: string;
  close(): Promise<void>;
}

/** The built web app served on a real port, over a fresh PGlite database that `prepare` fills. */
export async function serveDashboard(
  prepare: (db: Db) => Promise<unknown>,
  deps: Partial<AppDeps> = {},
): Promise<ServedDashboard> {
  const t = await createTestDb('pglite');
  await prepare(t.db);
  const app = await buildApp({
    db: t.db,
    bureauId: profile().bureau_id,
    adminToken: null,
    webDir: join(ROOT, 'dist/web'),
    ...deps,
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchChromium();
  return {
    t,
    app,
    browser,
    base,
    async close() {
      await browser.close();
      await app.close();
      await t.drop();
    },
  };
}

/** Runs the ETL on the bundled list, as `npm start` does first. */
export function loadBundledList(db: Db, now = new Date(0)) {
  return runEtl({ db, config: BUNDLED_CONFIG, log: silentLog, now: () => now });
}

/** Opens a dashboard route and waits until the page has rendered; page errors are collected. */
export async function openPage(s: ServedDashboard, route: string): Promise<{ page: Page; errors: string[] }> {
  const page = await s.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The server's Content-Security-Policy: anything it blocks (an inline script, a style Plot
  // needs) is a console error, and counts as a page error.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  await page.goto(`${s.base}/#/${route}`);
  await page.waitForSelector('#page[data-state="ready"]', { timeout: 30_000 });
  return { page, errors };
}
