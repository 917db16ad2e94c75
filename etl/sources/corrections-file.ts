import { basename, join, relative } from 'node:path';
import { parseCorrectionsOrThrow, type CorrectionEntry } from '../parse/corrections.ts';
import type { DataFiles } from '../../core/config.ts';
import { readTextFile } from './source-file.ts';

export interface CorrectionsFile {
  path: string;
  hash: string;
  list: string;
  entries: CorrectionEntry[];
}

/** Reads and validates a corrections file; errors name the file (as `name`) and line. */
export async function readCorrectionsFile(path: string, name: string = path): Promise<CorrectionsFile> {
  const file = await readTextFile(path, { name });
  const { list, entries } = parseCorrectionsOrThrow(file.text, name);
  return { path: name, hash: file.hash, list, entries };
}

/** The corrections file that belongs to a list: data/corrections/<list name>.yaml. */
export function correctionsPathFor(listPath: string, files: Pick<DataFiles, 'correctionsDir'>): string {
  return join(files.correctionsDir, `${basename(listPath).replace(/\.[^.]+$/, '')}.yaml`);
}

/** The list's corrections file, or null when there is none. */
export async function findCorrectionsFile(listPath: string, files: Pick<DataFiles, 'dir' | 'correctionsDir'>): Promise<CorrectionsFile | null> {
  const path = correctionsPathFor(listPath, files);
  // Named as in the repository (data/corrections/<list>.yaml), whatever the working directory.
  const name = join(basename(files.dir), relative(files.dir, path));
  try {
    return await readCorrectionsFile(path, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
