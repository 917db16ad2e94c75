import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { applyCorrections } from '../../etl/parse/apply-corrections.ts';
import { parseCorrectionsOrThrow } from '../../etl/parse/corrections.ts';
import { listQuality, QUALITY_FIELDS, QUALITY_STATUSES } from '../../etl/parse/list-quality.ts';
import { parseListText } from '../../etl/parse/list-text.ts';
import { loadListFile, runEtl } from '../../etl/run-etl.ts';
import { silentLog } from '../../core/log.ts';
import { getArrow } from '../helpers/app.ts';
import { BUNDLED_LIST, BUREAU_FILE, BUNDLED_CONFIG, bundledText, profile } from '../helpers/bundled.ts';
import { BACKENDS, ROOT, type TestDb } from '../helpers/test-db.ts';
import { suiteApp } from '../helpers/test-app.ts';
import { dataFiles } from '../../core/config.ts';

const CORRECTIONS = join(ROOT, 'data/corrections/liangzhou.yaml');
const correctionsText = readFileSync(CORRECTIONS, 'utf8');
/** What the database should hold: the pure parse, corrected, and its field quality. */
const expectedList = applyCorrections(
  parseListText(bundledText(), 'liangzhou.txt', profile()),
  parseCorrectionsOrThrow(correctionsText, 'data/corrections/liangzhou.yaml').entries,
).list;
const expectedQuality = listQuality(expectedList);
const expectedCount = (field: string, status: string) =>
  expectedQuality.filter((q) => q.field === field && q.status === status).length;

/** A bureau profile in its own folder, so a test can give it a corrections file of its own. */
function profileDir(corrections: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-corr-'));
  copyFileSync(BUREAU_FILE, join(dir, 'bureau.json'));
  if (corrections !== null) {
    mkdirSync(join(dir, 'corrections'));
    writeFileSync(join(dir, 'corrections', 'liangzhou.yaml'), corrections);
  }
  return dir;
}

describe.each(BACKENDS)('list quality and corrections on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  const config = BUNDLED_CONFIG;

  suiteApp(backend, {}, (testDb, built) => {
    t = testDb;
    app = built;
  });

  it('refuses a corrections file with a malformed code, by file and line, loading nothing', async () => {
    const bad = correctionsText.replace('code: 11622301566438677P4620214018000', 'code: 11622301566438677P46202140180');
    const dir = profileDir(bad);
    await expect(
      loadListFile({ db: t.db, config: { ...config, files: dataFiles(dir) } }, BUNDLED_LIST),
    ).rejects.toThrow(/corrections\/liangzhou\.yaml on line 27 \(corrections\.1\.code\): expected a full 31-character/);
    expect(await t.db.kysely.selectFrom('list_version').selectAll().execute()).toHaveLength(0);
  });

  it('loads the bundled list with its corrections, keeping what was read', async () => {
    const report = await runEtl({ db: t.db, config, log: silentLog, now: () => new Date(0) });
    expect(report.status).toBe('ok');
    const rows = await t.db.kysely.selectFrom('item_correction').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual([19, 21, 23, 27]);
    expect(rows[1]).toMatchObject({
      field: 'name',
      sub_no: 0,
      original: '对用人单位招用人单位招用人的',
      source_file: 'data/corrections/liangzhou.yaml',
      source_line: 27,
    });
    const item21 = await t.db.kysely.selectFrom('item').selectAll().where('seq', '=', 21).executeTakeFirstOrThrow();
    expect(item21).toMatchObject({
      name: '对用人单位招用人员时违反规定将乙肝病毒血清学指标作为体检标准的处罚',
      name_origin: 'corrected',
      name_quality: 'ok',
    });
    const version = await t.db.kysely
      .selectFrom('list_version')
      .select(['corrections_file', 'corrections_hash'])
      .executeTakeFirstOrThrow();
    expect(version.corrections_file).toBe('data/corrections/liangzhou.yaml');
    expect(version.corrections_hash).toMatch(/^[0-9a-f]{64}$/);
    const lines = await t.db.kysely
      .selectFrom('list_source_line')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(lines.n)).toBe(bundledText().split(/\r?\n/).length);
  });

  it('shows in /api/items which values came from corrections', async () => {
    const items = await getArrow(app, '/api/items');
    expect(items.numRows).toBe(80);
    const corrected: number[] = [];
    for (const row of items) if (row.corrected) corrected.push(row.seq as number);
    expect(corrected).toEqual([19, 21, 23, 27]);
    const json = (await app.inject('/api/items?format=json')).json() as Record<string, unknown>[];
    expect(json.find((r) => r.seq === 19)).toMatchObject({
      corrected: true,
      corrected_fields: 'name',
      name_origin: 'corrected',
    });
    expect(json.find((r) => r.seq === 15)).toMatchObject({
      corrected: false,
      corrected_fields: null,
      name_origin: 'read',
      name_quality: 'scrambled',
    });
    expect(String(json.find((r) => r.seq === 15)!.flagged_fields)).toContain('name');
  });

  it('counts per field and status what the parse and the corrections say', async () => {
    const table = await getArrow(app, '/api/quality');
    expect(table.numRows).toBe(QUALITY_FIELDS.length * QUALITY_STATUSES.length);
    for (const row of table) {
      expect(row.items, `${row.field} ${row.status}`).toBe(expectedCount(row.field as string, row.status as string));
      expect(row.total).toBe(
        row.field === 'sub_name' ? expectedList.items.reduce((n, i) => n + i.sub_items.length, 0) : 80,
      );
    }
    const json = (await app.inject('/api/quality?format=json')).json() as {
      field: string;
      status: string;
      items: number;
    }[];
    expect(json.find((r) => r.field === 'name' && r.status === 'corrected')!.items).toBe(4);
    const flaggedNames = expectedList.items.filter((i) => i.name_quality !== 'ok').length;
    expect(json.find((r) => r.field === 'name' && r.status === 'flagged')!.items).toBe(flaggedNames);
    const csv = await app.inject('/api/quality?format=csv');
    expect(csv.body.split('\n')[0]).toBe('field,field_no,status,items,total,unit');
    expect((await app.inject('/api/quality?nope=1')).statusCode).toBe(400);
  });

  it('lists the flagged items with field, value, message and source lines', async () => {
    const rows = (await app.inject('/api/quality/flagged?format=json')).json() as Record<string, unknown>[];
    expect(rows).toHaveLength(expectedQuality.filter((q) => q.status === 'flagged').length);
    expect(rows).toContainEqual(expect.objectContaining({ seq: 15, sub_no: 0, field: 'name', source_lines: '40' }));
    expect(String(rows.find((r) => r.seq === 15 && r.field === 'name')!.message)).toMatch(/scrambled/);
    expect(rows.some((r) => r.seq === 19 && r.field === 'name')).toBe(false);
    expect(rows).toContainEqual(expect.objectContaining({ seq: 53, field: 'sub_name', sub_no: 1 }));
    expect((await getArrow(app, '/api/quality/flagged')).numRows).toBe(rows.length);
  });

  it('gives the source text of an item beside its parsed fields and corrections', async () => {
    const res = await app.inject('/api/items/19/source');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.lines).toEqual([{ line: 48, text: bundledText().split('\n')[47] }]);
    expect(body.item).toMatchObject({ seq: 19, name_origin: 'corrected' });
    expect(body.corrections).toEqual([
      expect.objectContaining({
        field: 'name',
        original: '对违反规定,发规定,发格虚假招生简单发育。发章',
        date: '2026-11-29',
      }),
    ]);
    expect(body.quality).toContainEqual(expect.objectContaining({ field: 'name', status: 'corrected' }));
    const multi = (await app.inject('/api/items/3/source')).json();
    expect(multi.lines.map((l: { line: number }) => l.line)).toEqual([8, 9, 12, 13, 16]);
    expect((await app.inject('/api/items/999/source')).statusCode).toBe(404);
    expect((await app.inject('/api/items/3/source?x=1')).statusCode).toBe(400);
  });

  it('lays an edited corrections file over the loaded version in place', async () => {
    const one = `bureau: 11622301566438677P
corrections:
  - seq: 53
    sub_no: 8
    field: sub_name
    reads: 供养抚核定
    value: 供养亲属抚恤金核定
    reason: test only - sub-item reading "供养抚核定" with its own basis "供养亲属抚恤金"
    author: test
    date: 2026-11-29
`;
    const dir = profileDir(one);
    const result = await loadListFile({ db: t.db, config: { ...config, files: dataFiles(dir) } }, BUNDLED_LIST);
    expect(result).toEqual({
      status: 'unchanged',
      versionId: 1,
      correctionsReapplied: 1,
      staleCorrections: 0,
      bureauId: profile().bureau_id,
      warnings: [],
    });
    const item21 = await t.db.kysely.selectFrom('item').selectAll().where('seq', '=', 21).executeTakeFirstOrThrow();
    expect(item21).toMatchObject({
      name: '对用人单位招用人单位招用人的',
      name_origin: 'read',
      name_quality: 'scrambled',
    });
    const sub = await t.db.kysely
      .selectFrom('sub_item')
      .selectAll()
      .where('seq', '=', 53)
      .where('sub_no', '=', 8)
      .executeTakeFirstOrThrow();
    expect(sub).toMatchObject({ name: '供养亲属抚恤金核定', name_origin: 'corrected' });
    const json = (await app.inject('/api/quality?format=json')).json() as {
      field: string;
      status: string;
      items: number;
    }[];
    expect(json.find((r) => r.field === 'name' && r.status === 'corrected')!.items).toBe(0);
    expect(json.find((r) => r.field === 'sub_name' && r.status === 'corrected')!.items).toBe(1);
    // Back to the repository's file: the four name corrections return.
    expect(await loadListFile({ db: t.db, config }, BUNDLED_LIST)).toEqual({
      status: 'unchanged',
      versionId: 1,
      correctionsReapplied: 4,
      staleCorrections: 0,
      bureauId: profile().bureau_id,
      warnings: [],
    });
    expect(await t.db.kysely.selectFrom('item_correction').selectAll().execute()).toHaveLength(4);
  });

  it('lists a correction whose item is not in the list, or reads otherwise, as stale and loads the rest', async () => {
    const edited = correctionsText
      .replace('code: 11622301566438677P4620214018000', 'code: 11622301566438677P4620219999000')
      .replace('reads: "对违反规定,发规定,发格虚假招生简单发育。发章"', 'reads: "对违反规定的处罚"');
    const dir = profileDir(edited);
    const result = await loadListFile({ db: t.db, config: { ...config, files: dataFiles(dir) } }, BUNDLED_LIST);
    expect(result).toMatchObject({ status: 'unchanged', versionId: 1, staleCorrections: 2 });
    const stale = await t.db.kysely.selectFrom('correction_stale').selectAll().orderBy('stale_no').execute();
    expect(stale.map((s) => [s.source_line, s.code, s.field])).toEqual([
      [16, '11622301566438677P4620214016000', 'name'],
      [27, '11622301566438677P4620219999000', 'name'],
    ]);
    expect(stale[0]!.message).toBe(
      'item 19 now reads "对违反规定,发规定,发格虚假招生简单发育。发章" where the correction fixes "对违反规定的处罚": not applied; review the correction',
    );
    expect(stale[0]!.found).toBe('对违反规定,发规定,发格虚假招生简单发育。发章');
    expect(stale[1]!.message).toBe('no item of liangzhou.txt has code 11622301566438677P4620219999000');
    const names = await t.db.kysely.selectFrom('item_correction').select('seq').orderBy('seq').execute();
    expect(names.map((n) => n.seq)).toEqual([23, 27]);
  });
});
