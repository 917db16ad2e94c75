import { readFile } from 'node:fs/promises';
import { readTextFile, type TextSourceFile } from './source-file.ts';
import { parseBureauProfile } from '../parse/bureau-profile.ts';
import type { BureauProfile } from '../parse/list-types.ts';

/** Reads a list export as UTF-8 text with its content hash (the identity of a load). */
export function readListFile(path: string): Promise<TextSourceFile> {
  return readTextFile(path, { what: 'the list export' });
}

export async function readBureauProfile(path: string): Promise<BureauProfile> {
  return parseBureauProfile(await readFile(path, 'utf8'), path);
}
