/**
 * One process per embedded database folder. PGlite is embedded: two processes opening the same
 * folder each keep their own copy in memory and overwrite each other's files, so a CLI load
 * beside a running server was silently lost. The process that opens the folder holds a lock
 * file beside it (`DATA_DIR/pglite.lock`: pid, role, and the server's address once it listens);
 * a lock whose process is gone is stale and taken over.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, rm, writeFile } from 'node:fs/promises';

export interface LockInfo {
  pid: number;
  /** `server` (npm start) or the CLI command that holds the folder. */
  role: string;
  startedAt: string;
  /** The server's address, once it listens: where to send work instead. */
  url?: string;
}

export class FolderLocked extends Error {
  override name = 'FolderLocked';
  constructor(
    readonly lockPath: string,
    readonly holder: LockInfo,
    message: string,
  ) {
    super(message);
  }
}

export interface FolderLock {
  path: string;
  /** Adds what others should know (the server's URL) to the lock file. */
  note(extra: Partial<LockInfo>): Promise<void>;
  release(): Promise<void>;
}

/** Whether a process of that id is running (EPERM: running under another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(path: string): Promise<LockInfo | null> {
  try {
    const info = JSON.parse(await readFile(path, 'utf8')) as LockInfo;
    return Number.isInteger(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/** What a refused command should do instead, for the message. */
export function lockedMessage(folder: string, h: LockInfo): string {
  const where = h.url ? ` at ${h.url}` : '';
  const todo =
    h.role === 'server'
      ? `Stop the server first, or hand the file to it: POST ${h.url ?? ''}/api/admin/lists (a list) or POST ${h.url ?? ''}/api/admin/cases (a case CSV) with "Authorization: Bearer $ADMIN_TOKEN", or put it into the inbox folder for the next run (README, "Loading cases")`
      : 'Wait for that command to finish, then run this one again';
  return `the embedded database ${folder} is in use by ${h.role === 'server' ? 'the running server' : `"etl ${h.role}"`} (pid ${h.pid}${where}); only one process may open it. ${todo}`;
}

export async function acquireFolderLock(lockPath: string, folder: string, role: string): Promise<FolderLock> {
  const info: LockInfo = { pid: process.pid, role, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(lockPath, 'wx');
      await fh.writeFile(JSON.stringify(info));
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err;
      const holder = await readLock(lockPath);
      if (holder && holder.pid !== process.pid && alive(holder.pid))
        throw new FolderLocked(lockPath, holder, lockedMessage(folder, holder));
      // Stale (its process is gone) or unreadable (a crash while writing it): take it over.
      await rm(lockPath, { force: true });
    }
  }
  // A process that exits without closing the database (an uncaught error, process.exit) still frees the folder.
  const onExit = () => {
    try {
      if ((JSON.parse(readFileSync(lockPath, 'utf8')) as LockInfo).pid === process.pid) unlinkSync(lockPath);
    } catch {
      /* already gone */
    }
  };
  process.once('exit', onExit);
  let current = info;
  return {
    path: lockPath,
    async note(extra) {
      current = { ...current, ...extra };
      await writeFile(lockPath, JSON.stringify(current));
    },
    async release() {
      process.off('exit', onExit);
      const holder = await readLock(lockPath);
      if (holder?.pid === process.pid) await rm(lockPath, { force: true });
    },
  };
}
