-- Annual reform reporting: a list version carries the date it took effect (the label, e.g.
-- 2024年版, is already on list_version). Diffs between versions are computed on request from
-- the item tables (80–1000 items per version), so no cache table.

ALTER TABLE list_version ADD COLUMN effective_date date;
