-- payments_under_way_versions (0017) goes up when a payment of the account comes under way or
-- stops being under way (lib/invoices/balance.ts paymentUnderWaySql: an open payment allocated to
-- the invoice), so a page of the invoice list kept under it (lib/invoices/page-cache.ts) never
-- shows a stale "processing". Moves between the open states (pending, processing,
-- requires_action) change nothing the list shows and raise nothing. A payment's allocations are
-- written in the transaction that inserts it, so the payment's own row is enough.
--
-- At commit, not at once: a checkout starts (begin_card_payment) with its invoices locked, and
-- automatic payment starts one with the account's row share-locked as well; deferred, the
-- version's row is the last lock such a transaction takes, so two of them never wait for each
-- other while one holds it.
CREATE OR REPLACE FUNCTION payment_under_way(state payment_state) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT state IN ('pending', 'processing', 'requires_action');
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bump_payments_under_way_version(account uuid) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO payments_under_way_versions (account_id, version) VALUES (account, 1)
  ON CONFLICT (account_id) DO UPDATE SET version = payments_under_way_versions.version + 1;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION payments_under_way_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF payment_under_way(NEW.state) THEN
      PERFORM bump_payments_under_way_version(NEW.account_id);
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF payment_under_way(OLD.state) THEN
      PERFORM bump_payments_under_way_version(OLD.account_id);
    END IF;
  ELSIF payment_under_way(OLD.state) IS DISTINCT FROM payment_under_way(NEW.state)
     OR (NEW.account_id IS DISTINCT FROM OLD.account_id AND (payment_under_way(OLD.state) OR payment_under_way(NEW.state))) THEN
    PERFORM bump_payments_under_way_version(NEW.account_id);
    IF NEW.account_id IS DISTINCT FROM OLD.account_id THEN
      PERFORM bump_payments_under_way_version(OLD.account_id);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER payments_under_way_changed
AFTER INSERT OR DELETE OR UPDATE OF state, account_id ON payments
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION payments_under_way_changed();
--> statement-breakpoint
-- The ledger version (0004) for every invoice column a row of the list or the Dashboard's 24 months
-- show, not only those that move a balance.
DROP TRIGGER invoices_ledger_changed ON invoices;
--> statement-breakpoint
CREATE TRIGGER invoices_ledger_changed
AFTER DELETE OR UPDATE OF account_id, number, type, invoice_date, due_date, period_start, currency, net_minor, vat_minor, total_minor, credits_invoice_id ON invoices
FOR EACH ROW EXECUTE FUNCTION invoices_ledger_changed();
