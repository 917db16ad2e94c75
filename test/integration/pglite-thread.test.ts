import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteThread } from '../../db/pglite-thread.ts';

describe('PGlite in its own thread', () => {
  let db: PgliteThread;
  beforeAll(async () => {
    db = await PgliteThread.open(null);
  });
  afterAll(() => db.close());

  it("answers queries and gives the database's errors with their fields", async () => {
    expect((await db.query<{ n: number }>('SELECT $1::int + 1 AS n', [41])).rows).toEqual([{ n: 42 }]);
    await db.exec('CREATE TABLE t (a int PRIMARY KEY, b text)');
    const err = await db.query('SELECT 1 / 0').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '22012', message: 'division by zero' });
    // The thread goes on after an error.
    expect((await db.query('INSERT INTO t VALUES (1, $1)', ['x'])).affectedRows).toBe(1);
  });

  it('COPYs bytes and blobs, in the order sent', async () => {
    const lines = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => `${from + i},"v${from + i}"\n`).join('');
    const copy = `COPY t FROM '/dev/blob' WITH (FORMAT csv)`;
    // Sent without waiting in between: each COPY must read its own blob (the last one a view of
    // a larger buffer: its first row only, without the line break).
    await Promise.all([
      db.query(copy, [], { blob: new TextEncoder().encode(lines(10, 1000)) }),
      db.query(copy, [], { blob: new Blob([lines(2000, 500)]) }),
      db.query(copy, [], { blob: new TextEncoder().encode(lines(5000, 10)).subarray(0, 12) }),
    ]);
    const { rows } = await db.query<{ n: number; last: string }>(
      `SELECT count(*)::int AS n, max(b) FILTER (WHERE a >= 5000) AS last FROM t WHERE a >= 10`,
    );
    expect(rows).toEqual([{ n: 1501, last: 'v5000' }]);
  });

  it("leaves this thread free while a long statement runs in the database's", async () => {
    let worst = 0;
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      worst = Math.max(worst, now - last - 10);
      last = now;
    }, 10);
    const t0 = Date.now();
    await db.query('SELECT sum(i * j) FROM generate_series(1, 3000) i, generate_series(1, 3000) j');
    const took = Date.now() - t0;
    clearInterval(timer);
    expect(took).toBeGreaterThan(200);
    // Timers kept firing while the statement ran (within a generous margin for a busy machine).
    expect(worst).toBeLessThan(took / 2);
  });
});

describe('a command with the embedded database open', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quanze-pglite-thread-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('waits for a pending statement, and an idle open database does not keep it running', async () => {
    const script = join(dir, 'script.mts');
    const thread = new URL('../../db/pglite-thread.ts', import.meta.url).pathname;
    await writeFile(
      script,
      `import { PgliteThread } from ${JSON.stringify(thread)};
const db = await PgliteThread.open(null);
// Nothing else keeps the process alive while this statement runs.
db.query('SELECT count(*)::int AS n FROM generate_series(1, 200000)').then((r) => console.log(r.rows[0].n));
`,
    );
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], {
      cwd: new URL('../..', import.meta.url).pathname,
      timeout: 60_000,
    }).toString();
    expect(out.trim()).toBe('200000');
  });
});
