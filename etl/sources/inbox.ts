/**
 * The ETL inbox (DATA_DIR/inbox): exports dropped there are picked up by the next run, loaded once,
 * then moved to DATA_DIR/processed, or to DATA_DIR/failed with a `<name>.reason.txt` beside them.
 * Writers should create a file under a dot-name or `*.part` and rename it when complete (the
 * upload endpoint does): such names are never picked up half-written.
 */
import { open, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { CASE_COLUMNS } from '../parse/case-csv.ts';
import { rejectsPathFor } from '../load/case-rejects.ts';

export type InboxKind = 'list' | 'cases';

export interface InboxEntry {
  name: string;
  path: string;
  kind: InboxKind;
}

export interface InboxDirs {
  inbox: string;
  processed: string;
  failed: string;
}

export function inboxDirs(inboxDir: string): InboxDirs {
  const root = dirname(inboxDir);
  return { inbox: inboxDir, processed: join(root, 'processed'), failed: join(root, 'failed') };
}

const IGNORED = (n: string) => n.startsWith('.') || n.endsWith('.part') || n.endsWith('.reason.txt') || n.endsWith('.rejects.csv');

/**
 * The files waiting, lists first (cases are checked against the list, so a new list must land
 * before the cases that name its items), then by name. Unknown extensions are reported as failed.
 */
export async function scanInbox(dirs: InboxDirs): Promise<{ entries: InboxEntry[]; unknown: string[] }> {
  await mkdir(dirs.inbox, { recursive: true });
  const names = (await readdir(dirs.inbox, { withFileTypes: true })).filter((d) => d.isFile() && !IGNORED(d.name)).map((d) => d.name).sort();
  const entries: InboxEntry[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const path = join(dirs.inbox, name);
    const kind = await classify(path);
    if (kind) entries.push({ name, path, kind });
    else unknown.push(name);
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'list' ? -1 : 1));
  return { entries, unknown };
}

/** .txt list export, .xlsx clean sheet; a .csv is a case export when its header starts with case_id, else a clean sheet. */
export async function classify(path: string): Promise<InboxKind | null> {
  const ext = extname(path).toLowerCase();
  if (ext === '.txt' || ext === '.xlsx') return 'list';
  if (ext !== '.csv') return null;
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(256), 0, 256, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    return head.startsWith(`${CASE_COLUMNS[0]},`) ? 'cases' : 'list';
  } finally {
    await fh.close();
  }
}

/** A name in `dir` not taken yet: `<runId>-<name>`, with a counter if that exists too. */
function freeName(dir: string, runId: number, name: string): string {
  let candidate = `${runId}-${name}`;
  for (let i = 2; existsSync(join(dir, candidate)); i++) candidate = `${runId}-${i}-${name}`;
  return join(dir, candidate);
}

/** Moves a handled file (and its rejects file, if the load wrote one) out of the inbox. */
export async function moveHandled(dirs: InboxDirs, runId: number, path: string, outcome: { failed: string } | 'processed'): Promise<string> {
  const dir = outcome === 'processed' ? dirs.processed : dirs.failed;
  await mkdir(dir, { recursive: true });
  const target = freeName(dir, runId, basename(path));
  await rename(path, target);
  const rejects = rejectsPathFor(path);
  if (existsSync(rejects)) await rename(rejects, rejectsPathFor(target));
  if (outcome !== 'processed') await writeFile(`${target}.reason.txt`, `${outcome.failed}\n`);
  return target;
}
