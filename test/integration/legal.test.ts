import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { comparePartial } from '../../etl/legal/partial-date.ts';
import { deriveMissing, loadRegistry } from '../../etl/load/registry-load.ts';
import { parseRegistry } from '../../etl/registry/instruments.ts';
import { loadListFile, runEtl } from '../../etl/run-etl.ts';
import { buildApp } from '../../server/app.ts';
import { silentLog } from '../../core/log.ts';
import { getArrow } from '../helpers/app.ts';
import { BUNDLED_LIST, BUNDLED_CONFIG, BUNDLED_FILES, profile } from '../helpers/bundled.ts';
import { BACKENDS, ROOT, type TestDb } from '../helpers/test-db.ts';
import { suiteApp } from '../helpers/test-app.ts';

const TODAY = '2026-11-29';
const config = BUNDLED_CONFIG;
const shipped = parseRegistry(readFileSync(join(ROOT, 'data/instruments.yaml'), 'utf8'), 'instruments.yaml');
if (!shipped.ok) throw new Error('data/instruments.yaml is invalid');
const registry = shipped.registry;

type Row = Record<string, unknown>;
const rowsOf = (t: { toArray(): { toJSON(): Row }[] }) => t.toArray().map((r) => r.toJSON());

describe.each(BACKENDS)('legal basis on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  let citations: Row[];

  suiteApp(
    backend,
    // The list first, on its own: its citations are derived in the list load, before any registry exists.
    { before: (testDb) => loadListFile({ db: testDb.db, config }, BUNDLED_LIST) },
    (testDb, built) => {
      t = testDb;
      app = built;
    },
  );

  it('derives citations in the list load; every one is unknown until the registry is loaded', async () => {
    const before = rowsOf(await getArrow(app, `/api/citations?today=${TODAY}`));
    expect(before.length).toBeGreaterThan(150);
    expect(new Set(before.map((r) => r.status_now))).toEqual(new Set(['unknown']));
  });

  it('the ETL run loads the registry once (idempotent by hash) and resolves the stored citations', async () => {
    const first = await runEtl({ db: t.db, config, log: silentLog, now: () => new Date('2026-11-29T02:00:00Z') });
    expect(first.status).toBe('ok');
    expect(first.steps.find((s) => s.step === 'registry')).toMatchObject({ status: 'loaded' });
    const again = await runEtl({ db: t.db, config, log: silentLog, now: () => new Date('2026-11-29T02:00:00Z') });
    expect(again.steps.find((s) => s.step === 'registry')).toMatchObject({ status: 'unchanged' });
    const n = await t.db.kysely.selectFrom('instrument').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(registry.instruments.length);
    citations = rowsOf(await getArrow(app, `/api/citations?today=${TODAY}`));
    expect(citations.filter((r) => r.instrument_id !== null).length).toBeGreaterThan(90);
  });

  it('re-derives a version whose legal basis is missing', async () => {
    await t.db.kysely.deleteFrom('citation').execute();
    await t.db.kysely.deleteFrom('legal_derivation').execute();
    expect(await deriveMissing(t.db)).toEqual([1]);
    expect(rowsOf(await getArrow(app, `/api/citations?today=${TODAY}`)).length).toBe(citations.length);
    await loadRegistry(t.db, BUNDLED_FILES);
  });

  it('every outdated citation is really outdated: the registry holds the newer version and its date', () => {
    const outdated = citations.filter((r) => r.status_now === 'outdated');
    expect(outdated.length).toBeGreaterThan(5);
    for (const r of outdated) {
      const inst = registry.instruments.find((i) => i.id === r.instrument_id)!;
      const newer = inst.events.find((e) => (e.event === 'amended' || e.event === 'revised') && e.date === r.newer_now_date);
      expect(newer, `${r.seq} ${r.title}`).toBeDefined();
      expect(comparePartial(String(r.newer_now_date), String(r.claimed_version_date))).toBe(1);
      expect(r.flagged).toBe(true);
    }
    const labour2 = citations.find((r) => r.seq === 2 && r.instrument_id === 'labour-law')!;
    expect(labour2).toMatchObject({ claimed_version_date: '2009-08-27', status_now: 'outdated', newer_now_date: '2018-12-29', newer_now_event: 'amended' });
    // The list itself states no date: it is judged at the latest date it cites, and says so.
    expect(labour2.list_date_basis).toBe('latest_cited_date');
    expect(labour2.status_list).toBe('outdated');
  });

  it('flags 劳动法 cited in two versions by different items as inconsistent', () => {
    const labour = citations.filter((r) => r.instrument_id === 'labour-law' && r.claimed_version_date !== null);
    expect(new Set(labour.map((r) => r.claimed_version_date))).toEqual(new Set(['2009-08-27', '2018-12-29']));
    expect(labour.every((r) => r.inconsistent === true)).toBe(true);
    expect(citations.find((r) => r.seq === 13 && r.instrument_id === 'labour-law')).toMatchObject({ status_now: 'inconsistent', versions_in_list: '2009-08-27、2018-12-29' });
  });

  it('shows unregistered instruments as unknown, in citations and in the instrument list', async () => {
    const unknown = citations.filter((r) => r.status_now === 'unknown');
    expect(unknown.length).toBeGreaterThan(30);
    expect(unknown.map((r) => r.instrument_label)).toContain('工伤保险经办规程');
    const instruments = rowsOf(await getArrow(app, '/api/instruments'));
    const unregistered = instruments.filter((r) => r.in_registry === false);
    expect(unregistered.reduce((n, r) => n + Number(r.citations), 0)).toBe(unknown.length);
    expect(instruments.find((r) => r.instrument_id === 'labour-law')).toMatchObject({ latest_version_date: '2018-12-29', in_registry: true });
    expect(Number(instruments.find((r) => r.instrument_id === 'labour-law')!.citing_items)).toBeGreaterThanOrEqual(3);
  });

  it('lists flagged citations first and filters by status, instrument and section', async () => {
    const flags = citations.map((r) => r.flagged);
    expect(flags[0]).toBe(true);
    expect(flags.slice(flags.indexOf(false)).every((f) => f === false)).toBe(true);
    const outdated = (await app.inject(`/api/citations?format=json&status=outdated&today=${TODAY}`)).json() as Row[];
    expect(outdated.every((r) => r.status_now === 'outdated' || r.status_list === 'outdated')).toBe(true);
    const labour = (await app.inject(`/api/citations?format=json&instrument=labour-law&today=${TODAY}`)).json() as Row[];
    expect(labour.length).toBe(citations.filter((r) => r.instrument_id === 'labour-law').length);
    const section = (await app.inject(`/api/citations?format=json&section=${encodeURIComponent('劳动监察大队')}&today=${TODAY}`)).json() as Row[];
    expect(section.length).toBeGreaterThan(0);
    expect(section.every((r) => r.section === '劳动监察大队')).toBe(true);
    expect((await app.inject('/api/citations?status=stale')).statusCode).toBe(400);
    expect((await app.inject('/api/citations?today=yesterday')).statusCode).toBe(400);
  });

  it('judges "now" at the date asked: before the 2018 amendment 劳动法 2009 was current', async () => {
    const then = (await app.inject('/api/citations?format=json&instrument=labour-law&today=2010-01-01')).json() as Row[];
    expect(then.find((r) => r.seq === 2)!.status_now).toBe('inconsistent');
    // Without ?today, "now" is the injected clock's date.
    const past = await buildApp({ db: t.db, bureauId: profile().bureau_id, adminToken: null, now: () => new Date('2010-01-01T00:00:00Z') });
    const rows = (await past.inject('/api/citations?format=json&instrument=labour-law')).json() as Row[];
    await past.close();
    expect(rows.find((r) => r.seq === 2)!.status_now).toBe('inconsistent');
  });

  it('extracts every fine clause with its kind and exact amounts', async () => {
    const fines = rowsOf(await getArrow(app, '/api/fines'));
    const at = (seq: number) => fines.filter((f) => f.seq === seq).map((f) => [f.kind, f.min_yuan, f.max_yuan, f.min_multiple, f.max_multiple, f.base_key]);
    expect(at(4)).toEqual([['per_person_range', 500, 2000, null, null, null]]);
    expect(at(5)).toEqual([
      ['multiple', null, null, 1, 5, 'illegal_gains'],
      ['cap_only', null, 50000, null, null, null],
      ['per_person_range', 5000, 10000, null, null, null],
    ]);
    expect(at(10)).toEqual([['multiple', null, null, 1, 3, 'owed_premiums'], ['fixed_range', 500, 3000, null, null, null]]);
    expect(at(14)).toEqual([['fixed_range', 10000, 50000, null, null, null]]);
    expect(at(19)).toEqual([['cap_only', null, 100000, null, null, null]]);
    expect(at(25)[1]).toEqual(['multiple', null, 30000, null, 3, 'illegal_gains']);
    expect(fines.every((f) => f.power_type === '行政处罚')).toBe(true);
    // Every penalty item whose basis states an amount or a multiple has a clause with numbers.
    const items = (await app.inject('/api/items?format=json')).json() as Row[];
    const withNumbers = new Set(fines.filter((f) => f.kind !== 'unspecified').map((f) => f.seq));
    const basis = await t.db.kysely.selectFrom('item').select(['seq', 'basis']).where('power_type', '=', '行政处罚').execute();
    for (const b of basis) if (/(?:元|倍)(?:以上|以下)?的?(?:标准)?[^。；]{0,12}罚款/.test(b.basis)) expect(withNumbers.has(b.seq), `item ${b.seq}`).toBe(true);
    expect(items.length).toBe(80);
    const caps = (await app.inject('/api/fines?format=json&kind=cap_only')).json() as Row[];
    expect(caps.every((f) => f.kind === 'cap_only' && f.min_yuan === null)).toBe(true);
  });

  it('exports the flagged citations as an xlsx workbook with Chinese headers', async () => {
    const res = await app.inject(`/api/citations/export.xlsx?today=${TODAY}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('待复核引用')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 6)).toEqual(['序号', '事项编码', '事项名称', '承办机构', '引用文件（原文）', '登记名称']);
    const flagged = citations.filter((r) => r.flagged);
    expect(ws.rowCount - 1).toBe(flagged.length);
    const row2 = (ws.getRow(2).values as unknown[]).slice(1);
    expect(row2[0]).toBe(flagged[0]!.seq);
    expect(row2[4]).toBe(flagged[0]!.title);
    // 当前状态 of the exported rows: the API's statuses, in Chinese; a flagged row is never current at both dates.
    const labels = { current: '现行有效', outdated: '已有新版本', repealed: '已废止', inconsistent: '版本不一致', unknown: '未登记', undated: '未注明版本' } as Record<string, string>;
    flagged.forEach((r, i) => {
      const values = (ws.getRow(i + 2).values as unknown[]).slice(1);
      expect([values[8], values[9]]).toEqual([labels[String(r.status_list)], labels[String(r.status_now)]]);
      expect(values[8] === '现行有效' && values[9] === '现行有效').toBe(false);
    });
  });
});
