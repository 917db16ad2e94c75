-- Case volumes (docs in README "Case CSV format"). Cases are partitioned by the year they were
-- received (yearly partitions are created by the loader; the default partition catches the rest)
-- and keyed by bureau first, so the tables can be distributed by bureau_id.

CREATE TABLE case_file (
  bureau_id      text NOT NULL,
  file_id        integer NOT NULL,
  file_name      text NOT NULL,
  content_hash   text NOT NULL,
  synthetic      boolean NOT NULL,
  rows_in        integer NOT NULL,
  rows_loaded    integer NOT NULL,
  rows_rejected  integer NOT NULL,
  loaded_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bureau_id, file_id),
  UNIQUE (bureau_id, content_hash)
);

CREATE TABLE case_record (
  bureau_id        text NOT NULL,
  case_id          text NOT NULL,
  item_code        text NOT NULL,
  sub_item_code    text,
  received_at      timestamptz,
  accepted_at      timestamptz,
  investigated_at  timestamptz,
  reviewed_at      timestamptz,
  decided_at       timestamptz,
  served_at        timestamptz,
  closed_at        timestamptz,
  -- The partition key: received, or accepted (立案) for cases that start on inspection.
  started_at       timestamptz NOT NULL,
  outcome          text NOT NULL,
  fine_yuan        numeric(14, 2),
  persons          integer,
  synthetic        boolean NOT NULL,
  file_id          integer NOT NULL,
  PRIMARY KEY (bureau_id, case_id, started_at)
) PARTITION BY RANGE (started_at);

CREATE TABLE case_record_default PARTITION OF case_record DEFAULT;

CREATE INDEX case_record_item_idx ON case_record (bureau_id, item_code, started_at);

-- Rows refused by validation, with the file line, field and reason.
CREATE TABLE case_reject (
  bureau_id  text NOT NULL,
  file_id    integer NOT NULL,
  line       integer NOT NULL,
  field      text NOT NULL,
  value      text NOT NULL,
  reason     text NOT NULL,
  PRIMARY KEY (bureau_id, file_id, line, field)
);

-- Every ETL run, scheduled or triggered.
CREATE TABLE etl_run (
  run_id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  trigger        text NOT NULL,
  started_at     timestamptz NOT NULL,
  finished_at    timestamptz,
  status         text NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'skipped')),
  rows_in        integer NOT NULL DEFAULT 0,
  rows_loaded    integer NOT NULL DEFAULT 0,
  rows_rejected  integer NOT NULL DEFAULT 0,
  detail         jsonb NOT NULL DEFAULT '[]'::jsonb,
  error          text
);
