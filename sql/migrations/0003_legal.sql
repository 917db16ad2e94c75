-- Legal basis: the instrument registry (reference data, the same for every bureau: Citus
-- reference tables), list metadata, and per list version the citations and fine clauses
-- derived from each item's 实施依据 (fact tables keyed by bureau_id first, co-located with item).
-- Dates are text because sources state them as precisely as they do: YYYY, YYYY-MM or YYYY-MM-DD.

CREATE TABLE registry_load (
  registry      text PRIMARY KEY,           -- 'instruments' | 'lists'
  content_hash  text NOT NULL,
  source_file   text NOT NULL,
  loaded_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE instrument (
  instrument_id  text PRIMARY KEY,
  title          text NOT NULL,
  kind           text NOT NULL,
  issuer         text NOT NULL,
  doc_number     text,
  status         text NOT NULL CHECK (status IN ('in_force', 'repealed', 'unknown')),
  replaced_by    text,
  replaced_on    text,
  source         text,
  verified       boolean NOT NULL,          -- instrument-level facts have a public source
  source_line    integer                    -- where the entry starts in data/instruments.yaml
);

-- Normalised title and every alias; citations are matched on title_key.
CREATE TABLE instrument_alias (
  title_key      text PRIMARY KEY,
  instrument_id  text NOT NULL REFERENCES instrument (instrument_id) ON DELETE CASCADE,
  alias          text NOT NULL
);

CREATE TABLE instrument_event (
  instrument_id  text NOT NULL REFERENCES instrument (instrument_id) ON DELETE CASCADE,
  event_no       integer NOT NULL,
  event          text NOT NULL CHECK (event IN ('adopted', 'promulgated', 'effective', 'amended', 'revised', 'issued')),
  event_date     text NOT NULL,
  by_text        text,
  ordinal        integer,
  doc_number     text,
  note           text,
  source         text,
  verified       boolean NOT NULL,
  PRIMARY KEY (instrument_id, event_no)
);

-- data/lists/lists.yaml: label and own date of each list file.
CREATE TABLE list_meta (
  source_file      text PRIMARY KEY,
  label            text NOT NULL,
  list_date        text,
  list_date_basis  text NOT NULL CHECK (list_date_basis IN ('stated', 'latest_cited_date')),
  source           text,
  verified         boolean NOT NULL
);

-- Which list versions have their citations and fine clauses derived, and by which parser.
CREATE TABLE legal_derivation (
  bureau_id     text NOT NULL,
  version_id    integer NOT NULL,
  citations     integer NOT NULL,
  fine_clauses  integer NOT NULL,
  derived_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bureau_id, version_id),
  FOREIGN KEY (bureau_id, version_id) REFERENCES list_version (bureau_id, version_id) ON DELETE CASCADE
);

CREATE TABLE citation (
  bureau_id             text NOT NULL,
  version_id            integer NOT NULL,
  seq                   integer NOT NULL,
  citation_no           integer NOT NULL,
  list_no               integer,
  title                 text NOT NULL,       -- as written between 《》
  cited_title           text NOT NULL,       -- X for 《关于印发〈X〉的通知》
  title_key             text NOT NULL,
  form                  text NOT NULL,
  notice_title          text,
  instrument_id         text,                -- resolved from instrument_alias; refreshed on every registry load
  doc_numbers           text[] NOT NULL,
  claimed_version_date  text,
  stated_dates          text[] NOT NULL,
  articles              text[] NOT NULL,
  passage               text NOT NULL,
  source_lines          integer[] NOT NULL,
  PRIMARY KEY (bureau_id, version_id, seq, citation_no),
  FOREIGN KEY (bureau_id, version_id, seq) REFERENCES item (bureau_id, version_id, seq) ON DELETE CASCADE
);
CREATE INDEX citation_title_key_idx ON citation (title_key);

CREATE TABLE fine_clause (
  bureau_id     text NOT NULL,
  version_id    integer NOT NULL,
  seq           integer NOT NULL,
  clause_no     integer NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('fixed_range', 'per_person_range', 'multiple', 'cap_only', 'unspecified')),
  min_yuan      double precision,
  max_yuan      double precision,
  min_multiple  double precision,
  max_multiple  double precision,
  base_key      text,
  base          text,
  per           text,
  target        text,
  condition     text,
  clause_text   text NOT NULL,
  source_lines  integer[] NOT NULL,
  PRIMARY KEY (bureau_id, version_id, seq, clause_no),
  FOREIGN KEY (bureau_id, version_id, seq) REFERENCES item (bureau_id, version_id, seq) ON DELETE CASCADE
);
