import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEtl } from '../../etl/run-etl.ts';
import { buildApp } from '../../server/app.ts';
import { silentLog } from '../../server/log.ts';
import { getArrow } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { BUNDLED_LIST, BUREAU_FILE, profile } from '../helpers/bundled.ts';
import { ROOT, createTestDb, type TestDb } from '../helpers/test-db.ts';

describe('dashboard in Chromium', () => {
  let t: TestDb;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestDb('pglite');
    await runEtl({ db: t.db, config: { listFile: BUNDLED_LIST, bureauFile: BUREAU_FILE }, log: silentLog, now: () => new Date(0) });
    app = await buildApp({ db: t.db, bureauId: profile().bureau_id, adminToken: null, webDir: join(ROOT, 'dist/web') });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await t?.drop();
  });

  it('draws one bar per power type and per section, as the API reports them, and lists the 80 items', async () => {
    const byType = await getArrow(app, '/api/summary/by-type');
    const bySection = await getArrow(app, '/api/summary/by-section');
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/#/overview`);
    await page.waitForSelector('#page[data-state="ready"]', { timeout: 30_000 });
    expect(errors).toEqual([]);

    const bars = (chart: string) => page.locator(`[data-chart="${chart}"] svg g[aria-label="bar"] rect`);
    expect(await bars('by-type').count()).toBe(byType.numRows);
    expect(await bars('by-section').count()).toBe(bySection.numRows);
    const typeLabels = await page.locator('[data-chart="by-type"] svg g[aria-label="y-axis tick label"] text').allTextContents();
    expect(typeLabels.sort()).toEqual([...byType.getChild('power_type')!].map(String).sort());

    expect(await page.locator('#items-table tbody tr').count()).toBe(80);
    await page.fill('input[type="search"]', '工伤');
    const visible = await page.locator('#items-table tbody tr:visible').count();
    expect(visible).toBeGreaterThan(0);
    expect(visible).toBeLessThan(80);
    await page.close();
  });
});
