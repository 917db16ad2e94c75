/**
 * Every client error is a 4xx: each registered route (the app's own list, so a new route is walked
 * too) gets out-of-range, non-numeric, huge and impossible values in each of its declared query
 * and path parameters, and hostile bodies on the admin endpoints. No answer may be a 500.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../core/log.ts';
import { loadListFile, runEtl } from '../../etl/run-etl.ts';
import { buildApp } from '../../server/app.ts';
import { BUNDLED_CONFIG, profile } from '../helpers/bundled.ts';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.ts';

const TOKEN = 'route-walk-admin-token-0123';
const HOSTILE = [
  '2147483648',
  '-2147483649',
  '1e309',
  '-1',
  '0',
  '1.5',
  'abc',
  '9'.repeat(400),
  '9999-99-99',
  '2025-02-30',
  '',
  '%00',
  "1' OR '1'='1",
  'x'.repeat(5000),
];

describe.each(BACKENDS)('route walk on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDb(backend);
    dir = await mkdtemp(join(tmpdir(), 'quanze-walk-'));
    const now = () => new Date('2026-06-01T00:00:00Z');
    await runEtl({ db: t.db, config: BUNDLED_CONFIG, log: silentLog, now });
    app = await buildApp({
      db: t.db,
      bureauId: profile().bureau_id,
      adminToken: TOKEN,
      inboxDir: join(dir, 'inbox'),
      uploadLimitBytes: 64 * 1024,
      runEtl: (trigger) =>
        runEtl({ db: t.db, config: BUNDLED_CONFIG, log: silentLog, now }, { trigger, inboxDir: join(dir, 'inbox') }),
      loadList: (path, meta) => loadListFile({ db: t.db, config: BUNDLED_CONFIG }, path, meta),
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('walks every registered route with hostile parameter values: never a 500', async () => {
    const routes = app.registeredRoutes.filter((r) => r.method === 'GET');
    expect(routes.length).toBeGreaterThan(20);
    const failures: string[] = [];
    let requests = 0;
    for (const r of routes) {
      const pathParams = Object.keys(r.params?.properties ?? {}).length
        ? Object.keys(r.params!.properties!)
        : [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      const fill = (v: string) => r.url.replace(/:(\w+)/g, () => encodeURIComponent(v));
      const urls: string[] = [];
      if (pathParams.length) for (const v of HOSTILE) if (v !== '') urls.push(fill(v));
      const base = fill('1');
      for (const q of Object.keys(r.querystring?.properties ?? {}))
        for (const v of HOSTILE) urls.push(`${base}?${q}=${encodeURIComponent(v)}`);
      urls.push(`${base}?unknown_param=1`);
      for (const url of urls) {
        const res = await app.inject({ method: 'GET', url });
        requests++;
        if (res.statusCode >= 500)
          failures.push(`${res.statusCode} GET ${url.slice(0, 120)}: ${res.body.slice(0, 160)}`);
      }
    }
    expect(requests).toBeGreaterThan(300);
    expect(failures).toEqual([]);
  });

  it.each([
    ['/api/items?version=2147483648', /version must be <= 2147483647/],
    ['/api/items?version=1e309', /version must be a whole number from 1 up to 2147483647, got "1e309"/],
    ['/api/items/2147483648/source', /seq must be <= 2147483647/],
    ['/api/case-rejects?file_id=2147483648', /file_id must be <= 2147483647/],
    ['/api/citations?today=9999-99-99', /today must match format "date"/],
    ['/api/citations?today=2025-02-30', /today must match format "date"/],
  ])('%s is a 400 saying what is wrong', async (url, message) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(message);
  });

  it('the admin endpoints answer hostile bodies and names with a 4xx', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const posts = app.registeredRoutes.filter((r) => r.method === 'POST' && r.url !== '/api/admin/etl/run');
    expect(posts.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const r of posts) {
      const attempts: { what: string; headers: Record<string, string>; url: string; payload: string | Buffer }[] = [
        {
          what: 'malformed multipart',
          headers: { ...auth, 'content-type': 'multipart/form-data; boundary=XYZ' },
          url: r.url,
          payload: '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nnot closed',
        },
        {
          what: 'multipart without boundary',
          headers: { ...auth, 'content-type': 'multipart/form-data' },
          url: r.url,
          payload: 'x',
        },
        {
          what: '90 CJK characters name',
          headers: { ...auth, 'content-type': 'text/csv' },
          url: `${r.url}?name=${encodeURIComponent(`${'劳'.repeat(90)}.csv`)}`,
          payload: 'a,b\n',
        },
        {
          what: 'long multipart filename',
          headers: { ...auth, 'content-type': 'multipart/form-data; boundary=XYZ' },
          url: r.url,
          payload: `--XYZ\r\nContent-Disposition: form-data; name="file"; filename="${'a'.repeat(3000)}.csv"\r\nContent-Type: text/csv\r\n\r\na,b\n\r\n--XYZ--\r\n`,
        },
        {
          what: 'binary body',
          headers: { ...auth, 'content-type': 'application/octet-stream' },
          url: `${r.url}?name=x.csv`,
          payload: Buffer.from([0, 1, 2, 255, 254, 0, 7]),
        },
        {
          what: 'zip body',
          headers: { ...auth, 'content-type': 'application/octet-stream' },
          url: `${r.url}?name=x.csv`,
          payload: Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100)]),
        },
        {
          what: 'UTF-16 body',
          headers: { ...auth, 'content-type': 'text/csv' },
          url: `${r.url}?name=x.csv`,
          payload: Buffer.from('\uFEFFcase_id,bureau_id\n', 'utf16le'),
        },
        {
          what: 'reserved name',
          headers: { ...auth, 'content-type': 'text/csv' },
          url: `${r.url}?name=x.rejects.csv`,
          payload: 'a\n',
        },
        { what: 'JSON body', headers: { ...auth, 'content-type': 'application/json' }, url: r.url, payload: '{"a":' },
      ];
      for (const a of attempts) {
        const res = await app.inject({ method: 'POST', url: a.url, headers: a.headers, payload: a.payload });
        if (res.statusCode < 400 || res.statusCode >= 500)
          failures.push(`${res.statusCode} POST ${r.url} (${a.what}): ${res.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
