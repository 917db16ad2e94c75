import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticCsv } from '../../etl/load/case-synthetic.ts';
import { runEtl } from '../../etl/run-etl.ts';
import { silentLog } from '../../core/log.ts';
import { BUNDLED_LIST, BUREAU_FILE, BUNDLED_CONFIG } from '../helpers/bundled.ts';
import { openPage, serveDashboard, type ServedDashboard } from '../helpers/served-dashboard.ts';
import { ROOT } from '../helpers/test-db.ts';

describe('运行记录 page in Chromium', () => {
  let s: ServedDashboard;
  let dir: string;

  beforeAll(async () => {
    s = await serveDashboard(async (db) => {
      dir = await mkdtemp(join(tmpdir(), 'quanze-runs-page-'));
      const inbox = join(dir, 'inbox');
      await mkdir(inbox);
      await writeSyntheticCsv({
        root: ROOT,
        listFile: BUNDLED_LIST,
        bureauFile: BUREAU_FILE,
        rows: 50,
        seed: 2,
        year: 2025,
        out: join(dir, 'gen.csv'),
      });
      await writeFile(join(inbox, 'cases.csv'), `${await readFile(join(dir, 'gen.csv'), 'utf8')}BAD-1,x\n`);
      await runEtl(
        { db, config: BUNDLED_CONFIG, log: silentLog, now: () => new Date('2026-11-29T02:00:00Z') },
        { trigger: 'schedule', inboxDir: inbox },
      );
    });
  });
  afterAll(async () => {
    await s?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the run, the synthetic file with its counts, and its rejected row on request', async () => {
    const { page, errors } = await openPage(s, 'runs');
    expect(errors).toEqual([]);

    const run = page.locator('#runs-table tbody tr');
    expect(await run.count()).toBe(1);
    expect(await run.locator('td').nth(1).textContent()).toBe('定时');
    expect(await run.locator('td').nth(2).textContent()).toBe('成功');
    expect(await run.locator('td').nth(6).textContent()).toBe('50');

    const file = page.locator('#case-files-table tbody tr');
    expect(await file.count()).toBe(1);
    expect(await file.locator('.flag.synthetic').textContent()).toBe('合成数据');
    await file.locator('button').click();
    await page.waitForSelector('#rejects-table');
    const cells = await page.locator('#rejects-table tbody tr td').allTextContents();
    // The reason in Chinese; the validator's field and message stay on the cells.
    expect(cells).toEqual(['52', '整行', 'BAD-1,x', '应有 16 个字段，实有 2 个']);
    expect(await page.locator('#rejects-table [data-field]').getAttribute('data-field')).toBe('row');
    expect(await page.locator('#rejects-table [data-message]').getAttribute('data-message')).toBe(
      'expected 16 fields, got 2',
    );
  });
});
