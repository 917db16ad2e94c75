import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { runEtl } from '../../etl/run-etl.ts';
import { silentLog } from '../../core/log.ts';
import { getArrow, sumColumn } from '../helpers/app.ts';
import { BUNDLED_CONFIG } from '../helpers/bundled.ts';
import { BACKENDS, type TestDb } from '../helpers/test-db.ts';
import { suiteApp } from '../helpers/test-app.ts';

describe.each(BACKENDS)('read API on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;

  suiteApp(backend, {}, (testDb, built) => {
    t = testDb;
    app = built;
  });

  it('answers 503 with a reason before any list is loaded', async () => {
    const health = await app.inject('/api/health');
    expect(health.statusCode).toBe(503);
    const items = await app.inject('/api/items');
    expect(items.statusCode).toBe(503);
    expect(items.json().error).toMatch(/no list loaded/);
  });

  it('reports ok once the list is loaded', async () => {
    const report = await runEtl({ db: t.db, config: BUNDLED_CONFIG, log: silentLog, now: () => new Date(0) });
    expect(report.status).toBe('ok');
    const res = await app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', backend, version: 1, items: 80 });
  });

  it('serves the items as Arrow, one row per item', async () => {
    const items = await getArrow(app, '/api/items');
    expect(items.numRows).toBe(80);
    expect(items.schema.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['seq', 'code', 'name', 'power_type', 'section']),
    );
    const row13 = items.get(12)!.toJSON();
    expect(row13).toMatchObject({
      seq: 13,
      code: '11622301566438677P4620214010000',
      power_type: '行政处罚',
      section: '劳动监察大队',
    });
    expect(typeof row13.sub_items).toBe('number');
  });

  it('summarises items by power type and by section, each summing to the item count', async () => {
    const byType = await getArrow(app, '/api/summary/by-type');
    expect(byType.schema.fields.map((f) => f.name)).toEqual(['power_type', 'items']);
    expect(sumColumn(byType, 'items')).toBe(80);
    const bySection = await getArrow(app, '/api/summary/by-section');
    expect(bySection.schema.fields.map((f) => f.name)).toEqual(['section', 'items']);
    expect(sumColumn(bySection, 'items')).toBe(80);
    const json = (await app.inject('/api/summary/by-type?format=json')).json() as {
      power_type: string;
      items: number;
    }[];
    expect(json).toContainEqual({ power_type: '行政处罚', items: 36 });
  });

  it('serves CSV on request', async () => {
    const res = await app.inject('/api/summary/by-section?format=csv');
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.body.split('\n')[0]).toBe('section,items');
  });

  it.each([
    ['/api/items?format=xml', /format/],
    ['/api/items?colour=red', /additional properties/],
    ['/api/summary/by-type?version=abc', /version/],
    ['/api/summary/by-type?version=0', /version/],
  ])('refuses %s with a 400 and a JSON reason', async (url, reason) => {
    const res = await app.inject(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(reason);
  });

  it('answers 404 for a version that does not exist, and for unknown endpoints', async () => {
    const res = await app.inject('/api/items?version=9');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatch(/version 9/);
    expect((await app.inject('/api/nothing')).statusCode).toBe(404);
  });

  it('sends the security headers with every answer: data, errors and unknown paths, request after request', async () => {
    for (const url of [
      '/api/summary/by-type',
      '/api/summary/by-type?format=csv',
      '/api/items?version=9',
      '/api/nothing',
    ]) {
      for (let i = 0; i < 2; i++) {
        const { headers } = await app.inject(url);
        expect(headers['content-security-policy'], url).toBe(
          "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data: blob:;font-src 'self' data:;connect-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'",
        );
        expect(headers['x-content-type-options'], url).toBe('nosniff');
        expect(headers['x-frame-options'], url).toBe('SAMEORIGIN');
        expect(headers['referrer-policy'], url).toBe('no-referrer');
        expect(headers['cross-origin-opener-policy'], url).toBe('same-origin');
        expect(headers['strict-transport-security'], url).toBeUndefined();
      }
    }
  });

  it('lists the loaded versions', async () => {
    const versions = await getArrow(app, '/api/versions');
    expect(versions.numRows).toBe(1);
    expect(versions.get(0)!.toJSON()).toMatchObject({ version_id: 1, source_kind: 'pdf_text', item_count: 80 });
  });
});
