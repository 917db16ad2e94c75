-- List quality: how each value of an item was obtained, reviewed corrections over the parse, the
-- per-field quality the 数据质量 page counts, and the source text lines so a reader can see what the
-- parser saw. Every table keys on bureau_id first (Citus: distribute by bureau_id, co-located joins).

ALTER TABLE item ADD COLUMN name_origin text NOT NULL DEFAULT 'read';
ALTER TABLE item ADD COLUMN subject_origin text;
ALTER TABLE item ADD COLUMN level_origin text;
ALTER TABLE item ADD COLUMN section_evidence text;
ALTER TABLE item ADD COLUMN stages_origin text;

ALTER TABLE sub_item ADD COLUMN name_origin text NOT NULL DEFAULT 'read';
ALTER TABLE sub_item ADD COLUMN code_read text;
ALTER TABLE sub_item ADD COLUMN section_origin text;

-- The corrections file applied to the version (null: none), and its content hash, so a run notices
-- an edited corrections file for a list it has already loaded.
ALTER TABLE list_version ADD COLUMN corrections_file text;
ALTER TABLE list_version ADD COLUMN corrections_hash text;

-- One row per reviewed correction applied: the value the parser read and the value that replaced it.
CREATE TABLE item_correction (
  bureau_id     text NOT NULL,
  version_id    integer NOT NULL,
  seq           integer NOT NULL,
  field         text NOT NULL,
  sub_no        integer NOT NULL DEFAULT 0,   -- 0: the item itself; n: its n-th sub-item
  original      text,
  value         text NOT NULL,
  reason        text NOT NULL,
  author        text NOT NULL,
  corrected_on  date NOT NULL,
  source_file   text NOT NULL,
  source_line   integer NOT NULL,
  PRIMARY KEY (bureau_id, version_id, seq, field, sub_no),
  FOREIGN KEY (bureau_id, version_id, seq) REFERENCES item (bureau_id, version_id, seq) ON DELETE CASCADE
);

-- Per item (and sub-item) and field: read cleanly, repaired, inferred, corrected, flagged or missing.
CREATE TABLE item_field_quality (
  bureau_id     text NOT NULL,
  version_id    integer NOT NULL,
  seq           integer NOT NULL,
  field         text NOT NULL,
  sub_no        integer NOT NULL DEFAULT 0,
  status        text NOT NULL CHECK (status IN ('read', 'repaired', 'inferred', 'corrected', 'flagged', 'missing')),
  value         text,
  message       text,
  lines         integer[] NOT NULL,
  PRIMARY KEY (bureau_id, version_id, seq, field, sub_no),
  FOREIGN KEY (bureau_id, version_id, seq) REFERENCES item (bureau_id, version_id, seq) ON DELETE CASCADE
);
CREATE INDEX item_field_quality_status_idx ON item_field_quality (bureau_id, version_id, status);

-- The text of the list file as loaded, line by line (PDF-text exports only).
CREATE TABLE list_source_line (
  bureau_id   text NOT NULL,
  version_id  integer NOT NULL,
  line        integer NOT NULL,
  text        text NOT NULL,
  PRIMARY KEY (bureau_id, version_id, line),
  FOREIGN KEY (bureau_id, version_id) REFERENCES list_version (bureau_id, version_id) ON DELETE CASCADE
);
