import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { silentLog } from '../../core/log.ts';
import { loadListFile, loadListStep } from '../../etl/run-etl.ts';
import { BUNDLED_CONFIG, bundledText } from '../helpers/bundled.ts';
import { suiteApp } from '../helpers/test-app.ts';
import { BACKENDS, type TestDb } from '../helpers/test-db.ts';

/** Lists as the next loads bring them, loaded as a user loads them: a repeated 序号, a file cut off. */
const LINES = bundledText().split('\n');
const lineOf = (seq: number) => LINES.findIndex((l) => l.startsWith(`${seq}\t`)) + 1;

describe.each(BACKENDS)('loading lists with sequence problems on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  const dir = mkdtempSync(join(tmpdir(), 'quanze-seq-'));
  suiteApp(backend, {}, (testDb, built) => {
    t = testDb;
    app = built;
  });

  it('keeps an item that repeats another 序号 as an item of its own, stored under a free number, and says so', async () => {
    const lines = [...LINES];
    const at = lineOf(11);
    lines[at - 1] = lines[at - 1]!.replace(/^11\t/, '10\t');
    const file = join(dir, 'dup.txt');
    writeFileSync(file, lines.join('\n'));
    const r = await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, file);
    expect(r).toMatchObject({ status: 'loaded', items: 80 });
    const items = await t.db.kysely
      .selectFrom('item')
      .select(['seq', 'code'])
      .where('version_id', '=', r.versionId)
      .orderBy('seq')
      .execute();
    expect(
      items.filter((i) => i.code?.endsWith('4620214007000') || i.code?.endsWith('4620214008000')).map((i) => i.seq),
    ).toEqual([10, 81]);
    const issues = (await app.inject(`/api/quality/issues?format=json&version=${r.versionId}`)).json() as {
      line: number;
      kind: string;
      severity: string;
      message: string;
    }[];
    expect(issues.filter((i) => i.kind === 'seq_duplicate').map((i) => [i.line, i.message])).toEqual([
      [at, expect.stringMatching(`^序号 "10" repeats item 10 of line ${lineOf(10)} \\(序号重复\\): its name`)],
      [
        at,
        '序号 10 is used by an earlier item (序号重复): this item is stored as item 81 so that neither is lost; correct the 序号 in the file',
      ],
    ]);
    expect(issues[0]).toMatchObject({ severity: 'warning' });
  });

  it('loads a file cut off inside an item with a warning in the run report that names the last complete item', async () => {
    // The file stops inside the first rows of item 3 (a page break had cut its 实施依据).
    const file = join(dir, 'cut.txt');
    writeFileSync(file, LINES.slice(0, 9).join('\n'));
    const step = await loadListStep({ db: t.db, config: BUNDLED_CONFIG, log: silentLog, now: () => new Date(0) }, file);
    expect(step.status).toBe('loaded');
    expect(step.detail).toMatch(
      /^version \d+: 3 items, \d+ parse issues; warning: cut\.txt: on line 9: the file ends inside item 3 \(truncated\): .*the last complete item is 2 \(line 5\)/,
    );
    const versions = await t.db.kysely
      .selectFrom('list_version')
      .select('version_id')
      .orderBy('version_id', 'desc')
      .executeTakeFirstOrThrow();
    const issues = (await app.inject(`/api/quality/issues?format=json&version=${versions.version_id}`)).json() as {
      kind: string;
    }[];
    expect(issues[0]!.kind).toBe('truncated');
  });
});
