import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCaseAggregates } from '../../etl/load/case-aggregates.ts';
import { getArrow } from '../helpers/app.ts';
import { profile } from '../helpers/bundled.ts';
import { insertSyntheticCases, loadReferenceData } from '../helpers/cases.ts';
import { loadBundledList, openPage, serveDashboard, type ServedDashboard } from '../helpers/served-dashboard.ts';

describe('工作量 and 办理时效 pages in Chromium', () => {
  let s: ServedDashboard;

  beforeAll(async () => {
    s = await serveDashboard(async (db) => {
      await loadBundledList(db);
      await loadReferenceData(db);
      await insertSyntheticCases(db, profile().bureau_id, { rows: 3000, seed: 'browser', year: 2024 });
      await refreshCaseAggregates(db);
    });
  });
  afterAll(() => s?.close());

  it('工作量 shows the window, the synthetic label and the volumes the API reports', async () => {
    const meta = (await getArrow(s.app, '/api/cases/meta')).get(0)!.toJSON();
    const totals = await getArrow(s.app, '/api/volumes?by=section&per=window');
    const monthly = await getArrow(s.app, '/api/volumes?by=section');
    const { page, errors } = await openPage(s, 'workload');
    expect(errors).toEqual([]);
    expect(await page.locator('[data-synthetic]').textContent()).toBe('合成数据');
    expect(await page.locator('[data-window]').textContent()).toBe(`数据期间：${meta.min_month} 至 ${meta.max_month}`);
    expect(await page.locator('[data-total]').textContent()).toBe(String(meta.cases));
    expect(meta.cases).toBe(3000);

    const rows = await page
      .locator('#section-totals tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual([...totals].map((r) => [String(r.section), String(r.cases)]));
    expect(await page.locator('[data-chart="monthly-volume"] svg g[aria-label="bar"] rect').count()).toBe(
      monthly.numRows,
    );
    expect(await page.locator('[data-chart="top-items"] svg g[aria-label="bar"] rect').count()).toBe(15);
    await page.close();
  });

  it('办理时效 draws one heatmap cell per section × span and drills down to the late items of a clicked cell', async () => {
    const window = await getArrow(s.app, '/api/timeliness?per=window');
    const { page, errors } = await openPage(s, 'timeliness');
    expect(errors).toEqual([]);
    expect(await page.locator('[data-synthetic]').textContent()).toBe('合成数据');
    const cells = page.locator('[data-chart="on-time-heatmap"] svg g[aria-label="cell"] rect');
    expect(await cells.count()).toBe(window.numRows);
    const labels = await page.locator('[data-chart="on-time-heatmap"] svg g[aria-label="text"] text').allTextContents();
    const expected = [...window].map((r) =>
      r.on_time_rate === null ? '—' : `${(Number(r.on_time_rate) * 100).toFixed(1)}%`,
    );
    expect(labels.sort()).toEqual(expected.sort());

    // The cell with the most late spans, clicked, lists exactly the late items the API gives for it.
    const worst = [...window].sort((a, b) => Number(b.late) - Number(a.late))[0]!;
    expect(Number(worst.late)).toBeGreaterThan(0);
    const late = await getArrow(
      s.app,
      `/api/timeliness/late?section=${encodeURIComponent(String(worst.section))}&span=${worst.span}`,
    );
    await page
      .locator(`[data-chart="on-time-heatmap"] rect[data-section="${worst.section}"][data-span="${worst.span}"]`)
      .click();
    await page.waitForSelector(`#late-items[data-selected="${worst.section}|${worst.span}"][data-state="ready"]`);
    const shown = await page
      .locator('#late-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-item'), tr.querySelector('td.late')!.textContent]));
    expect(shown).toEqual([...late].map((r) => [String(r.item_code), String(r.late)]));
    let lateSum = 0;
    for (const r of late) lateSum += Number(r.late);
    expect(lateSum).toBe(Number(worst.late));
    expect(await page.locator('[data-chart="late-trend"] svg g[aria-label="bar"] rect').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('办理时效 counts on time, on time within an approved extension and late apart, as the API does', async () => {
    const window = await getArrow(s.app, '/api/timeliness?per=window');
    const sum = (k: string) => [...window].reduce((n, r) => n + Number(r[k]), 0);
    // The generator approves extensions for the cases it ends inside one.
    expect(sum('on_time_extended')).toBeGreaterThan(0);
    const { page, errors } = await openPage(s, 'timeliness');
    expect(errors).toEqual([]);
    const shown = await page
      .locator('#timeliness-totals [data-count]')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-count'), e.querySelector('strong')!.textContent]));
    expect(shown).toEqual(
      ['on_time', 'on_time_extended', 'late', 'extension_unapplied'].map((k) => [k, String(sum(k))]),
    );
    const rows = await page
      .locator('#extension-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-section'),
          tr.getAttribute('data-span'),
          tr.querySelector('td.extended')!.textContent,
        ]),
      );
    expect(rows).toEqual([...window].map((r) => [String(r.section), String(r.span), String(r.on_time_extended)]));
    await page.close();
  });
});
