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

/**
 * Strict UTF-8: a file in another encoding is refused with what to do, never read as mojibake,
 * naming the line of the first bad byte; a NUL byte (which PostgreSQL text cannot hold) too.
 */
export function decodeUtf8(bytes: Uint8Array, name: string, what = 'the file'): string {
  const lineAt = (offset: number) => {
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
    return line;
  };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    const at = utf16 ? 0 : firstInvalidUtf8(bytes);
    throw new Error(
      `${name}: not UTF-8 text${utf16 ? ' (it is UTF-16)' : ` (first bad byte on line ${lineAt(at)})`}; save ${what} as UTF-8`,
      { cause: err },
    );
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    throw new Error(
      `${name}: holds a NUL byte on line ${lineAt(nul)}; it is not a text file, or a damaged one: save ${what} as UTF-8 text`,
    );
  return text;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (a bisection on the decoder). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const ok = (n: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0,
    hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export async function readTextFile(path: string, opts: { name?: string; what?: string } = {}): Promise<TextSourceFile> {
  const file = await readSourceFile(path, opts.name);
  return { ...file, text: decodeUtf8(file.bytes, opts.name ?? path, opts.what) };
}
