-- Writers of usage records that predate `usage_date` (0012) leave it out. A column default
-- cannot follow `period` (a record may be for another month than today's, and the check keeps
-- the date in its month), so this trigger fills a missing date: today, held within the record's
-- month (its last day for a past month, its first for a future one).
CREATE OR REPLACE FUNCTION usage_records_default_date() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.usage_date IS NULL THEN
    NEW.usage_date := least(greatest(current_date, NEW.period), (NEW.period + interval '1 month' - interval '1 day')::date);
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER usage_records_default_date
BEFORE INSERT ON usage_records
FOR EACH ROW EXECUTE FUNCTION usage_records_default_date();
