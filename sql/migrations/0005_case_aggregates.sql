-- Working-day calendar, statutory time limits, and the case aggregates the ETL refreshes after
-- each load (etl/load/case-aggregates.ts). Endpoints read only these summary tables.
--
-- work_calendar, calendar_year and time_limit are national reference data (no bureau key: on
-- Citus they are reference tables, copied to every node). Every other table is keyed by
-- bureau_id first so it can be distributed by bureau and joined co-located.

-- One row per covered day (Asia/Shanghai calendar dates). Days the holiday file cannot vouch
-- for (absent years, and the last days of the final year, which depend on the next notice)
-- have no row: a case touching them is reported as uncovered, never guessed.
CREATE TABLE work_calendar (
  day        date PRIMARY KEY,
  working    boolean NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('weekday', 'weekend', 'holiday', 'makeup_workday')),
  festival   text,
  -- Working days from the first covered day up to and including this one: the working days in
  -- (a, b] are wd_index(b) - wd_index(a), within one covered run.
  wd_index   integer NOT NULL,
  -- First day of the unbroken covered run holding this day; a span is covered when both ends
  -- have rows and the end's run started on or before the start.
  run_start  date NOT NULL
);

-- Which notice(s) each covered year comes from.
CREATE TABLE calendar_year (
  year         integer PRIMARY KEY,
  source_file  text NOT NULL,
  sources      jsonb NOT NULL,
  loaded_at    timestamptz NOT NULL DEFAULT now()
);

-- data/time-limits.yaml as loaded: one row per limit entry.
CREATE TABLE time_limit (
  limit_id            text PRIMARY KEY,
  applies_to          jsonb NOT NULL,
  span_from           text NOT NULL,
  span_to             text NOT NULL,
  days                integer NOT NULL CHECK (days > 0),
  unit                text NOT NULL CHECK (unit IN ('working', 'calendar')),
  extension_days      integer,
  extension_unit      text CHECK (extension_unit IN ('working', 'calendar')),
  extension_approval  text,
  note                text,
  instrument          text NOT NULL,
  article             text NOT NULL,
  checked_at          text[] NOT NULL,
  verified            boolean NOT NULL,
  source_file         text NOT NULL,
  source_line         integer NOT NULL
);

-- The limit that bounds each stage span of each item of the latest list version (most specific
-- verified entry wins; see etl/registry/time-limits.ts limitsForItem).
CREATE TABLE item_time_limit (
  bureau_id  text NOT NULL,
  item_code  text NOT NULL,
  span_from  text NOT NULL,
  span_to    text NOT NULL,
  limit_id   text NOT NULL,
  days       integer NOT NULL,
  unit       text NOT NULL,
  PRIMARY KEY (bureau_id, item_code, span_from, span_to)
);

-- Statutory fine clauses of each penalty item, as ranges a fine can be checked against.
CREATE TABLE item_fine_range (
  bureau_id     text NOT NULL,
  item_code     text NOT NULL,
  clause_no     integer NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('fixed_range', 'per_person_range', 'multiple', 'cap_only')),
  min_yuan      float8,
  max_yuan      float8,
  min_multiple  float8,
  max_multiple  float8,
  per_person    boolean NOT NULL,
  label         text NOT NULL,
  clause_text   text NOT NULL,
  PRIMARY KEY (bureau_id, item_code, clause_no)
);

-- Cases per item and month (month of started_at in Asia/Shanghai, 'YYYY-MM').
CREATE TABLE case_volume_month (
  bureau_id        text NOT NULL,
  month            text NOT NULL,
  item_code        text NOT NULL,
  item_name        text NOT NULL,
  section          text NOT NULL,
  power_type       text NOT NULL,
  cases            integer NOT NULL,
  synthetic_cases  integer NOT NULL,
  PRIMARY KEY (bureau_id, month, item_code)
);

-- Stage-span timeliness per section × span × month. `uncovered` spans touch days the calendar
-- does not cover: counted, not judged, and left out of the percentiles.
CREATE TABLE case_timeliness_month (
  bureau_id  text NOT NULL,
  month      text NOT NULL,
  section    text NOT NULL,
  span_from  text NOT NULL,
  span_to    text NOT NULL,
  cases      integer NOT NULL,
  on_time    integer NOT NULL,
  late       integer NOT NULL,
  uncovered  integer NOT NULL,
  median_wd  float8,
  p90_wd     float8,
  PRIMARY KEY (bureau_id, month, section, span_from, span_to)
);

-- Distribution of working days per item × span × month, so percentiles over any window of
-- months or any filter are exact (monthly medians cannot be combined).
CREATE TABLE case_span_wd_hist (
  bureau_id   text NOT NULL,
  month       text NOT NULL,
  item_code   text NOT NULL,
  span_from   text NOT NULL,
  span_to     text NOT NULL,
  wd          integer NOT NULL,
  section     text NOT NULL,
  power_type  text NOT NULL,
  cases       integer NOT NULL,
  PRIMARY KEY (bureau_id, month, item_code, span_from, span_to, wd)
);

-- The same per item, for the drill-down to late items.
CREATE TABLE case_timeliness_item_month (
  bureau_id  text NOT NULL,
  month      text NOT NULL,
  item_code  text NOT NULL,
  span_from  text NOT NULL,
  span_to    text NOT NULL,
  item_name  text NOT NULL,
  section    text NOT NULL,
  power_type text NOT NULL,
  limit_id   text NOT NULL,
  days       integer NOT NULL,
  unit       text NOT NULL,
  cases      integer NOT NULL,
  on_time    integer NOT NULL,
  late       integer NOT NULL,
  uncovered  integer NOT NULL,
  PRIMARY KEY (bureau_id, month, item_code, span_from, span_to)
);

-- A few late cases per item × span × month (the slowest first), as drill-down examples.
CREATE TABLE case_late_example (
  bureau_id  text NOT NULL,
  month      text NOT NULL,
  item_code  text NOT NULL,
  span_from  text NOT NULL,
  span_to    text NOT NULL,
  case_id    text NOT NULL,
  from_day   date NOT NULL,
  to_day     date NOT NULL,
  wd         integer NOT NULL,
  PRIMARY KEY (bureau_id, month, item_code, span_from, span_to, case_id)
);

-- Fine compliance per item and month: fined cases judged against every statutory clause of
-- the item. inside = within at least one clause; not_checkable = no clause decides it (a
-- multiple whose base the case format lacks, a per-person range without persons).
CREATE TABLE fine_compliance_month (
  bureau_id      text NOT NULL,
  month          text NOT NULL,
  item_code      text NOT NULL,
  item_name      text NOT NULL,
  section        text NOT NULL,
  power_type     text NOT NULL,
  fined_cases    integer NOT NULL,
  inside         integer NOT NULL,
  below          integer NOT NULL,
  above          integer NOT NULL,
  outside_other  integer NOT NULL,
  not_checkable  integer NOT NULL,
  no_range       integer NOT NULL,
  PRIMARY KEY (bureau_id, month, item_code)
);

-- Every fined case outside all of its item's ranges.
CREATE TABLE fine_outside_case (
  bureau_id  text NOT NULL,
  month      text NOT NULL,
  item_code  text NOT NULL,
  case_id    text NOT NULL,
  fine_yuan  float8 NOT NULL,
  persons    integer,
  verdict    text NOT NULL CHECK (verdict IN ('below', 'above', 'outside')),
  PRIMARY KEY (bureau_id, item_code, case_id, month)
);

-- What the aggregates cover, per bureau, as of the last refresh.
CREATE TABLE case_aggregate_meta (
  bureau_id        text PRIMARY KEY,
  refreshed_at     timestamptz NOT NULL,
  min_month        text,
  max_month        text,
  cases            integer NOT NULL,
  synthetic_cases  integer NOT NULL
);
