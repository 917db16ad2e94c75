/**
 * The ETL inbox (DATA_DIR/inbox): exports dropped there are picked up by the next run, loaded once,
 * then moved to DATA_DIR/processed, or to DATA_DIR/failed with a `<name>.reason.txt` beside them.
 * Writers should create a file under a dot-name or `*.part` and rename it when complete (the
 * upload endpoint does): such names are never picked up half-written.
 */
import { open, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { CASE_COLUMNS } from '../parse/case-csv.ts';
import { splitCsvLine } from '../parse/csv-line.ts';
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

/** Names the inbox never picks up: half-written files, and what the ETL itself writes beside an input. */
export const IGNORED = (n: string) =>
  n.startsWith('.') || n.endsWith('.part') || n.endsWith('.reason.txt') || n.endsWith('.rejects.csv');

/** Longest stored file name, in UTF-8 bytes: the run prefix `<run>-` and `.reason.txt` still fit in 255. */
const MAX_NAME_BYTES = 160;

/**
 * The name an uploaded file is stored under in the inbox, or why it cannot be: only the last path
 * segment, characters other than letters, digits, CJK, `_ . -` replaced, names the inbox ignores
 * refused, and a name too long for the file system cut (with a hash of the whole, so two long
 * names stay apart). `ext` is the extension it must end with.
 */
export function uploadFileName(
  given: string,
  ext: readonly string[],
): { ok: true; name: string } | { ok: false; reason: string } {
  const last = given.split(/[\\/]/).pop() ?? '';
  if (IGNORED(last.toLowerCase()))
    return {
      ok: false,
      reason: `the file name "${last.slice(0, 80)}" is reserved (dot-names, *.part, *.rejects.csv, *.reason.txt are the ETL's own); rename the file`,
    };
  let base = last.replace(/[^\w.\-\u4e00-\u9fff]/g, '_');
  if (!base.replace(/[._]/g, '')) return { ok: false, reason: 'the file name is empty' };
  const dot = base.lastIndexOf('.');
  let suffix = dot > 0 ? base.slice(dot).toLowerCase() : '';
  if (!ext.includes(suffix)) suffix = ext[0]!;
  else base = base.slice(0, dot);
  if (Buffer.byteLength(base + suffix) > MAX_NAME_BYTES) {
    const tag = createHash('sha256').update(given).digest('hex').slice(0, 10);
    let cut = base;
    while (Buffer.byteLength(`${cut}-${tag}${suffix}`) > MAX_NAME_BYTES) cut = cut.slice(0, -1);
    base = `${cut}-${tag}`;
  }
  return { ok: true, name: base + suffix };
}

/**
 * The files waiting, lists first (cases are checked against the list, so a new list must land
 * before the cases that name its items), then by name. Unknown extensions are reported as failed.
 */
export async function scanInbox(dirs: InboxDirs): Promise<{ entries: InboxEntry[]; unknown: string[] }> {
  await mkdir(dirs.inbox, { recursive: true });
  const names = (await readdir(dirs.inbox, { withFileTypes: true }))
    .filter((d) => d.isFile() && !IGNORED(d.name))
    .map((d) => d.name)
    .sort();
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

/**
 * .txt list export, .xlsx clean sheet; a .csv is a case export when the first field of its header
 * line is `case_id` (quoted or not, after a BOM and spaces), else a clean sheet.
 */
export async function classify(path: string): Promise<InboxKind | null> {
  const ext = extname(path).toLowerCase();
  if (ext === '.txt' || ext === '.xlsx') return 'list';
  if (ext !== '.csv') return null;
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(4096), 0, 4096, 0);
    return isCaseHeader(buffer.subarray(0, bytesRead)) ? 'cases' : 'list';
  } finally {
    await fh.close();
  }
}

/** Whether the first line of `head` is a case CSV header by its first field (the full check comes at load). */
export function isCaseHeader(head: Uint8Array): boolean {
  const text = new TextDecoder('utf-8').decode(head).replace(/^\uFEFF/, '');
  const first = text.split(/\r\n|\n|\r/, 1)[0]!;
  const split = splitCsvLine(first);
  const field = split.ok ? split.fields[0]! : first.split(',', 1)[0]!.replace(/^"/, '');
  return field.trim() === CASE_COLUMNS[0];
}

/** A name in `dir` not taken yet: `<runId>-<name>`, with a counter if that exists too. */
function freeName(dir: string, runId: number, name: string): string {
  let candidate = `${runId}-${name}`;
  for (let i = 2; existsSync(join(dir, candidate)); i++) candidate = `${runId}-${i}-${name}`;
  return join(dir, candidate);
}

/** Moves a handled file (and its rejects file, if the load wrote one) out of the inbox. */
export async function moveHandled(
  dirs: InboxDirs,
  runId: number,
  path: string,
  outcome: { failed: string } | 'processed',
): Promise<string> {
  const dir = outcome === 'processed' ? dirs.processed : dirs.failed;
  await mkdir(dir, { recursive: true });
  const target = freeName(dir, runId, basename(path));
  await rename(path, target);
  const rejects = rejectsPathFor(path);
  if (existsSync(rejects)) await rename(rejects, rejectsPathFor(target));
  if (outcome !== 'processed') await writeFile(`${target}.reason.txt`, `${outcome.failed}\n`);
  return target;
}
