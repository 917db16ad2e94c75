-- A list's own date (published or adopted), given when it is loaded (etl load --list-date) or
-- read from a clean sheet's title row (发布日期：…): the date "as of the list's date" uses.
ALTER TABLE list_version ADD COLUMN list_date date;

-- Reviewed corrections that did not apply to a version: the item is not in it, or it no longer
-- reads the text the correction fixes. Listed for review, never applied.
CREATE TABLE correction_stale (
  bureau_id    text NOT NULL,
  version_id   integer NOT NULL,
  stale_no     integer NOT NULL,
  source_file  text NOT NULL,
  source_line  integer NOT NULL,
  code         text,
  seq          integer,
  field        text NOT NULL,
  sub_no       integer,
  reads        text NOT NULL,
  found        text,
  message      text NOT NULL,
  PRIMARY KEY (bureau_id, version_id, stale_no),
  FOREIGN KEY (bureau_id, version_id) REFERENCES list_version (bureau_id, version_id) ON DELETE CASCADE
);
