-- The audit log is append-only. The application's role gets INSERT and SELECT on it only
-- (`npm run db:roles`); this trigger refuses UPDATE and DELETE for every role, the owner
-- included, as a second line of defence. The one change let through is the foreign keys' own
-- ON DELETE SET NULL (a deleted user or account): it runs from the referential trigger
-- (trigger depth 2) and only clears those two columns. TRUNCATE stays with the owner (resets
-- of test and demo databases); the application's role is not granted it.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1
     AND NEW.id = OLD.id
     AND NEW.action = OLD.action
     AND NEW.entity_type = OLD.entity_type
     AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id
     AND NEW.before IS NOT DISTINCT FROM OLD.before
     AND NEW.after IS NOT DISTINCT FROM OLD.after
     AND NEW.at = OLD.at
     AND (NEW.account_id IS NULL OR NEW.account_id = OLD.account_id)
     AND (NEW.actor_user_id IS NULL OR NEW.actor_user_id = OLD.actor_user_id) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only
BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
