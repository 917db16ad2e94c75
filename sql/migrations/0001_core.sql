-- Core schema: bureaus, list versions, items, sub-items and what the parser could not read.
-- Every fact table carries bureau_id first in its key so the same SQL can be distributed
-- (Citus: distribute by bureau_id, co-located joins).

CREATE TABLE bureau (
  bureau_id   text PRIMARY KEY,
  name        text NOT NULL,
  short_name  text NOT NULL
);

CREATE TABLE list_version (
  bureau_id     text NOT NULL REFERENCES bureau (bureau_id),
  version_id    integer NOT NULL,
  label         text NOT NULL,
  source_file   text NOT NULL,
  source_kind   text NOT NULL CHECK (source_kind IN ('pdf_text', 'clean_sheet')),
  content_hash  text NOT NULL,
  title         text,
  item_count    integer NOT NULL,
  loaded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bureau_id, version_id),
  UNIQUE (bureau_id, content_hash)
);

CREATE TABLE item (
  bureau_id            text NOT NULL,
  version_id           integer NOT NULL,
  seq                  integer NOT NULL,
  seq_origin           text NOT NULL,
  code                 text,
  code_origin          text,
  code_read            text,
  name                 text NOT NULL,
  name_quality         text NOT NULL CHECK (name_quality IN ('ok', 'scrambled', 'truncated')),
  power_type           text,
  power_type_origin    text,
  power_type_evidence  text,
  section              text,
  section_origin       text,
  subject              text,
  level                text,
  basis                text NOT NULL,
  duties               text NOT NULL,
  accountability       text NOT NULL,
  stages               text[] NOT NULL,
  source_lines         integer[] NOT NULL,
  PRIMARY KEY (bureau_id, version_id, seq),
  FOREIGN KEY (bureau_id, version_id) REFERENCES list_version (bureau_id, version_id) ON DELETE CASCADE
);
CREATE INDEX item_code_idx ON item (bureau_id, code);

CREATE TABLE sub_item (
  bureau_id     text NOT NULL,
  version_id    integer NOT NULL,
  seq           integer NOT NULL,
  sub_no        integer NOT NULL,
  name          text NOT NULL,
  name_quality  text NOT NULL,
  code          text,
  section       text,
  source_lines  integer[] NOT NULL,
  PRIMARY KEY (bureau_id, version_id, seq, sub_no),
  FOREIGN KEY (bureau_id, version_id, seq) REFERENCES item (bureau_id, version_id, seq) ON DELETE CASCADE
);

CREATE TABLE parse_issue (
  bureau_id   text NOT NULL,
  version_id  integer NOT NULL,
  issue_no    integer NOT NULL,
  line        integer NOT NULL,
  seq         integer,
  field       text NOT NULL,
  value       text NOT NULL,
  message     text NOT NULL,
  PRIMARY KEY (bureau_id, version_id, issue_no),
  FOREIGN KEY (bureau_id, version_id) REFERENCES list_version (bureau_id, version_id) ON DELETE CASCADE
);

-- The version each bureau's pages show by default.
CREATE VIEW latest_version AS
SELECT DISTINCT ON (bureau_id) bureau_id, version_id
FROM list_version
ORDER BY bureau_id, version_id DESC;
