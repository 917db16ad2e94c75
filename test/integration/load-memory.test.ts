/**
 * Bounded memory: the corpus file with a 20 MB case id loads in a child process whose peak RSS
 * stays under 300 MB on PostgreSQL and 600 MB on PGlite (README, "Bad input"). The child's own
 * figure (process.resourceUsage().maxRSS) includes PGlite's heap; the list is loaded before, as
 * `etl load` would.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../db/connect.ts';
import { migrate } from '../../db/migrate.ts';
import { readMigrations } from '../../db/migrations.ts';
import { loadListFile } from '../../etl/run-etl.ts';
import { CORPUS } from '../fixtures/corpus/manifest.ts';
import { BUNDLED_CONFIG, BUNDLED_LIST } from '../helpers/bundled.ts';
import { corpusContext } from '../helpers/corpus.ts';
import { BACKENDS, createTestDb, ROOT, type TestDb } from '../helpers/test-db.ts';

const run = promisify(execFile);
const LIMIT_MB = { pg: 300, pglite: 600 } as const;

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quanze-memory-'));
  file = join(dir, 'cases-huge-id.csv');
  await writeFile(file, CORPUS.find((f) => f.name === 'cases-huge-id.csv')!.build(await corpusContext()));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.each(BACKENDS)('memory of a load on %s', (backend) => {
  let t: TestDb | undefined;
  let target: string;
  beforeAll(async () => {
    if (backend === 'pg') {
      t = await createTestDb('pg');
      target = t.url!;
      await loadListFile({ db: t.db, config: BUNDLED_CONFIG }, BUNDLED_LIST);
      return;
    }
    // A database folder with the list, closed before the child opens it (one process per folder).
    target = join(dir, 'pglite');
    const db = await connect({ kind: 'pglite', dir: target });
    await migrate(db, await readMigrations(join(ROOT, 'sql/migrations')));
    await loadListFile({ db, config: BUNDLED_CONFIG }, BUNDLED_LIST);
    await db.close();
  });
  afterAll(() => t?.drop());

  it(`a 20 MB case id: rejected, peak RSS under ${LIMIT_MB[backend]} MB`, async () => {
    const { stdout } = await run(
      join(ROOT, 'node_modules/.bin/tsx'),
      [join(ROOT, 'test/helpers/load-rss-child.ts'), backend, target, file],
      { cwd: ROOT, timeout: 120_000 },
    );
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as { loaded: number; rejected: number; rssMb: number };
    expect(r).toMatchObject({ loaded: 10, rejected: 1 });
    expect(r.rssMb, `peak RSS ${r.rssMb} MB`).toBeLessThan(LIMIT_MB[backend]);
  });
});
