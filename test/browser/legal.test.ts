import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getArrow } from '../helpers/app.ts';
import { loadBundledList, openPage, serveDashboard, type ServedDashboard } from '../helpers/served-dashboard.ts';

type Row = Record<string, unknown>;

/** The band a citation belongs in, from the API's own fields (the page must agree). */
const bandOf = (r: Row) => (r.needs_action || r.inconsistent ? 'needs' : r.flagged ? 'unresolved' : 'current');
const ready = (page: Page) => page.waitForSelector('#page[data-state="ready"]:not(.busy)', { timeout: 30_000 });
const hashParams = (page: Page) => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');

describe('legal pages in Chromium', () => {
  let s: ServedDashboard;
  let rows: Row[];

  beforeAll(async () => {
    s = await serveDashboard((db) => loadBundledList(db, new Date('2026-11-29T02:00:00Z')));
    rows = [...(await getArrow(s.app, '/api/citations'))].map((r) => r.toJSON() as Row);
  });
  afterAll(() => s?.close());

  it('法律依据 triages every citation into 需处理, 待核实/未解决 and 现行 (closed), with the API’s counts', async () => {
    const { page, errors } = await openPage(s, 'legal');
    expect(errors).toEqual([]);

    const expected = { needs: 0, unresolved: 0, current: 0 };
    for (const r of rows) expected[bandOf(r) as keyof typeof expected]++;
    // Needs action is what the API says: outdated or repealed at either date, or another version's doc number.
    const acts = (st: unknown) => st === 'outdated' || st === 'repealed';
    expect(expected.needs).toBe(
      rows.filter((r) => acts(r.status_now) || acts(r.status_list) || r.doc_number_mismatch).length,
    );
    expect(expected.needs).toBeGreaterThan(10);
    expect(expected.unresolved).toBeGreaterThan(0);

    const bands = page.locator('details.band');
    expect(await bands.evaluateAll((ds) => ds.map((d) => (d as HTMLElement).dataset.band))).toEqual([
      'needs',
      'unresolved',
      'current',
    ]);
    for (const [band, n] of Object.entries(expected)) {
      expect(await page.locator(`#band-${band} > summary .band-count`).textContent(), band).toBe(String(n));
      expect(await page.locator(`#band-${band} tr.citation`).count(), band).toBe(n);
    }
    expect(await bands.evaluateAll((ds) => ds.map((d) => (d as HTMLDetailsElement).open))).toEqual([true, true, false]);
    expect(await page.locator('#band-current tr.citation:visible').count()).toBe(0);
    expect(await page.locator('#band-needs tr.citation:visible').count()).toBe(expected.needs);

    // Every row's band agrees with the API's fields, row by row.
    const shown = await page
      .locator('tr.citation')
      .evaluateAll((trs) => trs.map((tr) => `${(tr as HTMLElement).dataset.band}:${(tr as HTMLElement).dataset.seq}`));
    expect(shown.sort()).toEqual(rows.map((r) => `${bandOf(r)}:${r.seq}`).sort());

    // The chart, the export link and the registry stay.
    expect(await page.locator('[data-chart="citation-status"] svg g[aria-label="bar"] rect').count()).toBeGreaterThan(
      10,
    );
    expect(await page.locator('#export-xlsx').getAttribute('href')).toBe('/api/citations/export.xlsx');
    expect(await page.locator('#export-xlsx').textContent()).toBe('导出待复核引用（Excel）');
    const instruments = await getArrow(s.app, '/api/instruments');
    expect(await page.locator('#instruments-table tbody tr').count()).toBe(instruments.numRows);
    await page.close();
  });

  it('groups each band by instrument: a group’s counts are its rows, with the version to cite', async () => {
    const { page } = await open();
    for (const band of ['needs', 'unresolved', 'current']) {
      const groups = page.locator(`#band-${band} details.instrument-group`);
      const n = await groups.count();
      expect(n).toBeGreaterThan(0);
      const byInstrument = new Map<string, Row[]>();
      for (const r of rows.filter((r) => bandOf(r) === band))
        byInstrument.set(String(r.instrument_label), [...(byInstrument.get(String(r.instrument_label)) ?? []), r]);
      expect(n).toBe(byInstrument.size);
      for (let i = 0; i < n; i++) {
        const g = groups.nth(i);
        const label = (await g.getAttribute('data-instrument'))!;
        const api = byInstrument.get(label)!;
        const seqs = await g
          .locator('tr.citation')
          .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.seq));
        expect(await g.locator('.group-count').textContent(), label).toBe(String(seqs.length));
        expect(seqs.length, label).toBe(api.length);
        expect(await g.locator('.group-items').textContent(), label).toBe(String(new Set(seqs).size));
        const toCite = [...new Set(api.map((r) => r.version_to_cite).filter(Boolean))];
        if (toCite.length) expect(await g.locator('.version-to-cite').textContent()).toContain(String(toCite[0]));
        else expect(await g.locator('.version-to-cite').count()).toBe(0);
      }
    }
    await page.close();
  });

  it('puts items citing an old text in 需处理: item 2 (工作时间 in its 1995 text, doc number of 1994), items 38 and 39 (工伤保险条例 2003)', async () => {
    const { page } = await open();
    const needs = page.locator('#band-needs');
    const hours = needs.locator('details[data-instrument="国务院关于职工工作时间的规定"] tr[data-seq="2"]');
    expect(await hours.count()).toBe(1);
    expect(await hours.locator('[data-flag="doc-number"]').count()).toBe(1);
    expect(await hours.textContent()).toContain('国务院令第146号');
    const injury = needs.locator('details[data-instrument="工伤保险条例"]');
    for (const seq of ['38', '39']) {
      const tr = injury.locator(`tr[data-seq="${seq}"]`);
      expect(await tr.count(), seq).toBe(1);
      expect(await tr.getAttribute('data-status')).toBe('outdated');
      expect(await tr.locator('td:nth-child(3)').textContent()).toMatch(/^2003/);
    }
    expect(await injury.locator('.version-to-cite').textContent()).toMatch(/2010-12-20修订/);
    await page.close();
  });

  it('keeps filters and open bands in the URL: a change redraws in place, a reload restores the view', async () => {
    const { page } = await open();
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 1;
    });
    await page.selectOption('#filter-status', 'outdated');
    expect(hashParams(page).get('status')).toBe('outdated');
    const outdated = rows.filter((r) => r.status_now === 'outdated' || r.status_list === 'outdated');
    const count = (sel: string) => page.locator(sel).count();
    expect(await count('#band-needs tr.citation')).toBe(outdated.filter((r) => bandOf(r) === 'needs').length);
    expect(await count('tr.citation')).toBe(outdated.length);
    expect(await page.locator('#export-xlsx').getAttribute('href')).toBe('/api/citations/export.xlsx?status=outdated');

    await page.selectOption('#filter-instrument', '工伤保险条例');
    const injury = outdated.filter((r) => r.instrument_label === '工伤保险条例');
    expect(await count('tr.citation')).toBe(injury.length);
    expect(await page.locator('#band-needs > summary .band-count').textContent()).toBe(String(injury.length));
    await page.locator('#band-current > summary').click();
    await page.locator('#band-unresolved > summary').click();
    // The toggle event comes after the click: wait for the second one to land in the URL.
    await page.waitForFunction(() => location.hash.includes('open=needs%2Ccurrent'));
    expect(hashParams(page).get('open')).toBe('needs,current');
    // Redrawn in place: the same document, no navigation.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);

    const url = page.url();
    await page.reload();
    await ready(page);
    expect(page.url()).toBe(url);
    expect(await page.locator('#filter-status').inputValue()).toBe('outdated');
    expect(await page.locator('#filter-instrument').inputValue()).toBe('工伤保险条例');
    expect(
      await page.locator('details.band').evaluateAll((ds) => ds.map((d) => (d as HTMLDetailsElement).open)),
    ).toEqual([true, false, true]);
    expect(await count('tr.citation')).toBe(injury.length);

    // A shared link opens the same view in a fresh page.
    const other = await s.browser.newPage();
    await other.goto(url);
    await ready(other);
    expect(await other.locator('#filter-instrument').inputValue()).toBe('工伤保险条例');
    expect(await other.locator('tr.citation').count()).toBe(injury.length);
    await other.close();

    await page.selectOption('#filter-status', '');
    await page.selectOption('#filter-instrument', '');
    expect(hashParams(page).has('status')).toBe(false);
    expect(await count('tr.citation')).toBe(rows.length);
    await page.close();
  });

  it('prints the 需处理 band only, in full', async () => {
    const { page } = await open();
    await page.locator('#band-needs > summary').click();
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    expect(await page.locator('#band-needs').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await page.locator('#band-needs tr.citation:visible').count()).toBe(
      rows.filter((r) => bandOf(r) === 'needs').length,
    );
    expect(await page.locator('#band-unresolved').isVisible()).toBe(false);
    expect(await page.locator('#band-current').isVisible()).toBe(false);
    expect(await page.locator('#instruments-table').isVisible()).toBe(false);
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

  async function open() {
    const opened = await openPage(s, 'legal');
    expect(opened.errors).toEqual([]);
    return opened;
  }
});
