import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadListFile, runEtl } from '../../etl/run-etl.ts';
import { silentLog } from '../../core/log.ts';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.ts';
import { BUNDLED_LIST, BUNDLED_CONFIG, profile } from '../helpers/bundled.ts';

const fixedNow = () => new Date('2026-03-02T02:00:00Z');

describe.each(BACKENDS)('list ETL on %s', (backend) => {
  let t: TestDb;
  const dir = mkdtempSync(join(tmpdir(), 'quanze-etl-'));
  const config = BUNDLED_CONFIG;
  const counts = async () => ({
    versions: (await t.db.kysely.selectFrom('list_version').selectAll().execute()).length,
    items: (await t.db.kysely.selectFrom('item').select('seq').execute()).length,
    subs: (await t.db.kysely.selectFrom('sub_item').select('seq').execute()).length,
  });

  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('loads the bundled list: 80 items with provenance', async () => {
    const report = await runEtl({ db: t.db, config, log: silentLog, now: fixedNow });
    expect(report.status).toBe('ok');
    expect(report.steps[0]).toMatchObject({ status: 'loaded' });
    const c = await counts();
    expect(c).toMatchObject({ versions: 1, items: 80 });
    expect(c.subs).toBeGreaterThan(0);
    const item = await t.db.kysely.selectFrom('item').selectAll().where('seq', '=', 13).executeTakeFirstOrThrow();
    expect(item).toMatchObject({
      code: '11622301566438677P4620214010000',
      power_type: '行政处罚',
      section: '劳动监察大队',
    });
    expect(item.source_lines).toEqual([36]);
  });

  it('treats loading the same file again as a no-op', async () => {
    const before = await counts();
    const result = await loadListFile({ db: t.db, config }, BUNDLED_LIST);
    expect(result).toEqual({ status: 'unchanged', versionId: 1, bureauId: profile().bureau_id, warnings: [] });
    expect(await counts()).toEqual(before);
  });

  it('refuses an unparseable file by file and line, leaving the database as it was', async () => {
    const before = await counts();
    const bad = join(dir, 'broken.txt');
    const lines = readFileSync(BUNDLED_LIST, 'utf8').split('\n');
    // A damaged 序号 further down is recovered or reported (test/parse/list-sequence.test.ts); the first
    // item's 序号 starts the numbering, so without it the structure is unusable.
    lines[3] = lines[3]!.replace(/^1\t/, 'x1\t');
    writeFileSync(bad, lines.join('\n'));
    const report = await runEtl({ db: t.db, config: { ...config, listFile: bad }, log: silentLog, now: fixedNow });
    expect(report.status).toBe('failed');
    expect(report.steps[0]!.detail).toMatch(/broken\.txt: on line 4: 序号 "x1" of the first item is not a number/);
    expect(await counts()).toEqual(before);
  });

  it('loads a list that repeats a 序号 on two items (序号重复) as two items, the repeat under a free number', async () => {
    const before = await counts();
    const dup = join(dir, 'dup.txt');
    const lines = readFileSync(BUNDLED_LIST, 'utf8').split('\n');
    lines[31] = lines[31]!.replace(/^11\t/, '10\t');
    writeFileSync(dup, lines.join('\n'));
    const report = await runEtl({ db: t.db, config: { ...config, listFile: dup }, log: silentLog, now: fixedNow });
    expect(report.status).toBe('ok');
    expect(await counts()).toMatchObject({ versions: before.versions + 1, items: before.items + 80 });
    const issue = await t.db.kysely
      .selectFrom('parse_issue')
      .select(['line', 'message'])
      .where('message', 'like', '%stored as item 81%')
      .executeTakeFirstOrThrow();
    expect(issue.line).toBe(32);
  });

  it('rolls back a load that fails inside the database', async () => {
    const before = await counts();
    // A constraint that refuses every sub-item makes the load fail after its items were inserted.
    const copy = join(dir, 'copy.txt');
    copyFileSync(BUNDLED_LIST, copy);
    writeFileSync(copy, `${readFileSync(copy, 'utf8')}\n`);
    await sql`ALTER TABLE sub_item ADD CONSTRAINT test_no_subs CHECK (false) NOT VALID`.execute(t.db.kysely);
    try {
      await expect(loadListFile({ db: t.db, config }, copy)).rejects.toThrow(/test_no_subs/);
      expect(await counts()).toEqual(before);
    } finally {
      await t.db.kysely.schema.alterTable('sub_item').dropConstraint('test_no_subs').execute();
    }
  });

  it('keeps an edited file as a second version', async () => {
    const copy = join(dir, 'second.txt');
    writeFileSync(copy, `${readFileSync(BUNDLED_LIST, 'utf8')}\n`);
    expect(await loadListFile({ db: t.db, config }, copy)).toMatchObject({ status: 'loaded', versionId: 3, items: 80 });
    expect(await counts()).toMatchObject({ versions: 3, items: 240 });
  });
});
