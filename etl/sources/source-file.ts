/**
 * Reading an input file once: its name, bytes, content hash (the identity of a load) and, for
 * text files, its UTF-8 text. Every reader of a data file or export goes through here.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export interface SourceFile {
  path: string;
  /** How messages name the file: its base name unless the caller gives another. */
  name: string;
  bytes: Buffer;
  /** SHA-256 of the bytes, hex. */
  hash: string;
}

export interface TextSourceFile extends SourceFile {
  text: string;
}

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export async function readSourceFile(path: string, name = basename(path)): Promise<SourceFile> {
  const bytes = await readFile(path);
  return { path, name, bytes, hash: sha256(bytes) };
}

/** Strict UTF-8: a file in another encoding is refused with what to do, never read as mojibake. */
export function decodeUtf8(bytes: Uint8Array, name: string, what = 'the file'): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new Error(`${name}: not UTF-8 text; save ${what} as UTF-8`, { cause: err });
  }
}

export async function readTextFile(path: string, opts: { name?: string; what?: string } = {}): Promise<TextSourceFile> {
  const file = await readSourceFile(path, opts.name);
  return { ...file, text: decodeUtf8(file.bytes, opts.name ?? path, opts.what) };
}
