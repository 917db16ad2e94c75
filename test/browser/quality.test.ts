import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getArrow } from '../helpers/app.ts';
import { loadBundledList, openPage, serveDashboard, type ServedDashboard } from '../helpers/served-dashboard.ts';
import { bundledText } from '../helpers/bundled.ts';

describe('数据质量 page in Chromium', () => {
  let s: ServedDashboard;

  beforeAll(async () => {
    s = await serveDashboard((db) => loadBundledList(db));
  });
  afterAll(() => s?.close());

  it('shows the per-field counts and bars the API reports, the flagged list, and an item source beside its fields', async () => {
    const quality = await getArrow(s.app, '/api/quality');
    const flagged = await getArrow(s.app, '/api/quality/flagged');
    const { page, errors } = await openPage(s, 'quality');
    expect(errors).toEqual([]);

    // Every count in the table is the API's, and the chart has one bar segment per non-zero count.
    let nonZero = 0;
    for (const r of quality) {
      const cell = page.locator(`#quality-table tr[data-field="${r.field}"] td[data-status="${r.status}"]`);
      expect(await cell.textContent(), `${r.field} ${r.status}`).toBe(String(r.items));
      if (Number(r.items) > 0) nonZero++;
    }
    expect(await page.locator('[data-chart="quality"] svg g[aria-label="bar"] rect').count()).toBe(nonZero);
    expect(await page.locator('#flagged-table tbody tr').count()).toBe(flagged.numRows);

    // A flagged item: its source line beside the parsed fields, the flagged name marked.
    await page.locator('#flagged-table tr[data-seq="15"][data-field="name"] button').click();
    await page.waitForSelector('#source-view [data-seq="15"]');
    const line40 = bundledText().split('\n')[39]!;
    expect(await page.locator('#source-view pre [data-line="40"]').textContent()).toContain(
      line40.split('\t')[1]!.slice(0, 12),
    );
    expect(await page.locator('#parsed-fields tr[data-field="name"]').getAttribute('data-status')).toBe('flagged');

    // A corrected item: the corrected value marked, with the reason and what was read.
    await page.locator('#corrected-table tr[data-seq="21"] button').click();
    await page.waitForSelector('#source-view [data-seq="21"]');
    const name = page.locator('#parsed-fields tr[data-field="name"]');
    expect(await name.getAttribute('data-status')).toBe('corrected');
    expect(await name.locator('.flag.corrected').count()).toBe(1);
    expect(await name.textContent()).toContain('对用人单位招用人单位招用人的');
    await page.close();
  });
});
