import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getArrow } from '../helpers/app.ts';
import { loadBundledList, openPage, serveDashboard, type ServedDashboard } from '../helpers/served-dashboard.ts';

describe('dashboard in Chromium', () => {
  let s: ServedDashboard;

  beforeAll(async () => {
    s = await serveDashboard((db) => loadBundledList(db));
  });
  afterAll(() => s?.close());

  it('draws one bar per power type and per section, as the API reports them, and lists the 80 items', async () => {
    const byType = await getArrow(s.app, '/api/summary/by-type');
    const bySection = await getArrow(s.app, '/api/summary/by-section');
    const { page, errors } = await openPage(s, 'overview');
    expect(errors).toEqual([]);

    const bars = (chart: string) => page.locator(`[data-chart="${chart}"] svg g[aria-label="bar"] rect`);
    expect(await bars('by-type').count()).toBe(byType.numRows);
    expect(await bars('by-section').count()).toBe(bySection.numRows);
    const typeLabels = await page
      .locator('[data-chart="by-type"] svg g[aria-label="y-axis tick label"] text')
      .allTextContents();
    expect(typeLabels.sort()).toEqual([...byType.getChild('power_type')!].map(String).sort());

    expect(await page.locator('#items-table tbody tr').count()).toBe(80);
    await page.fill('input[type="search"]', '工伤');
    const visible = await page.locator('#items-table tbody tr:visible').count();
    expect(visible).toBeGreaterThan(0);
    expect(visible).toBeLessThan(80);
    await page.close();
  });

  it('is served with security headers, and the page renders under its Content-Security-Policy', async () => {
    const res = await fetch(`${s.base}/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const { page, errors } = await openPage(s, 'overview');
    expect(await page.locator('[data-chart="by-type"] svg g[aria-label="bar"] rect').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
