-- What kind of parse issue each is (a field, a numbering gap, 序号重复, a truncated file…) and how
-- much it matters (info or warning), as the parser reports them (etl/parse/list-types.ts).
ALTER TABLE parse_issue ADD COLUMN kind text NOT NULL DEFAULT 'field';
ALTER TABLE parse_issue ADD COLUMN severity text NOT NULL DEFAULT 'warning' CHECK (severity IN ('info', 'warning'));
