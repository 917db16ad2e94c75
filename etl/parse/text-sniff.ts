/**
 * What a file's first bytes say it is, before it is read as CSV text. Pure. Only signatures that
 * no UTF-8 CSV starts with: a file that passes may still have bad bytes further on, which the
 * readers report line by line.
 */
export type NotText = { kind: 'zip' | 'xls' | 'pdf' | 'gzip' | 'utf16'; reason: string };

const startsWith = (b: Uint8Array, sig: readonly number[]) => sig.every((x, i) => b[i] === x);

export function sniffNotText(head: Uint8Array): NotText | null {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    return { kind: 'zip', reason: 'is not a CSV file (it looks like a zip or .xlsx workbook); export it as CSV' };
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0]))
    return { kind: 'xls', reason: 'is not a CSV file (it looks like an old .xls workbook); export it as CSV' };
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return { kind: 'pdf', reason: 'is not a CSV file (it is a PDF)' };
  if (startsWith(head, [0x1f, 0x8b]))
    return { kind: 'gzip', reason: 'is not a CSV file (it is gzip-compressed); decompress it first' };
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff]))
    return { kind: 'utf16', reason: 'is UTF-16 text; save it as UTF-8 CSV' };
  // UTF-16 without a byte-order mark: ASCII text with a NUL in every other byte.
  const n = Math.min(head.length, 64) & ~1;
  let even = 0,
    odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  if (n >= 8 && Math.max(even, odd) >= (n / 2) * 0.9)
    return { kind: 'utf16', reason: 'is UTF-16 text; save it as UTF-8 CSV' };
  return null;
}
