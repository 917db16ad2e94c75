import type { FastifyInstance } from 'fastify';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticCsv } from '../../etl/load/case-synthetic.ts';
import { runEtl } from '../../etl/run-etl.ts';
import { buildApp } from '../../server/app.ts';
import { silentLog } from '../../core/log.ts';
import { getArrow } from '../helpers/app.ts';
import { BUNDLED_LIST, BUREAU_FILE, BUNDLED_CONFIG, profile } from '../helpers/bundled.ts';
import { BACKENDS, createTestDb, ROOT, type TestDb } from '../helpers/test-db.ts';

const TOKEN = 'test-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const config = BUNDLED_CONFIG;
const now = () => new Date('2026-11-29T02:00:00Z');

describe.each(BACKENDS)('ETL admin endpoints on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  let dir: string;
  let csv: string;
  const inbox = () => join(dir, 'inbox');

  beforeAll(async () => {
    t = await createTestDb(backend);
    dir = await mkdtemp(join(tmpdir(), 'quanze-admin-'));
    await writeSyntheticCsv({
      root: ROOT,
      listFile: BUNDLED_LIST,
      bureauFile: BUREAU_FILE,
      rows: 120,
      seed: 11,
      year: 2025,
      out: join(dir, 'gen.csv'),
    });
    const lines = (await readFile(join(dir, 'gen.csv'), 'utf8')).trim().split('\n');
    csv = `${[...lines, 'BAD-1,11622301566438677P,nope'].join('\n')}\n`;
    app = await buildApp(
      {
        db: t.db,
        bureauId: profile().bureau_id,
        adminToken: TOKEN,
        inboxDir: join(dir, 'inbox'),
        uploadLimitBytes: 64 * 1024,
        runEtl: (trigger) =>
          runEtl({ db: t.db, config, log: silentLog, now }, { trigger, inboxDir: join(dir, 'inbox') }),
      },
      { logger: false },
    );
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['POST', '/api/admin/etl/run', {}, 401],
    ['POST', '/api/admin/etl/run', { authorization: 'Bearer wrong-token-wrong-token' }, 403],
    ['POST', '/api/admin/cases', { 'content-type': 'text/csv' }, 401],
    ['POST', '/api/admin/cases', { 'content-type': 'text/csv', authorization: 'Basic abc' }, 401],
    ['POST', '/api/admin/cases', { 'content-type': 'text/csv', authorization: 'Bearer nope' }, 403],
  ] as const)('%s %s with headers %j → %i and a JSON error', async (method, url, headers, code) => {
    const res = await app.inject({ method, url, headers, payload: 'x' });
    expect(res.statusCode).toBe(code);
    expect(res.json()).toMatchObject({ statusCode: code, error: expect.stringMatching(/ADMIN_TOKEN|token/) });
  });

  it('refuses everything when the server has no token', async () => {
    const closed = await buildApp(
      { db: t.db, bureauId: profile().bureau_id, adminToken: null, inboxDir: inbox() },
      { logger: false },
    );
    const res = await closed.inject({ method: 'POST', url: '/api/admin/etl/run', headers: auth });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toContain('ADMIN_TOKEN');
    await closed.close();
  });

  it('refuses an oversize upload with 413 and leaves nothing in the inbox', async () => {
    const big = 'x'.repeat(70 * 1024);
    const res = await app.inject({
      method: 'POST',
      url: '/api/admin/cases?name=big.csv',
      headers: { ...auth, 'content-type': 'text/csv' },
      payload: big,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toContain('UPLOAD_LIMIT_MB');
    const form = multipart('big.csv', big);
    const res2 = await app.inject({
      method: 'POST',
      url: '/api/admin/cases',
      headers: { ...auth, 'content-type': form.type },
      payload: form.body,
    });
    expect(res2.statusCode).toBe(413);
    expect(await readdir(inbox()).catch(() => [])).toEqual([]);
  });

  it('refuses an upload whose header is wrong with 400', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/admin/cases?name=wrong.csv',
      headers: { ...auth, 'content-type': 'text/csv' },
      payload: 'a,b\n1,2\n',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/wrong\.csv.*header is wrong/);
  });

  it('accepts a raw and a multipart upload into the inbox; a triggered run loads them; runs, files and rejects are listed', async () => {
    const raw = await app.inject({
      method: 'POST',
      url: '/api/admin/cases?name=raw.csv',
      headers: { ...auth, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(raw.statusCode, raw.body).toBe(202);
    expect(raw.json()).toMatchObject({ file: 'raw.csv', bytes: Buffer.byteLength(csv) });
    const form = multipart('../../form upload.csv', csv.replace(/SYN-2025-/g, 'F-'));
    const mp = await app.inject({
      method: 'POST',
      url: '/api/admin/cases',
      headers: { ...auth, 'content-type': form.type },
      payload: form.body,
    });
    expect(mp.statusCode, mp.body).toBe(202);
    expect(mp.json().file).toBe('form_upload.csv');
    expect((await readdir(inbox())).sort()).toEqual(['form_upload.csv', 'raw.csv']);

    const run = await app.inject({ method: 'POST', url: '/api/admin/etl/run', headers: auth });
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json()).toMatchObject({ status: 'ok' });

    const runs = await getArrow(app, '/api/runs');
    expect(runs.numRows).toBe(1);
    const r = runs.get(0)!.toJSON();
    expect(r).toMatchObject({ trigger: 'api', status: 'ok', rows_in: 242, rows_loaded: 240, rows_rejected: 2 });

    const files = await getArrow(app, '/api/case-files');
    expect(files.numRows).toBe(2);
    expect([...files].map((f) => [f.file_name, f.synthetic, f.rows_loaded, f.rows_rejected]).sort()).toEqual([
      ['form_upload.csv', true, 120, 1],
      ['raw.csv', true, 120, 1],
    ]);
    const fileId = Number(files.get(0)!.file_id);
    const rejects = await app.inject({ method: 'GET', url: `/api/case-rejects?file_id=${fileId}&format=json` });
    expect(rejects.json()).toEqual([
      { line: 122, field: 'row', value: 'BAD-1,11622301566438677P,nope', reason: 'expected 16 fields, got 3' },
    ]);
    const csvOut = await app.inject({ method: 'GET', url: '/api/runs?format=csv' });
    expect(csvOut.body.split('\n')[0]).toBe(
      'run_id,trigger,status,started_at,finished_at,rows_in,rows_loaded,rows_rejected,steps,detail,error',
    );
  });

  it('validates query strings', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/case-rejects' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/runs?bogus=1' })).statusCode).toBe(400);
    const missing = await app.inject({ method: 'GET', url: '/api/case-rejects?file_id=999' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toContain('/api/case-files');
  });
});

function multipart(filename: string, content: string): { type: string; body: Buffer } {
  const b = '----quanze-test-boundary';
  const body = Buffer.from(
    `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${b}--\r\n`,
  );
  return { type: `multipart/form-data; boundary=${b}`, body };
}
