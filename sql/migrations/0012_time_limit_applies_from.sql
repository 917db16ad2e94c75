-- The date from which a statutory time limit binds (the day its text took effect): a span that
-- starts earlier is not judged by it (行政处罚法 art. 60's 90 days bind only from 2021-07-15).
-- Kept as YYYY-MM-DD text, like the registry's other civil dates; compared as ::date.
ALTER TABLE time_limit ADD COLUMN applies_from text CHECK (applies_from ~ '^\d{4}-\d{2}-\d{2}$');
ALTER TABLE time_limit ADD COLUMN applies_from_source jsonb;
ALTER TABLE item_time_limit ADD COLUMN applies_from text CHECK (applies_from ~ '^\d{4}-\d{2}-\d{2}$');
