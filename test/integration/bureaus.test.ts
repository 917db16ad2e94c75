import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadListFile } from '../../etl/run-etl.ts';
import { BUNDLED_CONFIG, BUNDLED_LIST, profile } from '../helpers/bundled.ts';
import { OTHER_BUREAU, THIRD_BUREAU, writeOtherBureauSheet } from '../helpers/other-bureau.ts';
import { legalStep } from '../../etl/load/registry-load.ts';
import { silentLog } from '../../core/log.ts';
import { BACKENDS, type TestDb } from '../helpers/test-db.ts';
import { suiteApp } from '../helpers/test-app.ts';

describe.each(BACKENDS)('several bureaus in one database on %s', (backend) => {
  let t: TestDb;
  const dir = mkdtempSync(join(tmpdir(), 'quanze-bureaus-'));

  let app: FastifyInstance;
  suiteApp(backend, {}, (testDb, built) => {
    t = testDb;
    app = built;
  });

  it('refuses an unknown bureau without a name, saying how to create it', async () => {
    const sheet = writeOtherBureauSheet(dir);
    await expect(
      loadListFile({ db: t.db, config: BUNDLED_CONFIG }, sheet, { bureau: { id: OTHER_BUREAU.id } }),
    ).rejects.toThrow(
      `bureau ${OTHER_BUREAU.id} is not known (known: ${profile().bureau_id}); to create it give its name: --bureau-name`,
    );
    await expect(
      loadListFile({ db: t.db, config: BUNDLED_CONFIG }, sheet, { bureau: { id: 'not-a-code' } }),
    ).rejects.toThrow(/not a unified social credit code/);
  });

  it('loads another bureau beside the bundled one: each has its own versions, registry row and list date', async () => {
    const a = await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, BUNDLED_LIST);
    const b = await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, writeOtherBureauSheet(dir), {
      bureau: OTHER_BUREAU,
    });
    expect(a).toMatchObject({ status: 'loaded', versionId: 1, bureauId: profile().bureau_id, items: 80 });
    expect(b).toMatchObject({ status: 'loaded', versionId: 1, bureauId: OTHER_BUREAU.id, items: 3 });
    const bureaus = await t.db.kysely
      .selectFrom('bureau')
      .select(['bureau_id', 'name', 'credit_code', 'region'])
      .orderBy('bureau_id')
      .execute();
    expect(bureaus).toEqual([
      { bureau_id: OTHER_BUREAU.id, name: OTHER_BUREAU.name, credit_code: OTHER_BUREAU.id, region: null },
      {
        bureau_id: profile().bureau_id,
        name: profile().name,
        credit_code: profile().credit_code,
        region: '甘肃省武威市凉州区',
      },
    ]);
    const versions = await t.db.kysely
      .selectFrom('list_version')
      .select([
        'bureau_id',
        'version_id',
        (eb) => eb.fn('to_char', [eb.ref('list_date'), eb.val('YYYY-MM-DD')]).as('list_date'),
      ])
      .orderBy('bureau_id')
      .execute();
    expect(versions).toEqual([
      { bureau_id: OTHER_BUREAU.id, version_id: 1, list_date: '2023-06-17' },
      { bureau_id: profile().bureau_id, version_id: 1, list_date: null },
    ]);
    // Known now: the next load of the bureau needs no name.
    const again = await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, writeOtherBureauSheet(dir), {
      bureau: { id: OTHER_BUREAU.id },
    });
    expect(again).toMatchObject({ status: 'unchanged', versionId: 1, bureauId: OTHER_BUREAU.id });
    const sections = await t.db.kysely
      .selectFrom('item')
      .select('section')
      .where('bureau_id', '=', OTHER_BUREAU.id)
      .orderBy('seq')
      .execute();
    expect(sections.map((s) => s.section)).toEqual(['劳动保障监察大队', '就业服务股', '行政审批股']);
  });

  it('answers every endpoint per bureau (?bureau=, default the configured one); an unknown bureau is a 404', async () => {
    const items = async (q: string) => (await app.inject(`/api/items?format=json${q}`)).json() as { code: string }[];
    expect(await items('')).toHaveLength(80);
    expect(await items(`&bureau=${profile().bureau_id}`)).toHaveLength(80);
    const other = await items(`&bureau=${OTHER_BUREAU.id}`);
    expect(other.map((i) => i.code.slice(0, 18))).toEqual([OTHER_BUREAU.id, OTHER_BUREAU.id, OTHER_BUREAU.id]);
    const byType = (await app.inject(`/api/summary/by-type?format=json&bureau=${OTHER_BUREAU.id}`)).json();
    expect(byType).toEqual(
      expect.arrayContaining([
        { power_type: '行政处罚', items: 1 },
        { power_type: '行政许可', items: 1 },
        { power_type: '行政给付', items: 1 },
      ]),
    );
    const health = (await app.inject(`/api/health?bureau=${OTHER_BUREAU.id}`)).json();
    expect(health).toMatchObject({ status: 'ok', bureau: OTHER_BUREAU.id, bureau_name: OTHER_BUREAU.name, items: 3 });
    const unknown = await app.inject('/api/items?bureau=11620000MB9999999Z');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('no bureau "11620000MB9999999Z" is loaded; GET /api/bureaus lists the bureaus');
    expect((await app.inject('/api/items?bureau=%3Cscript%3E')).statusCode).toBe(400);
    const bureaus = (await app.inject('/api/bureaus?format=json')).json() as { bureau_id: string; items: number }[];
    expect(bureaus.map((b) => [b.bureau_id, b.items])).toEqual([
      [OTHER_BUREAU.id, 3],
      [profile().bureau_id, 80],
    ]);
  });

  it('judges each list at its own date: a 2023 list citing the 2016 text is outdated, a 2018 list citing the 2009 text is current', async () => {
    await legalStep({ db: t.db, config: BUNDLED_CONFIG, log: silentLog });
    // The third bureau's sheet says 2000 in its title row; the date given at load wins.
    await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, writeOtherBureauSheet(dir, '2000-01-01', THIRD_BUREAU), {
      bureau: THIRD_BUREAU,
      listDate: '2018-08-20',
    });
    type Cite = {
      cited_title: string;
      claimed_version_date: string;
      list_date: string;
      list_date_basis: string;
      status_list: string;
      status_now: string;
    };
    const cites = async (bureau: string) =>
      (await app.inject(`/api/citations?format=json&bureau=${bureau}&today=2026-12-01`)).json() as Cite[];
    const of = (rows: Cite[], title: string) => rows.find((c) => c.cited_title.includes(title))!;
    const other = await cites(OTHER_BUREAU.id);
    expect(of(other, '民办教育促进法')).toMatchObject({
      list_date: '2023-06-17',
      list_date_basis: 'given_at_load',
      claimed_version_date: '2016',
      status_list: 'outdated',
    });
    expect(of(other, '劳动法')).toMatchObject({ claimed_version_date: '2009', status_list: 'outdated' });
    const third = await cites(THIRD_BUREAU.id);
    expect(of(third, '劳动法')).toMatchObject({
      list_date: '2018-08-20',
      list_date_basis: 'given_at_load',
      status_list: 'current',
      status_now: 'outdated',
    });
    expect(of(third, '民办教育促进法')).toMatchObject({ status_list: 'current', status_now: 'outdated' });
    // The province view counts them per bureau, side by side.
    const province = (await app.inject('/api/province/citations?format=json')).json() as {
      bureau_id: string;
      citations: number;
      outdated_list: number;
    }[];
    expect(province.find((p) => p.bureau_id === OTHER_BUREAU.id)).toMatchObject({ outdated_list: 2 });
    expect(province.find((p) => p.bureau_id === THIRD_BUREAU.id)).toMatchObject({ outdated_list: 0 });
    expect(province.find((p) => p.bureau_id === profile().bureau_id)!.citations).toBeGreaterThan(150);
  });
});
