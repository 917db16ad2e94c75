import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadListFile } from '../../etl/run-etl.ts';
import { BUNDLED_CONFIG, BUNDLED_LIST, profile } from '../helpers/bundled.ts';
import { OTHER_BUREAU, writeOtherBureauSheet } from '../helpers/other-bureau.ts';
import { BACKENDS, type TestDb } from '../helpers/test-db.ts';
import { suiteApp } from '../helpers/test-app.ts';

describe.each(BACKENDS)('several bureaus in one database on %s', (backend) => {
  let t: TestDb;
  const dir = mkdtempSync(join(tmpdir(), 'quanze-bureaus-'));

  suiteApp(backend, {}, (testDb) => {
    t = testDb;
  });

  it('refuses an unknown bureau without a name, saying how to create it', async () => {
    const sheet = writeOtherBureauSheet(dir);
    await expect(loadListFile({ db: t.db, config: BUNDLED_CONFIG }, sheet, { bureau: { id: OTHER_BUREAU.id } })).rejects.toThrow(
      `bureau ${OTHER_BUREAU.id} is not known (known: ${profile().bureau_id}); to create it give its name: --bureau-name`,
    );
    await expect(loadListFile({ db: t.db, config: BUNDLED_CONFIG }, sheet, { bureau: { id: 'not-a-code' } })).rejects.toThrow(/not a unified social credit code/);
  });

  it('loads another bureau beside the bundled one: each has its own versions, registry row and list date', async () => {
    const a = await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, BUNDLED_LIST);
    const b = await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, writeOtherBureauSheet(dir), { bureau: OTHER_BUREAU });
    expect(a).toMatchObject({ status: 'loaded', versionId: 1, bureauId: profile().bureau_id, items: 80 });
    expect(b).toMatchObject({ status: 'loaded', versionId: 1, bureauId: OTHER_BUREAU.id, items: 3 });
    const bureaus = await t.db.kysely.selectFrom('bureau').select(['bureau_id', 'name', 'credit_code', 'region']).orderBy('bureau_id').execute();
    expect(bureaus).toEqual([
      { bureau_id: OTHER_BUREAU.id, name: OTHER_BUREAU.name, credit_code: OTHER_BUREAU.id, region: null },
      { bureau_id: profile().bureau_id, name: profile().name, credit_code: profile().credit_code, region: '甘肃省武威市凉州区' },
    ]);
    const versions = await t.db.kysely
      .selectFrom('list_version')
      .select(['bureau_id', 'version_id', (eb) => eb.fn('to_char', [eb.ref('list_date'), eb.val('YYYY-MM-DD')]).as('list_date')])
      .orderBy('bureau_id')
      .execute();
    expect(versions).toEqual([
      { bureau_id: OTHER_BUREAU.id, version_id: 1, list_date: '2023-06-17' },
      { bureau_id: profile().bureau_id, version_id: 1, list_date: null },
    ]);
    // Known now: the next load of the bureau needs no name.
    const again = await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, writeOtherBureauSheet(dir), { bureau: { id: OTHER_BUREAU.id } });
    expect(again).toMatchObject({ status: 'unchanged', versionId: 1, bureauId: OTHER_BUREAU.id });
    const sections = await t.db.kysely.selectFrom('item').select('section').where('bureau_id', '=', OTHER_BUREAU.id).orderBy('seq').execute();
    expect(sections.map((s) => s.section)).toEqual(['劳动保障监察大队', '就业服务股', '行政审批股']);
  });
});
