import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadListFile } from '../../etl/run-etl.ts';
import { getArrow } from '../helpers/app.ts';
import { BUNDLED_LIST, BUNDLED_CONFIG } from '../helpers/bundled.ts';
import { BACKENDS, type TestDb } from '../helpers/test-db.ts';
import { suiteApp } from '../helpers/test-app.ts';
import { DOCUMENTED, V1, V2 } from '../fixtures/reform/documented.ts';

const config = BUNDLED_CONFIG;
const NOW = new Date('2026-03-01T08:30:00Z');

describe.each(BACKENDS)('annual reform report on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;

  suiteApp(backend, { deps: { now: () => NOW } }, (testDb, built) => {
    t = testDb;
    app = built;
  });

  it('refuses to compare before two versions are loaded', async () => {
    await loadListFile({ db: t.db, config }, V1, { label: '2024年版', effectiveDate: '2024-01-01' });
    const res = await app.inject('/api/reform/diff');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/two list versions/);
  });

  it('finds exactly the documented changes between the fixture versions, and nothing else', async () => {
    const r = await loadListFile({ db: t.db, config }, V2, { label: '2025年版', effectiveDate: '2025-01-01' });
    expect(r).toMatchObject({ status: 'loaded', versionId: 2, items: 80 });
    const diff = await getArrow(app, '/api/reform/diff');
    const rows = diff.toArray().map((x) => x.toJSON());
    expect(rows.map((x) => [x.kind, x.from_seqs, x.to_seqs])).toEqual(DOCUMENTED);
    expect(rows.find((x) => x.kind === 'basis_changed')).toMatchObject({
      method: 'code',
      score: 1,
      detail: '《工伤保险条例》版本 2003-04-16 → 2010-12-20',
    });
    expect(rows.find((x) => x.kind === 'retyped')).toMatchObject({
      before: '其他行政权力',
      after: '行政确认',
      kind_label: '权力类型调整',
    });
    expect(rows.find((x) => x.kind === 'merged')).toMatchObject({
      method: 'containment',
      name_after: '创业补贴发放及创业担保贷款贴息对象资格审核',
    });
    const filtered = (await app.inject('/api/reform/diff?from=1&to=2&kind=moved&format=json')).json();
    expect(filtered.map((x: { to_seq: number }) => x.to_seq)).toEqual([75, 76]);
    // Backwards, the same edits read the other way round.
    const back = (await app.inject('/api/reform/diff?from=2&to=1&format=json')).json() as { kind: string }[];
    expect(back.filter((x) => x.kind === 'added')).toHaveLength(2);
    expect(back.filter((x) => x.kind === 'merged').length + back.filter((x) => x.kind === 'split').length).toBe(2);
  });

  it('summarises counts by type and section in each version, and changes by kind', async () => {
    const rows = (await app.inject('/api/reform/summary?format=json')).json() as Record<
      string,
      string | number | null
    >[];
    const get = (dimension: string, category: string) =>
      rows.find((r) => r.dimension === dimension && r.category === category);
    expect(get('power_type', '其他行政权力')).toMatchObject({ from_items: 41, to_items: 39, delta: -2 });
    expect(get('power_type', '行政确认')).toMatchObject({ from_items: 0, to_items: 1 });
    expect(get('power_type', '行政检查')).toMatchObject({ from_items: 0, to_items: 1 });
    expect(get('section', '劳动权益保障股')).toMatchObject({ from_items: 2, to_items: 5, delta: 3 });
    expect(get('change_kind', 'moved')).toMatchObject({ label: '承办机构调整', changes: 2 });
    const sum = (d: string, k: string) => rows.filter((r) => r.dimension === d).reduce((n, r) => n + Number(r[k]), 0);
    expect([
      sum('power_type', 'from_items'),
      sum('power_type', 'to_items'),
      sum('section', 'to_items'),
      sum('change_kind', 'changes'),
    ]).toEqual([80, 80, 80, 14]);
  });

  it('serves one item of a version for the details view', async () => {
    const item = (await app.inject('/api/reform/item?version=2&seq=61&format=json')).json();
    expect(item[0]).toMatchObject({
      seq: 61,
      name: '创业补贴发放及创业担保贷款贴息对象资格审核',
      section: '就业培训股',
    });
    expect((await app.inject('/api/reform/item?version=2&seq=99')).statusCode).toBe(404);
  });

  it('writes the report workbook: counts, a sheet per change kind, the new list', async () => {
    const res = await app.inject('/api/reform/report.xlsx?from=1&to=2');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '统计',
      '新增事项',
      '取消事项',
      '合并',
      '拆分',
      '名称变更',
      '权力类型调整',
      '承办机构调整',
      '编码变更',
      '实施依据变化',
      '子项增加',
      '子项减少',
      '新版清单',
    ]);
    const stats = wb.getWorksheet('统计')!;
    const values = stats.getSheetValues().map((r) => (Array.isArray(r) ? r.slice(1).map(String) : []));
    expect(values).toContainEqual(['其他行政权力', '41', '39', '-2']);
    expect(values).toContainEqual(['行政检查', '0', '1', '1']);
    expect(values).toContainEqual(['承办机构调整', '2']);
    expect(values.flat()).toContain('生成时间：2026年03月01日 16:30（北京时间）');
    const counts: Record<string, number> = {
      新增事项: 2,
      取消事项: 2,
      合并: 1,
      拆分: 1,
      名称变更: 1,
      权力类型调整: 1,
      承办机构调整: 2,
      编码变更: 0,
      实施依据变化: 2,
      子项增加: 1,
      子项减少: 1,
    };
    for (const [sheet, n] of Object.entries(counts)) expect(wb.getWorksheet(sheet)!.rowCount - 1, sheet).toBe(n);
    const list = wb.getWorksheet('新版清单')!;
    expect(list.getRow(1).getCell(1).value).toBe('序号');
    const itemRows = list.getSheetValues().filter((r) => Array.isArray(r) && r[1] && !r[3] && !r[6] && r[1] !== '序号');
    expect(itemRows).toHaveLength(80);
  });

  it('renders the printable report with title, bureau, versions and the fixed generation time', async () => {
    const res = await app.inject('/api/reform/report.html');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('@page { size: A4');
    expect(res.body).toContain('<h1>权责清单动态调整报告</h1>');
    expect(res.body).toContain('单位：凉州区人力资源和社会保障局');
    expect(res.body).toContain('2024年版（第 1 版，2024-01-01 起施行） → 2025年版（第 2 版，2025-01-01 起施行）');
    expect(res.body).toContain('生成时间：2026年03月01日 16:30（北京时间）');
  });

  it.each([
    ['/api/reform/diff?from=1&to=1', /both version 1/],
    ['/api/reform/diff?from=7', /from=7: no such list version/],
    ['/api/reform/summary?to=abc', /to/],
    ['/api/reform/diff?kind=vanished', /kind/],
    ['/api/reform/report.xlsx?year=2025', /additional properties/],
    ['/api/reform/item?version=2', /seq/],
  ])('answers %s with a 400 that says what to do', async (url, reason) => {
    const res = await app.inject(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(reason);
  });
});

describe.each(BACKENDS)('a new user loading the fixture over the bundled list on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  suiteApp(backend, { deps: { now: () => NOW } }, (testDb, built) => {
    t = testDb;
    app = built;
  });

  // Fails when the parser or the corrections change what the bundled list loads as: then
  // regenerate the fixture (npx tsx test/fixtures/reform/make-v2.ts) and review its diff.
  it('sees exactly the documented changes between the bundled list and the fixture', async () => {
    await loadListFile({ db: t.db, config }, BUNDLED_LIST);
    await loadListFile({ db: t.db, config }, V2, { label: '2025年版' });
    const rows = (await app.inject('/api/reform/diff?format=json')).json() as {
      kind: string;
      from_seqs: string;
      to_seqs: string;
    }[];
    expect(rows.map((x) => [x.kind, x.from_seqs, x.to_seqs])).toEqual(DOCUMENTED);
  });
});
