import type { ColumnType, Generated } from 'kysely';

/** Typed view of the tables in sql/migrations. */
export interface BureauTable {
  bureau_id: string;
  name: string;
  short_name: string;
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
}

export interface SchemaMigrationTable {
  name: string;
  applied_at: Generated<Date>;
}

export interface Database {
  bureau: BureauTable;
  list_version: ListVersionTable;
  item: ItemTable;
  sub_item: SubItemTable;
  parse_issue: ParseIssueTable;
  latest_version: { bureau_id: string; version_id: number };
  schema_migrations: SchemaMigrationTable;
}
