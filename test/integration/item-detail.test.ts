import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadListFile } from '../../etl/run-etl.ts';
import { getArrow } from '../helpers/app.ts';
import { BUNDLED_CONFIG } from '../helpers/bundled.ts';
import { V1, V2 } from '../fixtures/reform/documented.ts';
import { BACKENDS } from '../helpers/test-db.ts';
import { suiteApp } from '../helpers/test-app.ts';

describe.each(BACKENDS)('item labels, history and stage order on %s', (backend) => {
  let app: FastifyInstance;

  suiteApp(
    backend,
    {
      before: async (t) => {
        await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, V1, {
          label: '2024年版',
          effectiveDate: '2024-01-01',
        });
        await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, V2, {
          label: '2025年版',
          effectiveDate: '2025-01-01',
        });
      },
    },
    (_t, built) => {
      app = built;
    },
  );

  it('labels every item of a version; only flagged names get a substitute, built from type and main basis', async () => {
    for (const version of [1, 2]) {
      const labels = [...(await getArrow(app, `/api/items/labels?version=${version}`))].map((r) => r.toJSON());
      const items = await getArrow(app, `/api/items?version=${version}`);
      expect(labels.map((l) => l.seq)).toEqual([...items.getChild('seq')!].map(Number));
      for (const l of labels) {
        if (l.name_quality === 'ok') expect(l).toMatchObject({ label: l.name, label_is_substitute: false });
        else {
          expect(l.label_is_substitute).toBe(true);
          expect(l.label).toMatch(new RegExp(`^第${l.seq}项 · ${l.power_type ?? '权力类型未读出'} · `));
          expect(l.label).not.toContain(l.name);
        }
      }
    }
  });

  it('follows an item across versions by its code', async () => {
    const latest = [...(await getArrow(app, '/api/items/labels'))].map((r) => r.toJSON());
    const first = latest.find((l) => l.code && l.name_quality === 'ok')!;
    const history = [...(await getArrow(app, `/api/items/${first.seq}/history`))].map((r) => r.toJSON());
    expect(history.map((h) => h.version_id)).toContain(2);
    expect(history.find((h) => h.version_id === 2)).toMatchObject({ seq: first.seq, matched_by: 'self' });
    for (const h of history.filter((x) => x.matched_by === 'code')) expect(h.code).toBe(first.code);
    expect((await getArrow(app, '/api/items/9999/history')).numRows).toBe(0);
  });

  it('gives the stage spans in the order a case passes through them', async () => {
    const spans = [...(await getArrow(app, '/api/timeliness/spans'))].map((r) => r.toJSON());
    expect(spans).toHaveLength(21);
    expect(spans.map((s) => s.span_order)).toEqual(spans.map((_, i) => i + 1));
    expect(spans[0]).toMatchObject({ span: 'received-accepted', span_label: '收件→受理' });
    expect(spans.at(-1)).toMatchObject({ span: 'served-closed' });
  });
});
