import { isUtf8 } from 'node:buffer';
/**
 * Whether a stream of chunks is valid UTF-8, checked natively without decoding it to strings
 * (decoding 193 MB only to validate it cost a quarter of a second): a character cut by a chunk
 * boundary is checked whole with the next chunk's first bytes.
 */
export class Utf8Check {
  private carry: Buffer = Buffer.alloc(0);

  check(b: Buffer): boolean {
    let from = 0;
    if (this.carry.length) {
      from = Math.min(sequenceLength(this.carry[0]!) - this.carry.length, b.length);
      const joined = Buffer.concat([this.carry, b.subarray(0, from)]);
      if (from < b.length || joined.length === sequenceLength(joined[0]!)) {
        if (!isUtf8(joined)) return false;
        this.carry = Buffer.alloc(0);
      } else {
        this.carry = joined;
        return true;
      }
    }
    // Up to three bytes at the end may start a character the next chunk completes.
    let cut = b.length;
    for (let i = b.length - 1; i >= Math.max(from, b.length - 3); i--) {
      if ((b[i]! & 0xc0) !== 0x80) {
        if (b[i]! >= 0xc0 && i + sequenceLength(b[i]!) > b.length) cut = i;
        break;
      }
    }
    if (!isUtf8(b.subarray(from, cut))) return false;
    this.carry = Buffer.from(b.subarray(cut));
    return true;
  }

  /** Whether the stream ended without a cut character. */
  end(): boolean {
    return this.carry.length === 0;
  }
}

/** Bytes of the character a lead byte starts (1 for a byte that cannot lead one: isUtf8 then refuses it). */
function sequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}
