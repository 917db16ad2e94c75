import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
    const r = await run(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'etl/cli.ts'), ...args], { cwd: ROOT, env, timeout: 120_000 });
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
