/** Records produced by the list parsers. Every value keeps the source lines it came from. */

export const POWER_TYPES = [
  '行政许可',
  '行政处罚',
  '行政强制',
  '行政征收',
  '行政给付',
  '行政检查',
  '行政确认',
  '行政奖励',
  '行政裁决',
  '其他行政权力',
] as const;
export type PowerType = (typeof POWER_TYPES)[number];

export interface Provenance {
  source: string;
  line: number;
}

/** How a value was obtained: read cleanly, repaired from a damaged cell, inferred from other evidence, or corrected by a reviewer. */
export type ValueOrigin = 'read' | 'repaired' | 'inferred' | 'corrected';

export type NameQuality = 'ok' | 'scrambled' | 'truncated';

/**
 * What an issue is about. `field`: one value could not be read cleanly (the default). The others
 * concern the list as a whole: `seq_gap` (a 序号 skipped: an item removed), `seq_duplicate` (序号重复:
 * the same 序号 on two different items), `seq_order` (a 序号 lower than an earlier one), `seq_unreadable`
 * (a damaged 序号 recovered from evidence), `seq_form` (a clean-sheet 序号 written "1." or "（一）" …),
 * `continuation` (a row joined to the item before it on weak evidence), `truncated` (the file ends
 * inside an item), `row_repeat` (a row printed twice at a page break).
 */
export const ISSUE_KINDS = [
  'field',
  'seq_gap',
  'seq_duplicate',
  'seq_order',
  'seq_unreadable',
  'seq_form',
  'continuation',
  'truncated',
  'row_repeat',
] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];

/** `info`: reported, nothing lost; `warning`: a value or item may be wrong or incomplete. Refusals throw ListParseError. */
export type IssueSeverity = 'info' | 'warning';

export interface ParseIssue {
  source: string;
  line: number;
  seq: number | null;
  field: string;
  value: string;
  message: string;
  kind: IssueKind;
  severity: IssueSeverity;
}

export interface ParsedSubItem {
  name: string;
  name_quality: NameQuality;
  code: string | null;
  section: string | null;
  source_lines: number[];
  /** How the name was obtained ('corrected' after a reviewed correction). */
  name_origin?: ValueOrigin;
  /** The longest code fragment of the sub-item's own row(s) when no full code was read. */
  code_read?: string | null;
  section_origin?: ValueOrigin | null;
}

/** A reviewed fix applied over the parse (data/corrections/*.yaml). */
export interface AppliedCorrection {
  field: string;
  /** Sub-item number (1-based) for a sub-item field, null for the item itself. */
  sub_no: number | null;
  original: string | null;
  value: string;
  reason: string;
  author: string;
  date: string;
  /** Where the correction was written: file and line. */
  source: string;
  line: number;
}

export interface ParsedItem {
  /** 序号 as written (or recovered, see seq_origin). Not unique when the list repeats one (序号重复: seq_duplicate). */
  seq: number;
  seq_origin: ValueOrigin;
  /** True when another item of the list has the same 序号 (the list's own error, flagged 序号重复). */
  seq_duplicate?: boolean;
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
  /** How the name was obtained: 'read' from the text, 'corrected' by a reviewed correction. */
  name_origin?: ValueOrigin;
  /** The name cell of every row as read (spaces removed), so a reviewer sees all readings. */
  name_readings?: string[];
  subject_origin?: ValueOrigin | null;
  level_origin?: ValueOrigin | null;
  /** When section_origin is 'inferred': the evidence it was inferred from, in words. */
  section_evidence?: string | null;
  /** 'repaired' when at least one stage label was OCR-damaged and read back onto the vocabulary. */
  stages_origin?: ValueOrigin | null;
  /** Source lines per field (name, power_type, code, section, subject, level, basis, duties, accountability, stages). */
  field_lines?: Record<string, number[]>;
  /** Reviewed corrections applied to this item (see etl/parse/apply-corrections.ts). */
  corrections?: AppliedCorrection[];
}

export interface ParsedList {
  source: string;
  title: string | null;
  items: ParsedItem[];
  issues: ParseIssue[];
  /** Set when the file ends inside an item: that item (loaded as far as it was read) and the last complete one. */
  truncated?: { seq: number; line: number; last_complete_seq: number | null } | null;
}

/** The bureau facts the parser needs to canonicalise damaged cells (data/bureau.json). */
export interface BureauProfile {
  bureau_id: string;
  name: string;
  short_name: string;
  credit_code: string;
  /** Where the bureau is (province, city, county), for the province view. */
  region?: string;
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
