import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latinWords, visibleText } from '../helpers/visible-text.ts';
import { loadListFile } from '../../etl/run-etl.ts';
import { BUNDLED_CONFIG } from '../helpers/bundled.ts';
import { openPage, serveDashboard, type ServedDashboard } from '../helpers/served-dashboard.ts';
import { DOCUMENTED, V1, V2 } from '../fixtures/reform/documented.ts';

describe('年度调整 page and printable report in Chromium', () => {
  let s: ServedDashboard;

  beforeAll(async () => {
    s = await serveDashboard(
      async (db) => {
        const config = BUNDLED_CONFIG;
        await loadListFile({ db, config }, V1, { label: '2024年版', effectiveDate: '2024-01-01' });
        await loadListFile({ db, config }, V2, { label: '2025年版', effectiveDate: '2025-01-01' });
      },
      { now: () => new Date('2026-03-01T08:30:00Z') },
    );
  });
  afterAll(() => s?.close());

  it('shows exactly the documented changes, grouped by kind, with both versions side by side', async () => {
    const { page, errors } = await openPage(s, 'reform');
    expect(errors).toEqual([]);

    const rows = await page
      .locator('#change-list tr[data-change]')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-change'), tr.children[0]!.textContent, tr.children[1]!.textContent]),
      );
    expect(rows).toEqual(DOCUMENTED);
    const headings = await page.locator('#change-list section h3').allTextContents();
    expect(headings).toEqual([
      '新增事项（2）',
      '取消事项（2）',
      '合并（1）',
      '拆分（1）',
      '名称变更（1）',
      '权力类型调整（1）',
      '承办机构调整（2）',
      '实施依据变化（2）',
      '子项增加（1）',
      '子项减少（1）',
    ]);

    // Two bars per category (old and new version): 5 power types, 8 sections (with 未注明).
    expect(await page.locator('[data-chart="reform-by-type"] svg g[aria-label="bar"] rect').count()).toBe(10);
    expect(await page.locator('[data-chart="reform-by-section"] svg g[aria-label="bar"] rect').count()).toBe(16);
    const facets = await page
      .locator('[data-chart="reform-by-type"] svg g[aria-label="fy-axis tick label"] text')
      .allTextContents();
    expect(facets.sort()).toEqual(['其他行政权力', '行政处罚', '行政检查', '行政确认', '行政许可'].sort());

    await page.selectOption('#kind-filter', 'moved');
    expect(await page.locator('#change-list tr[data-change]:visible').count()).toBe(2);
    await page.selectOption('#kind-filter', '');
    await page.fill('#change-list input[type="search"]', '仲裁');
    expect(await page.locator('#change-list tr[data-change]:visible').count()).toBe(1);
    await page.fill('#change-list input[type="search"]', '');

    await page.locator('tr[data-change="merged"] a.item-link').nth(1).click();
    await page.waitForSelector('#page[data-state="ready"] [data-detail="2:61"], #page[data-state="error"]', {
      timeout: 30_000,
    });
    expect(await page.locator('#page').getAttribute('data-state'), await page.locator('#page').innerText()).toBe(
      'ready',
    );
    expect(await page.locator('[data-detail="2:61"] dl').textContent()).toContain(
      '创业补贴发放及创业担保贷款贴息对象资格审核',
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows changed items under their labels, in Chinese, and fits a 390 px screen', async () => {
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const page = await s.browser.newPage({ viewport });
      await page.goto(`${s.base}/#/reform`);
      await page.waitForSelector('#page[data-state="ready"]');
      expect(latinWords(await visibleText(page))).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        1,
      );
      // An item named in a change links to its own page.
      const link = page.locator('#change-list a[data-item-label]').first();
      expect(await link.getAttribute('href')).toMatch(/^#\/items\/\d+\?version=\d+$/);
      await page.close();
    }
  });

  it('prints the report to an A4 PDF holding the title, bureau, versions and date', async () => {
    const page = await s.browser.newPage();
    await page.goto(`${s.base}/api/reform/report.html?from=1&to=2`);
    const text = await page.locator('body').innerText();
    for (const s of [
      '权责清单动态调整报告',
      '单位：凉州区人力资源和社会保障局',
      '2024年版（第 1 版，2024-01-01 起施行） → 2025年版（第 2 版，2025-01-01 起施行）',
      '生成时间：2026年03月01日 16:30（北京时间）',
      '承办机构调整（2 条）',
      '劳动用工备案',
    ]) {
      expect(text).toContain(s);
    }
    // pdftotext is not installed here, so the text is checked in the DOM before printing.
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(1);
    await page.close();
  });
});
