/** Records produced by the list parsers. Every value keeps the source lines it came from. */

export const POWER_TYPES = [
  '行政许可', '行政处罚', '行政强制', '行政征收', '行政给付',
  '行政检查', '行政确认', '行政奖励', '行政裁决', '其他行政权力',
] as const;
export type PowerType = (typeof POWER_TYPES)[number];

export interface Provenance {
  source: string;
  line: number;
}

/** How a value was obtained: read cleanly, repaired from a damaged cell, inferred from other evidence, or corrected by a reviewer. */
export type ValueOrigin = 'read' | 'repaired' | 'inferred' | 'corrected';

export type NameQuality = 'ok' | 'scrambled' | 'truncated';

export interface ParseIssue {
  source: string;
  line: number;
  seq: number | null;
  field: string;
  value: string;
  message: string;
}

export interface ParsedSubItem {
  name: string;
  name_quality: NameQuality;
  code: string | null;
  section: string | null;
  source_lines: number[];
}

export interface ParsedItem {
  seq: number;
  seq_origin: ValueOrigin;
  name: string;
  name_quality: NameQuality;
  power_type: PowerType | null;
  power_type_origin: ValueOrigin | null;
  /** Which evidence decided the power type. */
  power_type_evidence: 'column' | 'code' | null;
  /** Full code (credit code + type + item segment + sub digit), null when the text never gives it whole. */
  code: string | null;
  code_origin: ValueOrigin | null;
  /** The longest code fragment read, spaces removed, when no full code was found. */
  code_read: string | null;
  code_partial: boolean;
  section: string | null;
  section_origin: ValueOrigin | null;
  subject: string | null;
  level: string | null;
  basis: string;
  duties: string;
  accountability: string;
  stages: string[];
  sub_items: ParsedSubItem[];
  source_lines: number[];
}

export interface ParsedList {
  source: string;
  title: string | null;
  items: ParsedItem[];
  issues: ParseIssue[];
}

/** The bureau facts the parser needs to canonicalise damaged cells (data/bureau.json). */
export interface BureauProfile {
  bureau_id: string;
  name: string;
  short_name: string;
  credit_code: string;
  sections: string[];
  levels: string[];
  power_type_segments: Record<string, string>;
}

/** Thrown when the structure itself is unusable (no header, no items): names file and line. */
export class ListParseError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    message: string,
  ) {
    super(`${source}: on line ${line}: ${message}`);
    this.name = 'ListParseError';
  }
}
