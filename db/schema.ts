import type { ColumnType, Generated } from 'kysely';

/** Typed view of the tables in sql/migrations. */
export interface BureauTable {
  bureau_id: string;
  name: string;
  short_name: string;
  /** 0009_bureau_registry.sql */
  credit_code: string | null;
  region: string | null;
  /** The profile its lists are parsed with (etl/parse/bureau-profile.ts), as JSON. */
  profile: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface ListVersionTable {
  bureau_id: string;
  version_id: number;
  label: string;
  source_file: string;
  source_kind: 'pdf_text' | 'clean_sheet';
  content_hash: string;
  title: string | null;
  item_count: number;
  loaded_at: ColumnType<Date, Date | undefined, never>;
  /** 0006_reform.sql: the date the version took effect; read it as text (to_char) on both backends. */
  effective_date: ColumnType<Date | string | null, string | null | undefined, string | null>;
  /** 0002_list_quality.sql: the corrections files applied (comma-separated), and one hash over them. */
  corrections_file: string | null;
  corrections_hash: string | null;
  /** 0008_list_identity.sql: the list's own date as given at load; read it as text (to_char). */
  list_date: ColumnType<Date | string | null, string | null | undefined, string | null>;
}

/** 0008_list_identity.sql: a reviewed correction not applied to a version, and why. */
export interface CorrectionStaleTable {
  bureau_id: string;
  version_id: number;
  stale_no: number;
  source_file: string;
  source_line: number;
  code: string | null;
  seq: number | null;
  field: string;
  sub_no: number | null;
  reads: string;
  found: string | null;
  message: string;
}

export interface ItemTable {
  bureau_id: string;
  version_id: number;
  seq: number;
  seq_origin: string;
  code: string | null;
  code_origin: string | null;
  code_read: string | null;
  name: string;
  name_quality: string;
  power_type: string | null;
  power_type_origin: string | null;
  power_type_evidence: string | null;
  section: string | null;
  section_origin: string | null;
  subject: string | null;
  level: string | null;
  basis: string;
  duties: string;
  accountability: string;
  stages: string[];
  source_lines: number[];
  /** 0002_list_quality.sql */
  name_origin: ColumnType<string, string | undefined, string>;
  subject_origin: string | null;
  level_origin: string | null;
  section_evidence: string | null;
  stages_origin: string | null;
}

export interface SubItemTable {
  bureau_id: string;
  version_id: number;
  seq: number;
  sub_no: number;
  name: string;
  name_quality: string;
  code: string | null;
  section: string | null;
  source_lines: number[];
  /** 0002_list_quality.sql */
  name_origin: ColumnType<string, string | undefined, string>;
  code_read: string | null;
  section_origin: string | null;
}

/** 0002_list_quality.sql: reviewed corrections applied over the parse. */
export interface ItemCorrectionTable {
  bureau_id: string;
  version_id: number;
  seq: number;
  field: string;
  sub_no: number;
  original: string | null;
  value: string;
  reason: string;
  author: string;
  /** Read it as text (to_char) on both backends. */
  corrected_on: ColumnType<Date | string, string, string>;
  source_file: string;
  source_line: number;
}

/** 0002_list_quality.sql: how each field of each item (sub_no 0) or sub-item was obtained. */
export interface ItemFieldQualityTable {
  bureau_id: string;
  version_id: number;
  seq: number;
  field: string;
  sub_no: number;
  status: 'read' | 'repaired' | 'inferred' | 'corrected' | 'flagged' | 'missing';
  value: string | null;
  message: string | null;
  lines: number[];
}

/** 0002_list_quality.sql: the loaded list file's text, line by line. */
export interface ListSourceLineTable {
  bureau_id: string;
  version_id: number;
  line: number;
  text: string;
}

export interface ParseIssueTable {
  bureau_id: string;
  version_id: number;
  issue_no: number;
  line: number;
  seq: number | null;
  field: string;
  value: string;
  message: string;
  /** 0013_parse_issue_kind.sql */
  kind: ColumnType<string, string | undefined, string>;
  severity: ColumnType<'info' | 'warning', 'info' | 'warning' | undefined, 'info' | 'warning'>;
}

export interface SchemaMigrationTable {
  name: string;
  applied_at: Generated<Date>;
}

// Working-day calendar, time limits and case aggregates (sql/migrations/0005_case_aggregates.sql).
export interface WorkCalendarTable {
  day: ColumnType<string, string, string>;
  working: boolean;
  kind: 'weekday' | 'weekend' | 'holiday' | 'makeup_workday';
  festival: string | null;
  wd_index: number;
  run_start: ColumnType<string, string, string>;
}

export interface CalendarYearTable {
  year: number;
  source_file: string;
  sources: unknown;
  loaded_at: ColumnType<Date, Date | undefined, never>;
}

export interface TimeLimitTable {
  limit_id: string;
  applies_to: unknown;
  span_from: string;
  span_to: string;
  days: number;
  unit: string;
  extension_days: number | null;
  extension_unit: string | null;
  extension_approval: string | null;
  note: string | null;
  instrument: string;
  article: string;
  checked_at: string[];
  verified: boolean;
  source_file: string;
  source_line: number;
  /** 0012: YYYY-MM-DD from which the limit binds; null = always. */
  applies_from: string | null;
  /** 0012: the article and public copies that set applies_from. */
  applies_from_source: unknown;
}

export interface ItemTimeLimitTable {
  bureau_id: string;
  item_code: string;
  span_from: string;
  span_to: string;
  limit_id: string;
  days: number;
  unit: string;
  /** 0012: YYYY-MM-DD from which the limit binds; null = always. */
  applies_from: string | null;
  /** 0014: the extension the limit provides (延长), null when none. */
  extension_days: number | null;
  extension_unit: string | null;
}

/** The kinds of fine a clause can name; they are not interchangeable (see etl/parse/fine-clause.ts). */
export type FineKind = 'fixed_range' | 'per_person_range' | 'multiple' | 'cap_only' | 'unspecified';

/** The amounts a fine clause names: the one shape every fine-clause row is built on. */
export interface FineTerms {
  kind: FineKind;
  min_yuan: number | null;
  max_yuan: number | null;
  min_multiple: number | null;
  max_multiple: number | null;
  per: 'person' | null;
}

/** A clause an imposed fine can be checked against (etl/timeliness/fine-ranges.ts), per item code. */
export interface ItemFineRangeTable extends Omit<FineTerms, 'kind' | 'per'> {
  bureau_id: string;
  item_code: string;
  clause_no: number;
  kind: Exclude<FineKind, 'unspecified'>;
  per_person: boolean;
  /** How the range reads on a page, e.g. "每人 500–2000 元". */
  label: string;
  clause_text: string;
}

export interface CaseVolumeMonthTable {
  bureau_id: string;
  month: string;
  item_code: string;
  item_name: string;
  section: string;
  power_type: string;
  cases: number;
  synthetic_cases: number;
}

export interface CaseTimelinessMonthTable {
  bureau_id: string;
  month: string;
  section: string;
  span_from: string;
  span_to: string;
  cases: number;
  on_time: number;
  late: number;
  uncovered: number;
  /** 0014: late by the limit, on time within limit + an approved extension (not in on_time or late). */
  on_time_extended: number;
  /** 0014: late spans (in late) of cases whose approved extension could not extend them. */
  extension_unapplied: number;
  median_wd: number | null;
  p90_wd: number | null;
}

export interface CaseSpanWdHistTable {
  bureau_id: string;
  month: string;
  item_code: string;
  span_from: string;
  span_to: string;
  wd: number;
  section: string;
  power_type: string;
  cases: number;
}

export interface CaseTimelinessItemMonthTable {
  bureau_id: string;
  month: string;
  item_code: string;
  span_from: string;
  span_to: string;
  item_name: string;
  section: string;
  power_type: string;
  limit_id: string;
  days: number;
  unit: string;
  cases: number;
  on_time: number;
  late: number;
  uncovered: number;
  /** 0014, as in case_timeliness_month. */
  on_time_extended: number;
  extension_unapplied: number;
  extension_days: number | null;
  extension_unit: string | null;
}

export interface CaseLateExampleTable {
  bureau_id: string;
  month: string;
  item_code: string;
  span_from: string;
  span_to: string;
  case_id: string;
  from_day: ColumnType<string, string, string>;
  to_day: ColumnType<string, string, string>;
  wd: number;
  /** 0014: what the case's approved extension did (exceeded, no_provision, approved_late); null: none approved. */
  extension: string | null;
  extension_approved_at: ColumnType<string | null, string | null, string | null>;
}

export interface FineComplianceMonthTable {
  bureau_id: string;
  month: string;
  item_code: string;
  item_name: string;
  section: string;
  power_type: string;
  fined_cases: number;
  inside: number;
  below: number;
  above: number;
  outside_other: number;
  not_checkable: number;
  no_range: number;
}

export interface FineOutsideCaseTable {
  bureau_id: string;
  month: string;
  item_code: string;
  case_id: string;
  fine_yuan: number;
  persons: number | null;
  verdict: 'below' | 'above' | 'outside';
}

export interface CaseAggregateMetaTable {
  bureau_id: string;
  refreshed_at: Date;
  min_month: string | null;
  max_month: string | null;
  cases: number;
  synthetic_cases: number;
}

/** Legal basis (sql/migrations/0003_legal.sql). Partial dates are text: YYYY[-MM[-DD]]. */
export interface RegistryLoadTable {
  registry: string;
  content_hash: string;
  source_file: string;
  loaded_at: ColumnType<Date, Date | undefined, Date>;
}

export interface InstrumentTable {
  instrument_id: string;
  title: string;
  kind: string;
  issuer: string;
  doc_number: string | null;
  status: 'in_force' | 'repealed' | 'unknown';
  replaced_by: string | null;
  replaced_on: string | null;
  source: string | null;
  verified: boolean;
  source_line: number | null;
}

export interface InstrumentAliasTable {
  title_key: string;
  instrument_id: string;
  alias: string;
}

export interface InstrumentEventTable {
  instrument_id: string;
  event_no: number;
  event: 'adopted' | 'promulgated' | 'effective' | 'amended' | 'revised' | 'issued';
  event_date: string;
  by_text: string | null;
  ordinal: number | null;
  doc_number: string | null;
  note: string | null;
  source: string | null;
  verified: boolean;
}

export interface ListMetaTable {
  source_file: string;
  label: string;
  list_date: string | null;
  list_date_basis: 'stated' | 'latest_cited_date';
  source: string | null;
  verified: boolean;
}

export interface LegalDerivationTable {
  bureau_id: string;
  version_id: number;
  citations: number;
  fine_clauses: number;
  derived_at: ColumnType<Date, Date | undefined, never>;
}

export interface CitationTable {
  bureau_id: string;
  version_id: number;
  seq: number;
  citation_no: number;
  list_no: number | null;
  title: string;
  cited_title: string;
  title_key: string;
  form: string;
  notice_title: string | null;
  instrument_id: string | null;
  doc_numbers: string[];
  claimed_version_date: string | null;
  stated_dates: string[];
  articles: string[];
  passage: string;
  source_lines: number[];
  /** 0011: ok, cut (OCR cut the title), doc_number_only (a doc number with no legible title). */
  title_quality: Generated<'ok' | 'cut' | 'doc_number_only'>;
}

export interface FineClauseTable extends FineTerms {
  bureau_id: string;
  version_id: number;
  seq: number;
  clause_no: number;
  base_key: string | null;
  base: string | null;
  target: string | null;
  condition: string | null;
  clause_text: string;
  source_lines: number[];
}

/** A loaded case export (sql/migrations/0004_cases.sql); identity: its SHA-256 per bureau. */
export interface CaseFileTable {
  bureau_id: string;
  file_id: number;
  file_name: string;
  content_hash: string;
  synthetic: boolean;
  rows_in: number;
  rows_loaded: number;
  rows_rejected: number;
  loaded_at: ColumnType<Date, Date | undefined, never>;
}

export interface CaseRejectTable {
  bureau_id: string;
  file_id: number;
  line: number;
  field: string;
  value: string;
  reason: string;
}

/** Per loaded file and China year: its smallest and largest case id, byte order (sql/migrations/0015). */
export interface CaseIdRangeTable {
  bureau_id: string;
  file_id: number;
  year: number;
  min_case_id: string;
  max_case_id: string;
}

export interface EtlRunTable {
  run_id: Generated<number>;
  trigger: string;
  started_at: Date;
  finished_at: Date | null;
  status: 'running' | 'ok' | 'failed' | 'skipped';
  rows_in: Generated<number>;
  rows_loaded: Generated<number>;
  rows_rejected: Generated<number>;
  detail: Generated<unknown>;
  error: string | null;
}

/** 0010_cluster.sql: on a coordinator, the shard servers and each bureau's shard. */
export interface ClusterShardTable {
  shard: string;
  url: string;
}

export interface BureauPlacementTable {
  bureau_id: string;
  shard: string;
  placed_at: ColumnType<Date, Date | undefined, Date>;
}

export interface Database {
  bureau: BureauTable;
  list_version: ListVersionTable;
  item: ItemTable;
  sub_item: SubItemTable;
  parse_issue: ParseIssueTable;
  item_correction: ItemCorrectionTable;
  correction_stale: CorrectionStaleTable;
  cluster_shard: ClusterShardTable;
  bureau_placement: BureauPlacementTable;
  item_field_quality: ItemFieldQualityTable;
  list_source_line: ListSourceLineTable;
  registry_load: RegistryLoadTable;
  instrument: InstrumentTable;
  instrument_alias: InstrumentAliasTable;
  instrument_event: InstrumentEventTable;
  list_meta: ListMetaTable;
  legal_derivation: LegalDerivationTable;
  citation: CitationTable;
  fine_clause: FineClauseTable;
  latest_version: { bureau_id: string; version_id: number };
  schema_migrations: SchemaMigrationTable;
  work_calendar: WorkCalendarTable;
  calendar_year: CalendarYearTable;
  time_limit: TimeLimitTable;
  item_time_limit: ItemTimeLimitTable;
  item_fine_range: ItemFineRangeTable;
  case_volume_month: CaseVolumeMonthTable;
  case_timeliness_month: CaseTimelinessMonthTable;
  case_span_wd_hist: CaseSpanWdHistTable;
  case_timeliness_item_month: CaseTimelinessItemMonthTable;
  case_late_example: CaseLateExampleTable;
  fine_compliance_month: FineComplianceMonthTable;
  fine_outside_case: FineOutsideCaseTable;
  case_aggregate_meta: CaseAggregateMetaTable;
  case_file: CaseFileTable;
  case_reject: CaseRejectTable;
  case_id_range: CaseIdRangeTable;
  etl_run: EtlRunTable;
}
