import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCaseAggregates } from '../../etl/load/case-aggregates.ts';
import { getArrow } from '../helpers/app.ts';
import { profile } from '../helpers/bundled.ts';
import { insertSyntheticCases, loadReferenceData } from '../helpers/cases.ts';
import { loadBundledList, serveDashboard, type ServedDashboard } from '../helpers/served-dashboard.ts';
import { latinWords, visibleText } from '../helpers/visible-text.ts';

const PAGES = [
  'overview',
  'workload',
  'timeliness',
  'legal',
  'fines',
  'reform',
  'quality',
  'runs',
  'items/4',
  'items/44',
];
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

async function open(s: ServedDashboard, route: string, viewport: { width: number; height: number }) {
  const page = await s.browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${s.base}/#/${route}`);
  await page.waitForSelector('#page[data-state="ready"]', { timeout: 30_000 });
  return { page, errors };
}

const ready = (page: Page) => page.waitForSelector('#page[data-state="ready"]:not(.busy)', { timeout: 30_000 });

describe('every page at desktop and phone width', () => {
  let s: ServedDashboard;
  let flaggedNames: string[];

  beforeAll(async () => {
    s = await serveDashboard(async (db) => {
      await loadBundledList(db);
      await loadReferenceData(db);
      await insertSyntheticCases(db, profile().bureau_id, { rows: 3000, seed: 'pages', year: 2024 });
      await refreshCaseAggregates(db);
    });
    const labels = await getArrow(s.app, '/api/items/labels');
    flaggedNames = [...labels].filter((r) => r.label_is_substitute).map((r) => String(r.name));
  });
  afterAll(() => s?.close());

  it('labels every flagged item by number, type and main basis, computed once by the server', async () => {
    const labels = await getArrow(s.app, '/api/items/labels');
    const rows = [...labels].map((r) => r.toJSON());
    // Exactly the names the parser flagged get a substitute (26 of 80 in the bundled list).
    const items = [...(await getArrow(s.app, '/api/items'))].map((r) => r.toJSON());
    const flagged = items.filter((i) => i.name_quality !== 'ok').map((i) => i.seq);
    expect(flagged.length).toBeGreaterThan(20);
    expect(rows.filter((r) => r.label_is_substitute).map((r) => r.seq)).toEqual(flagged);
    expect(rows.find((r) => r.seq === 4)).toMatchObject({
      label: '第4项 · 行政处罚 · 劳动合同法第八十四条',
      label_is_substitute: true,
    });
    expect(rows.find((r) => r.seq === 21)).toMatchObject({ label_is_substitute: false, name_origin: 'corrected' });
    for (const r of rows) if (r.name_quality === 'ok') expect(r.label).toBe(r.name);
    const spans = [...(await getArrow(s.app, '/api/timeliness/spans'))].map((r) => String(r.span));
    expect(spans.indexOf('accepted-decided')).toBeLessThan(spans.indexOf('decided-served'));
    expect(spans[0]).toBe('received-accepted');
  });

  for (const vp of VIEWPORTS) {
    it(`${vp.name}: opens every page and #/items/N in Chinese, without raw unreadable names or sideways overflow`, async () => {
      for (const route of PAGES) {
        const { page, errors } = await open(s, route, vp);
        expect(errors, route).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${route} is wider than the ${vp.width} px viewport`).toBeLessThanOrEqual(1);
        const text = await visibleText(page);
        for (const name of flaggedNames) expect(text.includes(name), `${route} shows the raw name ${name}`).toBe(false);
        // Chart tick labels are cut to fit their margin: a flagged name must not start one either.
        const ticks = await page.locator('#page svg text').allTextContents();
        for (const name of flaggedNames)
          expect(
            ticks.some((t) => t.length > 6 && name.startsWith(t.replace(/…$/, ''))),
            `${route}: tick label from ${name}`,
          ).toBe(false);
        expect(latinWords(text), `${route}: English in the visible text`).toEqual([]);
        // Charts fit their card: no chart wider than the viewport.
        const widest = await page.evaluate(() =>
          Math.max(
            0,
            ...[...document.querySelectorAll('#page svg[viewBox]')].map((svg) => svg.getBoundingClientRect().width),
          ),
        );
        expect(widest, route).toBeLessThanOrEqual(vp.width);
        await page.close();
      }
    });
  }

  it('an unknown route shows a 404 page, not 总览; the favicon is served', async () => {
    const { page } = await open(s, 'no-such-page', VIEWPORTS[0]!);
    expect(await page.locator('[data-not-found]').count()).toBe(1);
    expect(await page.locator('#items-table').count()).toBe(0);
    expect(await page.locator('nav a.active').count()).toBe(0);
    const favicon = await page.evaluate(
      async () => (await fetch(document.querySelector<HTMLLinkElement>('link[rel="icon"]')!.href)).status,
    );
    expect(favicon).toBe(200);
    await page.close();
  });

  it('#/items/N gathers the item: fields with source lines, citations, fines, cases, timeliness per stage, history', async () => {
    const labels = [...(await getArrow(s.app, '/api/items/labels'))].map((r) => r.toJSON());
    const volumes = await getArrow(s.app, '/api/volumes?by=item&per=window');
    const busiest = labels.find((l) => l.code === volumes.get(0)!.item_code)!;
    const { page, errors } = await open(s, `items/${busiest.seq}`, VIEWPORTS[0]!);
    expect(errors).toEqual([]);
    expect(await page.locator('[data-item-title]').textContent()).toBe(busiest.label);
    expect(await page.locator('#item-fields tr[data-field="name"] td').nth(4).textContent()).toMatch(/^\d+/);
    const monthly = await getArrow(s.app, `/api/volumes?by=section&item=${busiest.code}`);
    expect(await page.locator('[data-chart="item-volume"] svg g[aria-label="bar"] rect').count()).toBe(monthly.numRows);
    const spans = await getArrow(s.app, `/api/timeliness?per=window&item=${busiest.code}`);
    expect(await page.locator('#item-timeliness tbody tr').count()).toBe(spans.numRows);
    expect(await page.locator('#item-history tbody tr').count()).toBe(1);
    expect(await page.locator('#item-source [data-line]').count()).toBeGreaterThan(0);
    // A source line number scrolls the source text to that line and marks it.
    await page.locator('#item-fields [data-line-link]').first().click();
    expect(await page.locator('#item-source .hit').count()).toBe(1);

    // A flagged item: the substitute label, marked, and the raw reading one click away.
    await page.goto(`${s.base}/#/items/4`);
    await ready(page);
    expect(await page.locator('[data-item-title]').textContent()).toBe('第4项 · 行政处罚 · 劳动合同法第八十四条');
    expect(await page.locator('.item-head .flag.substitute').textContent()).toBe('代称');
    const raw = page.locator('.item-head details.raw-name');
    expect(await raw.locator('.raw').isVisible()).toBe(false);
    await raw.locator('summary').click();
    expect(await raw.locator('.raw').textContent()).toBe(flaggedNames[0]);
    expect(await page.locator('#item-citations tbody tr').count()).toBe(1);
    expect(await page.locator('#item-fines tbody tr').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('every chart mark that stands for an item opens it; a bar filters the table below; state survives a reload', async () => {
    const { page } = await open(s, 'workload', VIEWPORTS[0]!);
    // Tips speak Chinese: hover a bar of each workload chart.
    for (const chart of ['top-items', 'monthly-volume']) {
      const bar = page.locator(`[data-chart="${chart}"] svg g[aria-label="bar"] rect`).first();
      const b = (await bar.boundingBox())!;
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
      const tip = page.locator(`[data-chart="${chart}"] g[aria-label="tip"]`);
      await tip.locator('text').first().waitFor({ timeout: 5_000 });
      const text = (await tip.textContent())!;
      expect(text, chart).toMatch(/件/);
      expect(latinWords(text), chart).toEqual([]);
    }
    // Top items: the bar's link is the item page.
    await page.locator('[data-chart="top-items"] svg g[aria-label="bar"] a').first().click();
    await ready(page);
    expect(page.url()).toMatch(/#\/items\/\d+$/);
    expect(await page.locator('[data-item-title]').count()).toBe(1);

    // Monthly bars: a click filters the tables below to that section, in the URL.
    await page.goto(`${s.base}/#/workload`);
    await ready(page);
    const bar = page.locator('[data-chart="monthly-volume"] svg rect[data-series]').first();
    const section = (await bar.getAttribute('data-series'))!;
    await bar.click();
    await page.waitForFunction((sec) => decodeURIComponent(location.hash).includes(`section=${sec}`), section);
    await ready(page);
    const sections = await page.locator('#item-volumes tbody tr td:nth-child(2)').allTextContents();
    expect(sections.length).toBeGreaterThan(0);
    expect(new Set(sections)).toEqual(new Set([section]));
    await page.reload();
    await ready(page);
    expect(await page.locator('#filter-section').inputValue()).toBe(section);
    expect(new Set(await page.locator('#item-volumes tbody tr td:nth-child(2)').allTextContents())).toEqual(
      new Set([section]),
    );

    // 同比 view.
    await page.locator('.view-switch a[data-view="yoy"]').click();
    await page.waitForSelector('[data-chart="year-over-year"] svg');
    expect(page.url()).toContain('view=yoy');

    // Fine intervals open their item.
    await page.goto(`${s.base}/#/fines`);
    await ready(page);
    // A rule has no height for Playwright's visibility check: click where it is drawn.
    const box = (await page.locator('[data-chart="fine-yuan"] svg g[aria-label="rule"] a line').first().boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await ready(page);
    expect(page.url()).toMatch(/#\/items\/\d+$/);

    // Heatmap → late items → item page; the chosen cell is kept in the URL.
    await page.goto(`${s.base}/#/timeliness`);
    await ready(page);
    const cell = page.locator('[data-chart="on-time-heatmap"] rect[data-span]').first();
    const key = `${await cell.getAttribute('data-section')}|${await cell.getAttribute('data-span')}`;
    await cell.click();
    await page.waitForSelector(`#late-items[data-state="ready"][data-selected="${key}"]`);
    await page.reload();
    await ready(page);
    expect(await page.locator('#late-items').getAttribute('data-selected')).toBe(key);
    const link = page.locator('#late-table a.item-link').first();
    if (await link.count()) {
      await link.click();
      await ready(page);
      expect(page.url()).toMatch(/#\/items\/\d+$/);
    }

    // Overview: a type bar filters the item list.
    await page.goto(`${s.base}/#/overview`);
    await ready(page);
    await page.locator('[data-chart="by-type"] svg rect[data-category="行政处罚"]').click();
    await page.waitForFunction(() => location.hash.includes('power_type='));
    await ready(page);
    const types = await page.locator('#items-table tbody tr:visible td:nth-child(3)').allTextContents();
    expect(types.length).toBeGreaterThan(0);
    expect(types.every((t) => t.startsWith('行政处罚'))).toBe(true);
    await page.close();
  });

  it('罚款幅度 prints ranges properly and shows the fine-compliance view; 法律依据 shows the registry', async () => {
    const { page } = await open(s, 'fines', VIEWPORTS[0]!);
    const ranges = await page.locator('#fines-table td.range').allTextContents();
    expect(ranges.some((r) => /^≤ [\d,]+ 元/.test(r))).toBe(true);
    expect(ranges.filter((r) => /—–|–—/.test(r))).toEqual([]);
    const compliance = await getArrow(s.app, '/api/fines/compliance');
    const fined = [...compliance].filter((r) => Number(r.fined_cases) > 0).length;
    expect(await page.locator('#compliance-table tbody tr').count()).toBe(fined);
    await page.goto(`${s.base}/#/legal`);
    await ready(page);
    const instruments = await getArrow(s.app, '/api/instruments');
    expect(await page.locator('#instruments-table tbody tr').count()).toBe(instruments.numRows);
    await page.close();
  });

  it('prints 总览, 工作量, 办理时效 and 法律依据 as short A4 documents with the bureau in the header', async () => {
    for (const [route, most] of [
      ['overview', 3],
      ['workload', 2],
      ['timeliness', 2],
      ['legal', 8],
    ] as const) {
      const { page } = await open(s, route, VIEWPORTS[0]!);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('#print-head').textContent()).toContain('凉州区人力资源和社会保障局');
      expect(await page.locator('#print-head').isVisible()).toBe(true);
      const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
      expect(pages.length, route).toBeLessThanOrEqual(most);
      await page.close();
    }
  });
});
