/**
 * Uploads to the running server: case CSVs are sniffed and checked whole before they reach the
 * inbox; lists load at once through POST /api/admin/lists, with the checks of `etl load`.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../core/log.ts';
import { writeSyntheticCsv } from '../../etl/load/case-synthetic.ts';
import { loadListFile, runEtl } from '../../etl/run-etl.ts';
import { classify } from '../../etl/sources/inbox.ts';
import { buildApp } from '../../server/app.ts';
import { BUNDLED_CONFIG, BUNDLED_LIST, BUREAU_FILE, profile } from '../helpers/bundled.ts';
import { BACKENDS, createTestDb, ROOT, type TestDb } from '../helpers/test-db.ts';

const TOKEN = 'uploads-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

describe.each(BACKENDS)('admin uploads on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  let dir: string;
  let lines: string[];
  const inbox = () => join(dir, 'inbox');
  beforeAll(async () => {
    t = await createTestDb(backend);
    dir = await mkdtemp(join(tmpdir(), 'quanze-uploads-'));
    const now = () => new Date('2026-06-01T00:00:00Z');
    await runEtl({ db: t.db, config: BUNDLED_CONFIG, log: silentLog, now });
    await writeSyntheticCsv({
      root: ROOT,
      listFile: BUNDLED_LIST,
      bureauFile: BUREAU_FILE,
      rows: 30,
      seed: 5,
      year: 2025,
      out: join(dir, 'gen.csv'),
    });
    lines = (await readFile(join(dir, 'gen.csv'), 'utf8')).trim().split('\n');
    app = await buildApp({
      db: t.db,
      bureauId: profile().bureau_id,
      adminToken: TOKEN,
      inboxDir: inbox(),
      uploadLimitBytes: 256 * 1024,
      loadList: (path, meta) => loadListFile({ db: t.db, config: BUNDLED_CONFIG }, path, meta),
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
    await rm(dir, { recursive: true, force: true });
  });
  const post = (url: string, payload: string | Buffer, type = 'text/csv') =>
    app.inject({ method: 'POST', url, headers: { ...auth, 'content-type': type }, payload });

  it('stores a case CSV with a quoted header under a 90-CJK-character name, safely cut; the inbox sees a case export', async () => {
    const quoted = `${lines[0]!
      .split(',')
      .map((c) => `"${c}"`)
      .join(',')}\n${lines.slice(1).join('\n')}\n`;
    const res = await post(`/api/admin/cases?name=${encodeURIComponent(`${'劳'.repeat(90)}.csv`)}`, quoted);
    expect(res.statusCode, res.body).toBe(202);
    const stored = res.json().file as string;
    expect(stored).toMatch(/^劳+-[0-9a-f]{10}\.csv$/);
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(160);
    expect(await classify(join(inbox(), stored))).toBe('cases');
    expect((await readdir(inbox())).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it.each([
    [
      'an unterminated quote',
      (l: string[]) => `${[l[0], `"${l[1]}`, ...l.slice(2)].join('\n')}\n`,
      'text/csv',
      /on line 2: unreadable CSV record: field 1 opens a quote/,
    ],
    ['a wrong header', (l: string[]) => `id,when\n${l[1]}\n`, 'text/csv', /the case CSV header is wrong/],
    [
      'an xlsx workbook',
      () => Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200)]),
      'application/octet-stream',
      /looks like a zip or \.xlsx workbook/,
    ],
    ['UTF-16 text', (l: string[]) => Buffer.from(`\uFEFF${l.join('\n')}`, 'utf16le'), 'text/csv', /is UTF-16 text/],
    [
      'binary bytes',
      () => Buffer.from([0, 159, 146, 150, 0, 1, 2, 3, 10]),
      'application/octet-stream',
      /header line is not UTF-8 text/,
    ],
  ])('refuses a case CSV with %s: 400 with the reason, nothing in the inbox', async (_what, body, type, reason) => {
    const before = await readdir(inbox()).catch(() => []);
    const res = await post('/api/admin/cases?name=bad.csv', body(lines) as string | Buffer, type);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(reason);
    expect(await readdir(inbox())).toEqual(before);
  });

  it("refuses the inbox's reserved names", async () => {
    for (const name of ['x.rejects.csv', '.hidden.csv', 'x.csv.part']) {
      const res = await post(`/api/admin/cases?name=${name}`, `${lines.join('\n')}\n`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toContain('is reserved');
    }
  });

  it('POST /api/admin/lists loads a clean sheet as a new version at once, with its label; the same file again is unchanged', async () => {
    const sheet = await readFile(join(ROOT, 'test/fixtures/reform/liangzhou-v2.csv'));
    const boundary = 'XyZ';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="liangzhou-v2.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      sheet,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await post(
      `/api/admin/lists?label=${encodeURIComponent('2025年版')}&list_date=2025-03-01`,
      body,
      `multipart/form-data; boundary=${boundary}`,
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'loaded', version_id: 2, file: 'liangzhou-v2.csv' });
    const versions = await app.inject({ method: 'GET', url: '/api/versions?format=json' });
    expect(versions.json()).toEqual(
      expect.arrayContaining([expect.objectContaining({ version_id: 2, label: '2025年版' })]),
    );
    const again = await post('/api/admin/lists?name=again.csv', sheet);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'unchanged', version_id: 2 });
  });

  it.each([
    [
      'a case export',
      (l: string[]) => `${l.join('\n')}\n`,
      'cases.csv',
      /is a case export .* POST \/api\/admin\/cases/,
    ],
    ['a sheet without 事项名称', () => '序号,名称\n1,x\n', 'sheet.csv', /sheet\.csv.*事项名称/],
    ['UTF-16 text', () => Buffer.from('\uFEFF序号\t事项名称\n', 'utf16le'), 'list.txt', /is UTF-16 text/],
    ['garbage under .xlsx', () => Buffer.from('not a workbook'), 'book.xlsx', /not an \.xlsx workbook/],
    ['a bad list date', () => '序号\n', 'l.txt&list_date=2025-02-30', /list_date must match format "date"/],
  ])(
    'POST /api/admin/lists refuses %s with a 400 and the reason, loading nothing',
    async (_what, body, name, reason) => {
      const res = await post(`/api/admin/lists?name=${name}`, body(lines) as string | Buffer);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatch(reason);
      expect(res.json().error).not.toContain(tmpdir());
      const versions = await app.inject({ method: 'GET', url: '/api/versions?format=json' });
      expect(versions.json()).toHaveLength(2);
    },
  );

  it('every CSV the API writes neutralises formula cells (table CSVs, the reform diff, the clean-sheet export)', async () => {
    await t.db.session((s) =>
      s.query(`UPDATE item SET name = $1 WHERE version_id = 2 AND seq = 1`, ['=HYPERLINK("http://x","y")']),
    );
    for (const url of [
      '/api/items?version=2&format=csv',
      '/api/reform/diff?from=1&to=2&format=csv',
      '/api/items/export.csv?version=2',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
      expect(res.body, url).not.toMatch(/(^|,)"?=HYPERLINK/m);
    }
  });

  it('POST /api/admin/lists needs the token', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/admin/lists?name=a.txt',
      headers: { 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(res.statusCode).toBe(401);
  });
});
