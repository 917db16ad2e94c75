import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadListFile } from '../../etl/run-etl.ts';
import { BUNDLED_CONFIG, profile } from '../helpers/bundled.ts';
import { OTHER_BUREAU, THIRD_BUREAU, writeOtherBureauSheet } from '../helpers/other-bureau.ts';
import { loadBundledList, openPage, serveDashboard, type ServedDashboard } from '../helpers/served-dashboard.ts';

describe('three bureaus in Chromium: the province view and the bureau picker', () => {
  let s: ServedDashboard;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quanze-province-'));
    s = await serveDashboard(async (db) => {
      await loadBundledList(db);
      await loadListFile({ db, config: BUNDLED_CONFIG }, writeOtherBureauSheet(dir), { bureau: OTHER_BUREAU });
      await loadListFile({ db, config: BUNDLED_CONFIG }, writeOtherBureauSheet(dir, '2018-08-20', THIRD_BUREAU), {
        bureau: THIRD_BUREAU,
      });
    });
  });
  afterAll(() => s?.close());

  it('shows the three bureaus side by side, and the picker switches every page to the chosen bureau', async () => {
    const { page, errors } = await openPage(s, 'province');
    expect(errors).toEqual([]);
    expect(await page.locator('#province-table tbody tr').count()).toBe(3);
    expect(await page.locator('[data-chart="province-types"] svg g[aria-label="bar"] rect').count()).toBeGreaterThan(2);
    expect(await page.locator('nav a[data-path="province"]').textContent()).toBe('省级汇总');
    const options = await page.locator('#bureau-picker option').allTextContents();
    expect(options.sort()).toEqual([OTHER_BUREAU.name, THIRD_BUREAU.name, profile().short_name].sort());

    await page.locator(`#province-table tr[data-bureau="${OTHER_BUREAU.id}"] a`).click();
    await page.waitForSelector('#page[data-page="overview"][data-state="ready"]');
    expect(await page.locator('#items-table tbody tr').count()).toBe(3);
    await page.waitForFunction(
      (name) => document.getElementById('bureau')?.textContent?.includes(name),
      OTHER_BUREAU.name,
    );
    // The navigation keeps the bureau: 工作量 asks about it too.
    expect(await page.locator('nav a[data-path="workload"]').getAttribute('href')).toContain(
      `bureau=${OTHER_BUREAU.id}`,
    );

    await page.selectOption('#bureau-picker', profile().bureau_id);
    await page.waitForFunction(() => document.querySelectorAll('#items-table tbody tr').length === 80);
    expect(page.url()).toContain(`bureau=${profile().bureau_id}`);
    await page.close();
  });
});
