import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { readVersionList } from '../../etl/export/version-list.ts';
import { exportSheetFile } from '../../etl/export/export-sheet.ts';
import { loadListFile } from '../../etl/run-etl.ts';
import { BUNDLED_LIST, BUNDLED_CONFIG, profile } from '../helpers/bundled.ts';
import { BACKENDS, type TestDb } from '../helpers/test-db.ts';
import { suiteApp } from '../helpers/test-app.ts';
import { sheetFields } from '../fixtures/reform/sheet-fields.ts';

const config = BUNDLED_CONFIG;

describe.each(BACKENDS)('clean sheet export and import on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  const dir = mkdtempSync(join(tmpdir(), 'quanze-sheet-'));
  const bureauId = profile().bureau_id;

  suiteApp(backend, { deps: { bureauId, now: () => new Date('2026-03-01T08:00:00Z') } }, async (testDb, built) => {
    t = testDb;
    app = built;
    const r = await loadListFile({ db: t.db, config }, BUNDLED_LIST, {
      label: '2024年版',
      effectiveDate: '2024-01-01',
    });
    expect(r).toMatchObject({ status: 'loaded', versionId: 1 });
  });

  it.each(['xlsx', 'csv'] as const)(
    'round trip through the %s endpoint gives the same items, as a new clean_sheet version',
    async (format) => {
      const res = await app.inject(`/api/items/export.${format}?version=1`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toMatch(new RegExp(`list-v1\\.${format}`));
      const file = join(dir, `export.${format}`);
      writeFileSync(file, res.rawPayload);
      const loaded = await loadListFile({ db: t.db, config }, file, { label: `回读 ${format}` });
      expect(loaded.status).toBe('loaded');
      const original = await readVersionList(t.db, bureauId, 1);
      const back = await readVersionList(t.db, bureauId, loaded.versionId);
      expect(back.items.map(sheetFields)).toEqual(original.items.map(sheetFields));
      expect(back.title).toBe(original.title);
      const v = await t.db.kysely
        .selectFrom('list_version')
        .select(['source_kind', 'label'])
        .where('version_id', '=', loaded.versionId)
        .executeTakeFirstOrThrow();
      expect(v).toEqual({ source_kind: 'clean_sheet', label: `回读 ${format}` });
    },
  );

  it('never overwrites a version: loading the same file again is a no-op that may relabel', async () => {
    const file = join(dir, 'cli.csv');
    const out = await exportSheetFile({ db: t.db, now: () => new Date(0) }, bureauId, file, 1);
    expect(out.versionId).toBe(1);
    const first = await loadListFile({ db: t.db, config }, file);
    const again = await loadListFile({ db: t.db, config }, file, {
      label: '2024年版（回读）',
      effectiveDate: '2024-02-01',
    });
    expect(again).toEqual({
      status: 'unchanged',
      versionId: first.versionId,
      bureauId: profile().bureau_id,
      warnings: [],
    });
    const versions = await app.inject('/api/reform/versions?format=json');
    expect(versions.json()).toHaveLength(first.versionId);
    expect(versions.json()[0]).toMatchObject({
      version_id: 1,
      label: '2024年版',
      effective_date: '2024-01-01',
      source_kind: 'pdf_text',
      item_count: 80,
    });
    expect(versions.json().at(-1)).toMatchObject({
      label: '2024年版（回读）',
      effective_date: '2024-02-01',
      source_kind: 'clean_sheet',
    });
  });

  it.each([
    ['/api/items/export.xlsx?version=99', 404, /version 99/],
    ['/api/items/export.csv?sheet=1', 400, /additional properties/],
  ])('refuses %s', async (url, status, reason) => {
    const res = await app.inject(url);
    expect(res.statusCode).toBe(status);
    expect(res.json().error).toMatch(reason);
  });
});
