-- Extensions of statutory time limits (延长办理期限). A case export may carry the day an extension
-- was approved (README "Case CSV format", the optional extension_approved_at column); a span is
-- then judged within its limit plus the limit's extension, when the limit provides one
-- (etl/timeliness/judge-span.ts is the reference, etl/load/case-aggregates.ts the SQL).

-- The Asia/Shanghai day the extension was approved; NULL: not extended, or the file did not say.
ALTER TABLE case_record ADD COLUMN extension_approved_at date;

-- The extension the limit of each item span provides (time_limit.extension_*), NULL when none.
ALTER TABLE item_time_limit ADD COLUMN extension_days integer CHECK (extension_days > 0);
ALTER TABLE item_time_limit ADD COLUMN extension_unit text CHECK (extension_unit IN ('working', 'calendar'));

-- on_time: within the limit itself. on_time_extended: late by the limit, within limit + extension,
-- the extension approved in time. extension_unapplied: late spans of cases with an approved
-- extension that could not extend them (the limit provides none, or it was approved after the
-- original deadline had passed); they are among `late`.
ALTER TABLE case_timeliness_month ADD COLUMN on_time_extended integer NOT NULL DEFAULT 0;
ALTER TABLE case_timeliness_month ADD COLUMN extension_unapplied integer NOT NULL DEFAULT 0;
ALTER TABLE case_timeliness_item_month ADD COLUMN on_time_extended integer NOT NULL DEFAULT 0;
ALTER TABLE case_timeliness_item_month ADD COLUMN extension_unapplied integer NOT NULL DEFAULT 0;
ALTER TABLE case_timeliness_item_month ADD COLUMN extension_days integer;
ALTER TABLE case_timeliness_item_month ADD COLUMN extension_unit text;

-- What an approved extension did for a late example: exceeded (late even within limit +
-- extension), no_provision (the limit provides none), approved_late (approved after the original
-- deadline); NULL when the case has no approved extension.
ALTER TABLE case_late_example ADD COLUMN extension text
  CHECK (extension IN ('exceeded', 'no_provision', 'approved_late'));
ALTER TABLE case_late_example ADD COLUMN extension_approved_at date;
