-- The smallest and largest case id each loaded file wrote to each China year (the year of
-- started_at, which picks the partition), in byte order (COLLATE "C"). A load replaces earlier
-- cases of the ids it brings (etl/load/case-repeats.ts); case_record has no index on case_id (its
-- upkeep cost more than the COPY), so finding them meant reading every earlier case of the
-- bureau. With these ranges the replacement reads only the years where an earlier file's ids can
-- meet the new file's: exports number their cases by year, so usually only the years it loads.
-- Rows deleted later leave a range wider than needed, never narrower.
CREATE TABLE case_id_range (
  bureau_id    text NOT NULL,
  file_id      integer NOT NULL,
  year         integer NOT NULL,
  min_case_id  text COLLATE "C" NOT NULL,
  max_case_id  text COLLATE "C" NOT NULL,
  PRIMARY KEY (bureau_id, file_id, year)
);

-- The ranges of the cases already loaded. Not on a coordinator of the sharded deployment (it has
-- shards in cluster_shard): there case_record reads the shards, which backfill their own ranges,
-- and `cluster init` turns this table into partitions on them, as it requires it empty.
INSERT INTO case_id_range (bureau_id, file_id, year, min_case_id, max_case_id)
SELECT bureau_id, file_id, extract(year FROM started_at AT TIME ZONE 'Asia/Shanghai')::int,
       min(case_id COLLATE "C"), max(case_id COLLATE "C")
FROM case_record
WHERE NOT EXISTS (SELECT 1 FROM cluster_shard)
GROUP BY 1, 2, 3;
