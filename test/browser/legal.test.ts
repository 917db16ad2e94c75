import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getArrow } from '../helpers/app.ts';
import { loadBundledList, openPage, serveDashboard, type ServedDashboard } from '../helpers/served-dashboard.ts';

describe('legal pages in Chromium', () => {
  let s: ServedDashboard;

  beforeAll(async () => {
    s = await serveDashboard((db) => loadBundledList(db, new Date('2026-11-29T02:00:00Z')));
  });
  afterAll(() => s?.close());

  it('法律依据 lists every citation the API reports, flagged first, and filters by status', async () => {
    const api = await getArrow(s.app, '/api/citations');
    const statuses = [...api.getChild('status_now')!].map(String);
    const { page, errors } = await openPage(s, 'legal');
    expect(errors).toEqual([]);

    const rows = page.locator('#citations-table tbody tr');
    expect(await rows.count()).toBe(api.numRows);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.status))).toEqual(statuses);
    expect(await rows.first().getAttribute('class')).toBe('flagged');
    expect(await page.locator('[data-chart="citation-status"] svg g[aria-label="bar"] rect').count()).toBeGreaterThan(
      10,
    );

    await page.selectOption('#filter-status', 'outdated');
    expect(await page.locator('#citations-table tbody tr:visible').count()).toBe(
      statuses.filter((s) => s === 'outdated').length,
    );
    const first = page.locator('#citations-table tbody tr:visible').first();
    expect(await first.textContent()).toMatch(/现行版本：\d{4}/);
    expect(await page.locator('#export-xlsx').getAttribute('href')).toBe('/api/citations/export.xlsx?status=outdated');
    await page.close();
  });

  it('罚款幅度 draws one interval per clause of the fixed-amount panel, with the clause on hover', async () => {
    const fines = await getArrow(s.app, '/api/fines');
    const kinds = [...fines.getChild('kind')!].map(String);
    const { page, errors } = await openPage(s, 'fines');
    expect(errors).toEqual([]);

    const intervals = (chart: string) => page.locator(`[data-chart="${chart}"] svg g[aria-label="rule"] line`);
    expect(await intervals('fine-yuan').count()).toBe(
      kinds.filter((k) => k === 'fixed_range' || k === 'cap_only').length,
    );
    expect(await intervals('fine-per-person').count()).toBe(kinds.filter((k) => k === 'per_person_range').length);
    expect(await intervals('fine-multiple').count()).toBe(kinds.filter((k) => k === 'multiple').length);
    expect(await page.locator('#fines-table tbody tr').count()).toBe(fines.numRows);

    const line = intervals('fine-yuan').first();
    const box = (await line.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('[data-chart="fine-yuan"] g[aria-label="tip"] text', { timeout: 5_000 });
    expect(await page.locator('[data-chart="fine-yuan"] g[aria-label="tip"]').textContent()).toMatch(/罚款/);
    await page.close();
  });
});
