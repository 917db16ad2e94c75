import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../db/connect.ts';
import { silentLog } from '../../core/log.ts';
import { missedScheduledRun, previousTick } from '../../server/schedule.ts';
import { writeSyntheticCsv } from '../../etl/load/case-synthetic.ts';
import { runEtl } from '../../etl/run-etl.ts';
import { BUNDLED_LIST, BUREAU_FILE, BUNDLED_CONFIG } from '../helpers/bundled.ts';
import { BACKENDS, createTestDb, ROOT, type TestDb } from '../helpers/test-db.ts';

const config = BUNDLED_CONFIG;
const now = () => new Date('2026-06-01T00:00:00Z');

describe('catch-up check (Asia/Shanghai ticks)', () => {
  it.each([
    // 02:00 Shanghai = 18:00Z the day before
    ['0 2 * * *', '2026-11-29T15:00:00Z', '2026-11-28T18:00:00.000Z'],
    ['0 2 * * *', '2026-11-29T17:59:00Z', '2026-11-28T18:00:00.000Z'],
    ['0 2 * * *', '2026-11-29T18:00:00Z', '2026-11-29T18:00:00.000Z'],
    ['30 6 * * 1', '2026-11-29T15:00:00Z', '2026-11-22T22:30:00.000Z'],
  ])('%s at %s: previous tick %s', (expr, at, tick) => {
    expect(previousTick(expr, new Date(at))?.toISOString()).toBe(tick);
  });
  it('a run is missed when the last run started before the previous tick (a database that never ran missed nothing)', () => {
    const at = new Date('2026-11-29T15:00:00Z');
    expect(missedScheduledRun('0 2 * * *', null, at)).toBe(false);
    expect(missedScheduledRun('0 2 * * *', new Date('2026-11-28T17:00:00Z'), at)).toBe(true);
    expect(missedScheduledRun('0 2 * * *', new Date('2026-11-28T18:00:30Z'), at)).toBe(false);
  });
});

describe.each(BACKENDS)('scheduled ETL run on %s', (backend) => {
  let t: TestDb;
  let data: string;
  beforeAll(async () => {
    t = await createTestDb(backend);
    data = await mkdtemp(join(tmpdir(), 'quanze-runs-'));
  });
  afterAll(async () => {
    await t.drop();
    await rm(data, { recursive: true, force: true });
  });
  const q = <R>(sql: string, p: unknown[] = []) => t.db.session((s) => s.query<R>(sql, p));

  it('loads inbox files once, moves them to processed or failed with a reason, and records the run', async () => {
    const inbox = join(data, 'inbox');
    await mkdir(inbox, { recursive: true });
    await writeSyntheticCsv({
      root: ROOT,
      listFile: BUNDLED_LIST,
      bureauFile: BUREAU_FILE,
      rows: 200,
      seed: 3,
      year: 2025,
      out: join(inbox, 'export-a.csv'),
    });
    const text = await readFile(join(inbox, 'export-a.csv'), 'utf8');
    // A second export with one bad row, and a file whose header is wrong.
    const lines = text.trim().split('\n');
    await writeFile(
      join(inbox, 'export-b.csv'),
      `${[lines[0], lines[1]!.replace('SYN-2025-001', 'B-1').replace(/,true,([^,]*)$/, ',false,$1'), 'B-2,x'].join('\n')}\n`,
    );
    await writeFile(join(inbox, 'export-c.csv'), 'case_id,name\n1,2\n');
    await writeFile(join(inbox, 'notes.doc'), 'not data');
    await writeFile(join(inbox, '.upload.part'), 'half a file');

    const report = await runEtl({ db: t.db, config, log: silentLog, now }, { trigger: 'test', inboxDir: inbox });
    expect(report.status).toBe('failed'); // export-c and notes.doc failed; the others loaded
    const byFile = Object.fromEntries(report.steps.map((s) => [s.file, s.status]));
    expect(byFile).toMatchObject({
      'export-a.csv': 'loaded',
      'export-b.csv': 'loaded',
      'export-c.csv': 'failed',
      'notes.doc': 'failed',
    });
    expect(report.steps.find((s) => s.step === 'aggregates')?.status).toBe('loaded');

    expect((await readdir(inbox)).sort()).toEqual(['.upload.part']);
    const processed = (await readdir(join(data, 'processed'))).sort();
    expect(processed).toEqual([
      `${report.runId}-export-a.csv`,
      `${report.runId}-export-b.csv`,
      `${report.runId}-export-b.rejects.csv`,
    ]);
    const failed = (await readdir(join(data, 'failed'))).sort();
    expect(failed).toContain(`${report.runId}-export-c.csv.reason.txt`);
    expect(await readFile(join(data, 'failed', `${report.runId}-export-c.csv.reason.txt`), 'utf8')).toMatch(
      /export-c\.csv.*header is wrong/,
    );

    const [run] = await q<{
      status: string;
      trigger: string;
      rows_in: number;
      rows_loaded: number;
      rows_rejected: number;
      error: string;
      finished: boolean;
    }>(
      'SELECT status, trigger, rows_in, rows_loaded, rows_rejected, error, finished_at IS NOT NULL AS finished FROM etl_run WHERE run_id = $1',
      [report.runId],
    );
    expect(run).toMatchObject({
      status: 'failed',
      trigger: 'test',
      rows_in: 202,
      rows_loaded: 201,
      rows_rejected: 1,
      finished: true,
    });
    expect(run!.error).toContain('export-c.csv');
  });

  it('a file dropped again is not loaded twice', async () => {
    const inbox = join(data, 'inbox');
    const again = (await readdir(join(data, 'processed'))).find((n) => n.endsWith('export-a.csv'))!;
    await writeFile(join(inbox, 'export-a.csv'), await readFile(join(data, 'processed', again)));
    const before = (await q<{ n: number }>('SELECT count(*)::int AS n FROM case_record'))[0]!.n;
    const report = await runEtl({ db: t.db, config, log: silentLog, now }, { trigger: 'test', inboxDir: inbox });
    expect(report.status).toBe('ok');
    expect(report.steps.find((s) => s.file === 'export-a.csv')?.status).toBe('unchanged');
    expect((await q<{ n: number }>('SELECT count(*)::int AS n FROM case_record'))[0]!.n).toBe(before);
    expect(existsSync(join(inbox, 'export-a.csv'))).toBe(false);
  });

  it('loads the default synthetic year only while no case is loaded', async () => {
    const fresh = await createTestDb(backend);
    // A clock after the synthetic year's last stages (an earlier one refuses those stages as future).
    const later = () => new Date('2027-01-01T00:00:00Z');
    try {
      const r1 = await runEtl(
        { db: fresh.db, config, log: silentLog, now: later },
        { trigger: 'start', defaultCases: { root: ROOT } },
      );
      expect(r1.steps.find((s) => s.step === 'default-synthetic')?.status).toBe('loaded');
      const [f] = await fresh.db.session((s) =>
        s.query<{ synthetic: boolean; rows_loaded: number }>('SELECT synthetic, rows_loaded FROM case_file'),
      );
      expect(f).toEqual({ synthetic: true, rows_loaded: 30000 });
      const r2 = await runEtl(
        { db: fresh.db, config, log: silentLog, now: later },
        { trigger: 'start', defaultCases: { root: ROOT } },
      );
      expect(r2.steps.some((s) => s.step === 'default-synthetic')).toBe(false);
    } finally {
      await fresh.drop();
    }
  });

  it('two runs at once: one runs, the other is recorded as skipped', async () => {
    // On pg the second run comes from a second connection pool, as from a second server process.
    const other = backend === 'pg' ? await connect({ kind: 'pg', url: t.url! }) : t.db;
    try {
      const [a, b] = await Promise.all([
        runEtl({ db: t.db, config, log: silentLog, now }, { trigger: 'first' }),
        runEtl({ db: other, config, log: silentLog, now }, { trigger: 'second' }),
      ]);
      expect([a.status, b.status].sort()).toEqual(['ok', 'skipped']);
      const skipped = a.status === 'skipped' ? a : b;
      const [row] = await q<{ status: string; error: string }>('SELECT status, error FROM etl_run WHERE run_id = $1', [
        skipped.runId,
      ]);
      expect(row).toEqual({ status: 'skipped', error: 'another ETL run was in progress' });
    } finally {
      if (other !== t.db) {
        // Db.close() ends the pool through Kysely, which only owns it after a first Kysely query;
        // the skipped run used plain sessions only, so make one before closing.
        await other.kysely.selectFrom('etl_run').select('run_id').execute();
        await other.close();
      }
    }
  });
});
