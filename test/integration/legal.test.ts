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
    const n = await t.db.kysely
      .selectFrom('instrument')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
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
      const newer = inst.events.find(
        (e) => (e.event === 'amended' || e.event === 'revised') && e.date === r.newer_now_date,
      );
      expect(newer, `${r.seq} ${r.title}`).toBeDefined();
      expect(comparePartial(String(r.newer_now_date), String(r.claimed_version_date))).toBe(1);
      expect(r.flagged).toBe(true);
    }
    const labour2 = citations.find((r) => r.seq === 2 && r.instrument_id === 'labour-law')!;
    expect(labour2).toMatchObject({
      claimed_version_date: '2009-08-27',
      status_now: 'outdated',
      newer_now_date: '2018-12-29',
      newer_now_event: 'amended',
    });
    // The list itself states no date: it is judged at the latest date it cites, and says so.
    expect(labour2.list_date_basis).toBe('latest_cited_date');
    expect(labour2.status_list).toBe('outdated');
  });

  it('劳动法 cited in two versions: the older citation carries the flag and points at the items citing the current text', async () => {
    const labour = citations.filter((r) => r.instrument_id === 'labour-law' && r.claimed_version_date !== null);
    expect(new Set(labour.map((r) => r.claimed_version_date))).toEqual(new Set(['2009-08-27', '2018-12-29']));
    expect(citations.find((r) => r.seq === 2 && r.instrument_id === 'labour-law')).toMatchObject({
      inconsistent: true,
      newer_cited_by: '13、70',
      versions_in_list: '2009-08-27、2018-12-29',
      needs_action: true,
    });
    // Items 13 and 70 cite the current text: current, no flag, nothing to do.
    for (const seq of [13, 70]) {
      expect(citations.find((r) => r.seq === seq && r.instrument_id === 'labour-law')).toMatchObject({
        status_now: 'current',
        inconsistent: false,
        flagged: false,
      });
    }
    const instruments = rowsOf(await getArrow(app, '/api/instruments'));
    expect(instruments.find((r) => r.instrument_id === 'labour-law')).toMatchObject({
      several_versions: true,
      versions_in_list: '2009-08-27、2018-12-29',
    });
    expect(instruments.find((r) => r.instrument_id === 'social-insurance-law')).toMatchObject({
      several_versions: false,
    });
  });

  it('flags the doc numbers that belong to another instrument or version (items 27 and 2)', () => {
    expect(citations.find((r) => r.seq === 27)).toMatchObject({
      doc_number_mismatch: '国务院令第259号',
      doc_number_belongs_to: '社会保险费征缴暂行条例',
      needs_action: true,
      flagged: true,
    });
    expect(citations.find((r) => r.seq === 2 && r.instrument_id === 'working-hours-provisions')).toMatchObject({
      doc_number_mismatch: '国务院令第146号',
      doc_number_belongs_to: '国务院关于职工工作时间的规定 1994-02-03',
    });
  });

  it('resolves titles the OCR cut or lost by their doc number, and keeps the quality flag', () => {
    const orphan = citations.find((r) => r.seq === 40 && r.title_quality === 'doc_number_only')!;
    expect(orphan).toMatchObject({
      instrument_id: 'residents-pension-handling-rules-2014',
      doc_numbers: '人社部发〔2014〕23号',
    });
    expect(citations.filter((r) => r.title_quality === 'cut').length).toBeGreaterThanOrEqual(2);
  });

  it('shows unregistered instruments as unknown, in citations and in the instrument list', async () => {
    const unknown = citations.filter((r) => r.status_now === 'unknown');
    expect(unknown.length).toBeGreaterThan(0);
    expect(unknown.length / citations.length).toBeLessThanOrEqual(0.05);
    expect(unknown.map((r) => r.instrument_label)).toContain('关于进一步完善社会救助和保障标准与物价上涨挂钩联动机制');
    const instruments = rowsOf(await getArrow(app, '/api/instruments'));
    const unregistered = instruments.filter((r) => r.in_registry === false);
    expect(unregistered.reduce((n, r) => n + Number(r.citations), 0)).toBe(unknown.length);
    expect(instruments.find((r) => r.instrument_id === 'labour-law')).toMatchObject({
      latest_version_date: '2018-12-29',
      in_registry: true,
    });
    expect(Number(instruments.find((r) => r.instrument_id === 'labour-law')!.citing_items)).toBeGreaterThanOrEqual(3);
  });

  it('lists flagged citations first and filters by status, instrument and section', async () => {
    const flags = citations.map((r) => r.flagged);
    expect(flags[0]).toBe(true);
    expect(flags.slice(flags.indexOf(false)).every((f) => f === false)).toBe(true);
    const outdated = (await app.inject(`/api/citations?format=json&status=outdated&today=${TODAY}`)).json() as Row[];
    expect(outdated.every((r) => r.status_now === 'outdated' || r.status_list === 'outdated')).toBe(true);
    const labour = (
      await app.inject(`/api/citations?format=json&instrument=labour-law&today=${TODAY}`)
    ).json() as Row[];
    expect(labour.length).toBe(citations.filter((r) => r.instrument_id === 'labour-law').length);
    const section = (
      await app.inject(`/api/citations?format=json&section=${encodeURIComponent('劳动监察大队')}&today=${TODAY}`)
    ).json() as Row[];
    expect(section.length).toBeGreaterThan(0);
    expect(section.every((r) => r.section === '劳动监察大队')).toBe(true);
    expect((await app.inject('/api/citations?status=stale')).statusCode).toBe(400);
    expect((await app.inject('/api/citations?today=yesterday')).statusCode).toBe(400);
  });

  it('judges "now" at the date asked: before the 2018 amendment 劳动法 2009 was current', async () => {
    const then = (
      await app.inject('/api/citations?format=json&instrument=labour-law&today=2010-01-01')
    ).json() as Row[];
    expect(then.find((r) => r.seq === 2)!.status_now).toBe('current');
    // Without ?today, "now" is the injected clock's date.
    const past = await buildApp({
      db: t.db,
      bureauId: profile().bureau_id,
      adminToken: null,
      now: () => new Date('2010-01-01T00:00:00Z'),
    });
    const rows = (await past.inject('/api/citations?format=json&instrument=labour-law')).json() as Row[];
    await past.close();
    expect(rows.find((r) => r.seq === 2)!.status_now).toBe('current');
    expect(rows.find((r) => r.seq === 2)!.status_list).toBe('outdated');
  });

  it('extracts every fine clause with its kind and exact amounts', async () => {
    const fines = rowsOf(await getArrow(app, '/api/fines'));
    const at = (seq: number) =>
      fines
        .filter((f) => f.seq === seq)
        .map((f) => [f.kind, f.min_yuan, f.max_yuan, f.min_multiple, f.max_multiple, f.base_key]);
    expect(at(4)).toEqual([['per_person_range', 500, 2000, null, null, null]]);
    expect(at(5)).toEqual([
      ['multiple', null, null, 1, 5, 'illegal_gains'],
      ['cap_only', null, 50000, null, null, null],
      ['per_person_range', 5000, 10000, null, null, null],
    ]);
    expect(at(10)).toEqual([
      ['multiple', null, null, 1, 3, 'owed_premiums'],
      ['fixed_range', 500, 3000, null, null, null],
    ]);
    expect(at(14)).toEqual([['fixed_range', 10000, 50000, null, null, null]]);
    expect(at(19)).toEqual([['cap_only', null, 100000, null, null, null]]);
    expect(at(25)[1]).toEqual(['multiple', null, 30000, null, 3, 'illegal_gains']);
    expect(fines.every((f) => f.power_type === '行政处罚')).toBe(true);
    // Every penalty item whose basis states an amount or a multiple has a clause with numbers.
    const items = (await app.inject('/api/items?format=json')).json() as Row[];
    const withNumbers = new Set(fines.filter((f) => f.kind !== 'unspecified').map((f) => f.seq));
    const basis = await t.db.kysely
      .selectFrom('item')
      .select(['seq', 'basis'])
      .where('power_type', '=', '行政处罚')
      .execute();
    for (const b of basis)
      if (/(?:元|倍)(?:以上|以下)?的?(?:标准)?[^。；]{0,12}罚款/.test(b.basis))
        expect(withNumbers.has(b.seq), `item ${b.seq}`).toBe(true);
    expect(items.length).toBe(80);
    const caps = (await app.inject('/api/fines?format=json&kind=cap_only')).json() as Row[];
    expect(caps.every((f) => f.kind === 'cap_only' && f.min_yuan === null)).toBe(true);
  });

  it('exports only what needs the legal section, action first, grouped by instrument, with the version to cite', async () => {
    const res = await app.inject(`/api/citations/export.xlsx?today=${TODAY}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('待复核引用')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    expect(header.slice(0, 7)).toEqual([
      '类别',
      '序号',
      '事项编码',
      '事项名称',
      '承办机构',
      '引用文件（原文）',
      '登记名称',
    ]);
    const col = (name: string) => header.indexOf(name);
    const rows = Array.from({ length: ws.rowCount - 1 }, (_, i) => (ws.getRow(i + 2).values as unknown[]).slice(1));
    const flagged = citations.filter((r) => r.flagged);
    expect(rows.length).toBe(flagged.length);
    // No citation current at both dates without a doc-number problem is exported.
    const labels = {
      current: '现行有效',
      outdated: '已有新版本',
      repealed: '已废止',
      unknown: '未登记',
      undated: '未注明版本',
    } as Record<string, string>;
    for (const r of rows)
      expect(
        r[col('清单日期时状态')] === labels.current &&
          r[col('当前状态')] === labels.current &&
          r[col('文号问题')] === '',
      ).toBe(false);
    // Action first, then unresolved; each part grouped by instrument (one contiguous run per instrument).
    const kinds = rows.map((r) => r[col('类别')]);
    expect(kinds.indexOf('待核实')).toBe(kinds.lastIndexOf('需处理') + 1);
    for (const part of ['需处理', '待核实']) {
      const names = rows.filter((r) => r[col('类别')] === part).map((r) => String(r[col('登记名称')]));
      const runs = names.filter((n, i) => i === 0 || n !== names[i - 1]);
      expect(new Set(runs).size).toBe(runs.length);
    }
    // Item 2's 劳动法 2009: outdated, with the version to cite instead.
    const labour2 = rows.find((r) => r[col('序号')] === 2 && r[col('登记名称')] === '中华人民共和国劳动法')!;
    expect(labour2[col('类别')]).toBe('需处理');
    expect(String(labour2[col('应改引')])).toContain('2018-12-29修正');
    expect(String(labour2[col('清单内引用的版本')])).toContain('13、70');
    // Item 27: current, but its doc number belongs to another instrument.
    expect(rows.find((r) => r[col('序号')] === 27)![col('文号问题')]).toBe('国务院令第259号属于社会保险费征缴暂行条例');
    // Items 13 and 70 cite the current 劳动法: not exported.
    expect(
      rows.some(
        (r) => (r[col('序号')] === 13 || r[col('序号')] === 70) && r[col('登记名称')] === '中华人民共和国劳动法',
      ),
    ).toBe(false);
  });
});
