import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_LIST } from '../helpers/bundled.ts';
import { ROOT } from '../helpers/test-db.ts';

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'quanze-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The CLI as a user runs it (`npm run -s etl -- …`), on an embedded database in a DATA_DIR of its own. */
async function etl(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
  try {
    const r = await run(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'etl/cli.ts'), ...args], {
      cwd: ROOT,
      env,
      timeout: 120_000,
    });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('etl load from the command line', () => {
  it('creates a DATA_DIR that does not exist yet, loads with a list date and prints what it recorded', async () => {
    const dataDir = join(scratch, 'new', 'deeper');
    const r = await etl(dataDir, 'load', BUNDLED_LIST, '--label', '2024年版', '--list-date', '2023-06-17');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^loaded as version 1: 80 items\n\d+ parse issues: field \(warning\) \d+, /);
    expect(r.stdout).toMatch(/\n {2}liangzhou\.txt: on line \d+: \w+/);
    const again = await etl(dataDir, 'load', BUNDLED_LIST);
    expect(again.stdout).toMatch(/^already loaded as version 1\n/);
  });

  it('refuses a list date that is not a calendar date, with exit code 1 and the reason', async () => {
    const r = await etl(join(scratch, 'other'), 'load', BUNDLED_LIST, '--list-date', '2023-02-30');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('--list-date 2023-02-30 is not a calendar date\n');
  });
});

describe('one process per embedded database', () => {
  it('a command against a folder a running server holds is refused, saying what to do; a stale lock is taken over', async () => {
    const dataDir = join(scratch, 'held');
    mkdirSync(dataDir, { recursive: true });
    const lock = join(dataDir, 'pglite.lock');
    // A live process (this test runner) holds the folder as a server would.
    writeFileSync(
      lock,
      JSON.stringify({
        pid: process.pid,
        role: 'server',
        startedAt: '2026-01-01T00:00:00Z',
        url: 'http://127.0.0.1:8089',
      }),
    );
    const refused = await etl(dataDir, 'load', BUNDLED_LIST);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(
      `is in use by the running server (pid ${process.pid} at http://127.0.0.1:8089); only one process may open it. Stop the server first, or hand the file to it: POST http://127.0.0.1:8089/api/admin/lists`,
    );
    expect(existsSync(join(dataDir, 'pglite'))).toBe(false);
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);

    // The holder died without removing its lock: the next command takes the folder, and frees it after.
    const dead = await run(process.execPath, ['-e', 'console.log(process.pid)']);
    writeFileSync(
      lock,
      JSON.stringify({ pid: Number(dead.stdout.trim()), role: 'server', startedAt: '2026-01-01T00:00:00Z' }),
    );
    const r = await etl(dataDir, 'load', BUNDLED_LIST);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^loaded as version 1: 80 items\n/);
    expect(existsSync(lock)).toBe(false);
  });
});
