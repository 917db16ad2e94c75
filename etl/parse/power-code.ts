/**
 * Local power codes (地方权力编码) as the OCR split them: "116223 015664 38677P 462021 400100 0"
 * = 18-character unified social credit code + 6-digit type segment + 6-digit item segment +
 * 1-character sub-item digit. Cells are often cut to a few groups ("015664 38677p 462011").
 */
export interface PowerCode {
  /** The groups as read, spaces removed, upper-cased. */
  text: string;
  full: string | null;
  typeSegment: string | null;
  itemSegment: string | null;
  subDigit: string | null;
}

const FULL = /^([0-9A-Z]{18})(\d{6})(\d{6})([0-9A-Z])$/;

export function readPowerCode(cell: string, creditCode: string, typeSegments: readonly string[]): PowerCode | null {
  const groups = cell
    .toUpperCase()
    .split(/\s+/)
    .filter((g) => /^[0-9A-Z]+$/.test(g));
  const text = groups.join('');
  if (text.length < 6) return null;
  const m = FULL.exec(text);
  if (m && m[1] === creditCode) {
    return { text, full: text, typeSegment: m[2]!, itemSegment: m[3]!, subDigit: m[4]! };
  }
  // A partial code: the groups after the credit code's own groups are type, item, sub digit.
  const creditGroups = [creditCode.slice(0, 6), creditCode.slice(6, 12), creditCode.slice(12)];
  const tail = groups.filter((g) => !creditGroups.includes(g));
  if (tail.length === groups.length && !typeSegments.includes(tail[0] ?? '')) return null;
  const typeSegment = tail[0] && /^\d{6}$/.test(tail[0]) ? tail[0] : null;
  const itemSegment = tail[1] && /^\d{6}$/.test(tail[1]) ? tail[1] : null;
  return { text, full: null, typeSegment, itemSegment, subDigit: null };
}
