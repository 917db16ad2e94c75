-- Several bureaus in one database: each bureau row keeps its registry facts (credit code, region)
-- and the profile its lists are parsed with (sections, levels, code segments), so a bureau created
-- at load time (etl load --bureau ID --bureau-name NAME) is known to every later load.
ALTER TABLE bureau ADD COLUMN credit_code text;
ALTER TABLE bureau ADD COLUMN region text;
ALTER TABLE bureau ADD COLUMN profile jsonb;
