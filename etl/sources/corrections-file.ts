import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseCorrectionsOrThrow, type CorrectionEntry } from '../parse/corrections.ts';

export interface CorrectionsFile {
  path: string;
  hash: string;
  list: string;
  entries: CorrectionEntry[];
}

/** Reads and validates a corrections file; errors name the file (as `name`) and line. */
export async function readCorrectionsFile(path: string, name: string = path): Promise<CorrectionsFile> {
  const text = await readFile(path, 'utf8');
  const { list, entries } = parseCorrectionsOrThrow(text, name);
  return { path: name, hash: createHash('sha256').update(text).digest('hex'), list, entries };
}

/** The corrections file that belongs to a list: data/corrections/<list name>.yaml beside the bureau profile. */
export function correctionsPathFor(listPath: string, bureauFile: string): string {
  return join(dirname(bureauFile), 'corrections', basename(listPath).replace(/\.[^.]+$/, '') + '.yaml');
}

/** The list's corrections file, or null when there is none. */
export async function findCorrectionsFile(listPath: string, bureauFile: string): Promise<CorrectionsFile | null> {
  const path = correctionsPathFor(listPath, bureauFile);
  // Named as in the repository (data/corrections/<list>.yaml), whatever the working directory.
  const name = join(basename(dirname(bureauFile)), 'corrections', basename(path));
  try {
    return await readCorrectionsFile(path, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
