import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DataFiles } from '../../core/config.ts';
import { parseCorrectionsOrThrow, type CorrectionEntry } from '../parse/corrections.ts';
import { readTextFile, sha256 } from './source-file.ts';

export interface CorrectionsFile {
  path: string;
  hash: string;
  bureau: string;
  entries: CorrectionEntry[];
}

/** Reads and validates a corrections file; errors name the file (as `name`) and line. */
export async function readCorrectionsFile(path: string, name: string = path): Promise<CorrectionsFile> {
  const file = await readTextFile(path, { name });
  const { bureau, entries } = parseCorrectionsOrThrow(file.text, name);
  return { path: name, hash: file.hash, bureau, entries };
}

/** Every reviewed correction of a bureau, from all files of the corrections folder that name it. */
export interface BureauCorrections {
  /** The files read, as named in the repository (data/corrections/x.yaml). */
  files: string[];
  /** One hash over those files: a change of any re-applies the corrections. */
  hash: string;
  entries: CorrectionEntry[];
}

export async function readBureauCorrections(
  files: Pick<DataFiles, 'dir' | 'correctionsDir'>,
  bureauId: string,
): Promise<BureauCorrections | null> {
  let names: string[];
  try {
    names = (await readdir(files.correctionsDir)).filter((n) => /\.ya?ml$/i.test(n) && !n.startsWith('.')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  // Named as in the repository (data/corrections/<file>.yaml), whatever the working directory.
  const read = await Promise.all(
    names.map((n) =>
      readCorrectionsFile(join(files.correctionsDir, n), join(basename(files.dir), basename(files.correctionsDir), n)),
    ),
  );
  const mine = read.filter((f) => f.bureau === bureauId);
  if (!mine.length) return null;
  return {
    files: mine.map((f) => f.path),
    hash: sha256(mine.map((f) => `${f.path}:${f.hash}`).join('\n')),
    entries: mine.flatMap((f) => f.entries),
  };
}
