import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseBureauProfile } from '../parse/bureau-profile.ts';
import type { BureauProfile } from '../parse/list-types.ts';

export interface ListFile {
  path: string;
  name: string;
  text: string;
  hash: string;
}

/** Reads a list export as UTF-8 text with its content hash (the identity of a load). */
export async function readListFile(path: string): Promise<ListFile> {
  const bytes = await readFile(path);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new Error(`${path}: not UTF-8 text; save the list export as UTF-8`, { cause: err });
  }
  return { path, name: basename(path), text, hash: createHash('sha256').update(bytes).digest('hex') };
}

export async function readBureauProfile(path: string): Promise<BureauProfile> {
  return parseBureauProfile(await readFile(path, 'utf8'), path);
}
