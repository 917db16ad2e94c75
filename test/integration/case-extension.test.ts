/**
 * Approved extensions of statutory time limits (the optional extension_approved_at column): loaded
 * by both readers, judged within limit + extension where the limit provides one, counted apart on
 * /api/timeliness and shown with the limit applied on /api/timeliness/late. Both backends.
 */
import type { FastifyInstance } from 'fastify';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../core/log.ts';
import { refreshCaseAggregates } from '../../etl/load/case-aggregates.ts';
import { loadCaseFile } from '../../etl/load/case-load.ts';
import { CASE_COLUMNS } from '../../etl/parse/case-csv.ts';
import { runEtl } from '../../etl/run-etl.ts';
import { BUNDLED_CONFIG, profile } from '../helpers/bundled.ts';
import { loadReferenceData } from '../helpers/cases.ts';
import { BACKENDS, type TestDb } from '../helpers/test-db.ts';
import { suiteApp } from '../helpers/test-app.ts';

const P = '11622301566438677P';
const LICENCE = `${P}4620114001000`; // 行政许可: accepted→decided 20 working days, +10 with approval
const ARBITRATION = `${P}4621014026000`; // 劳动人事争议仲裁: accepted→closed 45 days, +15 with approval
const PENALTY = `${P}4620214012000`; // 行政处罚: accepted→decided 90 days, no extension
const BUREAU = profile().bureau_id;
const now = () => new Date('2026-06-01T00:00:00Z');
const T = (d: string) => `${d}T10:00:00+08:00`;
const OLD_HEADER = CASE_COLUMNS.join(',');
const NEW_HEADER = `${OLD_HEADER},extension_approved_at`;

/** One case line without the extension column; stages by name. */
function line(
  id: string,
  item: string,
  stages: Partial<Record<'received' | 'accepted' | 'decided' | 'closed', string>>,
) {
  const outcome = stages.decided ? 'approved' : 'pending';
  const at = (s: keyof typeof stages) => (stages[s] ? T(stages[s]!) : '');
  return [
    id,
    BUREAU,
    item,
    '',
    at('received'),
    at('accepted'),
    '',
    '',
    at('decided'),
    '',
    at('closed'),
    outcome,
    '',
    '',
    'false',
  ].join(',');
}

/**
 * From Friday 2024-03-01 the 20th working day is Friday 03-29, the 30th Monday 04-15 (清明 04-04..06
 * off, Sunday 04-07 worked). 45 days end Monday 04-15, 60 days Tuesday 04-30.
 */
const L = (id: string, decided: string) =>
  line(id, LICENCE, { received: '2024-03-01', accepted: '2024-03-01', decided });
const EXTENDED: [string, string][] = [
  [L('X1', '2024-04-15'), '2024-03-25'], // within 20 + 10, approved in time: on time within the extension
  [L('X3', '2024-04-16'), '2024-03-25'], // past 20 + 10: late (exceeded)
  [L('X4', '2024-04-08'), '2024-03-30'], // approved the day after the 20th working day: late, unapplied
  [
    line('X5', ARBITRATION, {
      received: '2024-03-01',
      accepted: '2024-03-01',
      decided: '2024-04-30',
      closed: '2024-04-30',
    }),
    '2024-04-01',
  ],
  [line('X6', PENALTY, { accepted: '2024-03-01', decided: '2024-06-10' }), '2024-04-01'], // no provision: late, unapplied
  [L('X7', '2024-03-20'), ''], // on time, the column empty
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quanze-case-extension-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
const write = async (name: string, header: string, lines: string[]) => {
  const p = join(dir, name);
  await writeFile(p, `${[header, ...lines].join('\n')}\n`);
  return p;
};

describe.each(BACKENDS)('approved extensions on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  const prepare = async (testDb: TestDb) => {
    await runEtl({ db: testDb.db, config: BUNDLED_CONFIG, log: silentLog, now: () => new Date(0) });
    await loadReferenceData(testDb.db);
  };
  suiteApp(backend, { deps: { bureauId: BUREAU }, before: prepare }, (testDb, built) => {
    t = testDb;
    app = built;
  });
  const approvals = async () =>
    Object.fromEntries(
      (
        await t.db.session((s) =>
          s.query<{ case_id: string; at: string | null }>(
            'SELECT case_id, extension_approved_at::text AS at FROM case_record ORDER BY case_id',
          ),
        )
      ).map((r) => [r.case_id, r.at]),
    );
  const json = async (url: string) => (await app.inject(url)).json() as Record<string, unknown>[];

  it('loads a file without the column exactly as before: no case extended', async () => {
    const p = await write(`${backend}-old.csv`, OLD_HEADER, [L('X2', '2024-04-15'), L('X8', '2024-03-20')]);
    const r = await loadCaseFile(t.db, p, { bureauId: BUREAU, now });
    expect(r).toMatchObject({ status: 'loaded', rowsIn: 2, rowsLoaded: 2, rowsRejected: 0, reader: 'papaparse' });
    expect(await approvals()).toEqual({ X2: null, X8: null });
  });

  it('loads the column with the fast reader, rejecting a bad value with line, field, value and reason', async () => {
    const lines = EXTENDED.map(([l, at]) => `${l},${at}`);
    lines.splice(2, 0, `${L('BAD-1', '2024-04-15')},soon`); // line 4
    lines.push(`${L('BAD-2', '2024-04-15')},2024-02-28`); // line 9: before the case started
    lines.push(L('BAD-3', '2024-04-15')); // line 10: 15 fields under a 16-column header
    const r = await loadCaseFile(t.db, await write(`${backend}-new.csv`, NEW_HEADER, lines), { bureauId: BUREAU, now });
    expect(r).toMatchObject({ status: 'loaded', rowsIn: 9, rowsLoaded: 6, rowsRejected: 3, reader: 'papaparse' });
    const rejects = await t.db.session((s) =>
      s.query<{ line: number; field: string; value: string; reason: string }>(
        'SELECT line, field, value, reason FROM case_reject WHERE file_id = $1 ORDER BY line',
        [r.status === 'loaded' ? r.fileId : 0],
      ),
    );
    expect(rejects.map((x) => [x.line, x.field])).toEqual([
      [4, 'extension_approved_at'],
      [9, 'extension_approved_at'],
      [10, 'row'],
    ]);
    expect(rejects.slice(0, 2).map((x) => x.value)).toEqual(['soon', '2024-02-28']);
    expect(rejects[0]!.reason).toMatch(/YYYY-MM-DD/);
    expect(rejects[1]!.reason).toMatch(/before the case started/);
    expect(rejects[2]!.reason).toBe('expected 16 fields, got 15');
    expect(await approvals()).toEqual({
      X1: '2024-03-25',
      X2: null,
      X3: '2024-03-25',
      X4: '2024-03-30',
      X5: '2024-04-01',
      X6: '2024-04-01',
      X7: null,
      X8: null,
    });
  });

  it('the line reader (quoted fields) reads the column to the same cases', async () => {
    const before = await approvals();
    // Quoted fields through the line reader; the same cases replace themselves.
    const lines = EXTENDED.map(([l, at]) => `"${l.split(',')[0]}",${l.split(',').slice(1).join(',')},"${at}"`);
    const r = await loadCaseFile(t.db, await write(`${backend}-quoted.csv`, NEW_HEADER, lines), {
      bureauId: BUREAU,
      now,
      reader: 'lines',
    });
    expect(r).toMatchObject({ status: 'loaded', rowsLoaded: 6, rowsRejected: 0, replaced: 6, reader: 'lines' });
    expect(await approvals()).toEqual(before);
  });

  it('judges within limit + extension when approved in time and provided for; counts on time, extended and late apart', async () => {
    const report = await refreshCaseAggregates(t.db);
    expect(report.extendedSpans).toBe(2); // X1, X5
    const spans = await json('/api/timeliness?per=window&format=json');
    const bySpan = (span: string) => spans.filter((r) => r.span === span);
    const sum = (rows: Record<string, unknown>[], k: string) => rows.reduce((n, r) => n + Number(r[k]), 0);
    // accepted→decided: licences X1 (extended), X2 (late: the same case, not approved), X3, X4 (late),
    // X7, X8 (on time); penalty X6 (late, no provision).
    const ad = bySpan('accepted-decided');
    expect({
      on_time: sum(ad, 'on_time'),
      on_time_extended: sum(ad, 'on_time_extended'),
      late: sum(ad, 'late'),
      extension_unapplied: sum(ad, 'extension_unapplied'),
    }).toEqual({ on_time: 2, on_time_extended: 1, late: 4, extension_unapplied: 2 });
    // accepted→closed: arbitration X5, 60 days with the approved 15.
    expect(bySpan('accepted-closed').map((r) => [r.on_time, r.on_time_extended, r.late])).toEqual([[0, 1, 0]]);
    // The on-time rate counts what kept the law, extension included.
    const licence = ad.find((r) => Number(r.on_time_extended) === 1)!;
    expect(licence.on_time_rate).toBeCloseTo(3 / 6);
  });

  it('shows the limit applied, extension included, on the late examples', async () => {
    const late = await json('/api/timeliness/late?span=accepted-decided&format=json');
    const licence = late.find((r) => r.item_code === LICENCE)!;
    expect(licence).toMatchObject({
      limit: '20个工作日（经批准可延长10个工作日）',
      on_time: 2,
      on_time_extended: 1,
      late: 3,
      extension_unapplied: 1,
    });
    const examples = String(licence.examples).split('；');
    expect(examples).toContain(
      'X3（2024-03-01→2024-04-16，31个工作日，超过延长后时限20个工作日+10个工作日（延长于2024-03-25批准））',
    );
    expect(examples).toContain('X2（2024-03-01→2024-04-15，30个工作日）');
    expect(examples.find((e) => e.startsWith('X4'))).toMatch(/延长于2024-03-30批准，已过原期限/);
    const penalty = late.find((r) => r.item_code === PENALTY)!;
    expect(penalty).toMatchObject({ limit: '90日', extension_unapplied: 1 });
    expect(String(penalty.examples)).toMatch(
      /^X6（2024-03-01→2024-06-10，101日，时限90日：已批准延长（2024-04-01），但该时限无延长规定）$/,
    );
    // Nothing extended on time is listed as late.
    expect(late.flatMap((r) => String(r.examples).split('；')).some((e) => /^X[15]（/.test(e))).toBe(false);
  });

  it('a reloaded file without the column takes the approvals away again', async () => {
    const p = await write(`${backend}-old-again.csv`, OLD_HEADER, [L('X1', '2024-04-15')]);
    expect(await loadCaseFile(t.db, p, { bureauId: BUREAU, now })).toMatchObject({ rowsLoaded: 1, replaced: 1 });
    await refreshCaseAggregates(t.db);
    const late = await json('/api/timeliness/late?span=accepted-decided&format=json');
    expect(late.find((r) => r.item_code === LICENCE)).toMatchObject({ on_time_extended: 0, late: 4 });
  });
});
