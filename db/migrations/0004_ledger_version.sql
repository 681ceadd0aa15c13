ALTER TABLE "accounts" ADD COLUMN "ledger_version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- accounts.ledger_version goes up in the transaction of every change that can move an invoice's
-- balance (lib/invoices/balance.ts: total − allocations of succeeded payments − credit notes), so a
-- summary cached under a version is never served after such a change commits. Triggers rather
-- than application code: the payment engine, bank import, reconcile job, billing run and credit
-- notes all write these tables, and none of them can forget.
CREATE OR REPLACE FUNCTION bump_ledger_version(account uuid) RETURNS void
LANGUAGE sql AS $$
  UPDATE accounts SET ledger_version = ledger_version + 1 WHERE id = account;
$$;
--> statement-breakpoint
-- Invoices are issued in batches (billing:run, the seeds): one UPDATE per statement and account.
CREATE OR REPLACE FUNCTION invoices_issued() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE accounts SET ledger_version = ledger_version + 1
  WHERE id IN (SELECT DISTINCT account_id FROM issued);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_issued
AFTER INSERT ON invoices REFERENCING NEW TABLE AS issued
FOR EACH STATEMENT EXECUTE FUNCTION invoices_issued();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoices_ledger_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM bump_ledger_version(OLD.account_id);
  IF TG_OP = 'UPDATE' AND NEW.account_id IS DISTINCT FROM OLD.account_id THEN
    PERFORM bump_ledger_version(NEW.account_id);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_ledger_changed
AFTER DELETE OR UPDATE OF account_id, type, total_minor, due_date, credits_invoice_id ON invoices
FOR EACH ROW EXECUTE FUNCTION invoices_ledger_changed();
--> statement-breakpoint
-- Only transitions into or out of 'succeeded' move a balance: a checkout starting (pending,
-- processing) or failing does not bump the version, so the hot payment path pays nothing for it.
CREATE OR REPLACE FUNCTION payments_ledger_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF (OLD.state = 'succeeded') IS DISTINCT FROM (NEW.state = 'succeeded') OR (NEW.state = 'succeeded' AND NEW.account_id IS DISTINCT FROM OLD.account_id) THEN
      PERFORM bump_ledger_version(NEW.account_id);
      IF NEW.account_id IS DISTINCT FROM OLD.account_id THEN
        PERFORM bump_ledger_version(OLD.account_id);
      END IF;
    END IF;
  ELSIF TG_OP = 'INSERT' THEN
    IF NEW.state = 'succeeded' THEN
      PERFORM bump_ledger_version(NEW.account_id);
    END IF;
  ELSIF OLD.state = 'succeeded' THEN
    PERFORM bump_ledger_version(OLD.account_id);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER payments_ledger_changed
AFTER INSERT OR DELETE OR UPDATE OF state, account_id ON payments
FOR EACH ROW EXECUTE FUNCTION payments_ledger_changed();
--> statement-breakpoint
-- An allocation counts once its payment has succeeded: allocations written with a succeeded
-- payment (bank import, account credit) bump here; those of a checkout bump when it succeeds.
CREATE OR REPLACE FUNCTION payment_allocations_ledger_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    ids := ARRAY[NEW.payment_id];
  ELSIF TG_OP = 'DELETE' THEN
    ids := ARRAY[OLD.payment_id];
  ELSE
    ids := ARRAY[NEW.payment_id, OLD.payment_id];
  END IF;
  PERFORM bump_ledger_version(s.account_id)
  FROM (SELECT DISTINCT p.account_id FROM payments p WHERE p.state = 'succeeded' AND p.id = ANY (ids)) s;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER payment_allocations_ledger_changed
AFTER INSERT OR DELETE OR UPDATE ON payment_allocations
FOR EACH ROW EXECUTE FUNCTION payment_allocations_ledger_changed();
