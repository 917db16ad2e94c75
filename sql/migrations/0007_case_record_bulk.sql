-- case_record is a fact table written by COPY and read only in full, per bureau, by the aggregate
-- refresh (etl/load/case-aggregates.ts); nothing looks cases up by item or by id outside a load.
-- Its two B-tree indexes cost more than the COPY itself (5,000,000 rows: COPY 15.8 s without
-- them, 37 s through INSERT with them), so they go. One case id per bureau is the loader's rule,
-- checked set-based at the end of every load (etl/load/case-repeats.ts), and the old primary key
-- could not have kept it anyway: with the partition key in it, it let one case id stand in two years.
ALTER TABLE case_record DROP CONSTRAINT case_record_pkey;
DROP INDEX case_record_item_idx;

-- Provenance: the line of the loaded file each case came from (NULL for cases loaded before).
ALTER TABLE case_record ADD COLUMN source_line integer;
