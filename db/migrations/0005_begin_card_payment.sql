-- The start of a card payment (lib/payments/engine.ts beginCardPayment), as one statement: the
-- pay action's begin, lock, replay check, balances, three inserts and commit took four round
-- trips from the server, each costing the server's main thread a socket write and a wake-up,
-- and the query builder's work on seven statements; the pay action's p95 missed its target.
--
-- It runs as its own transaction. Under READ COMMITTED each statement of a VOLATILE function
-- takes a new snapshot, so everything after the lock sees what was committed while it waited
-- (a bank transfer, another attempt): the lock-wait tests in tests/integration/payments.test.ts.
--
-- The outstanding amount below is lib/invoices/balance.ts's outstandingMinorSql as drizzle
-- renders it, and the open states are engine.ts's OPEN_STATES: a test compares this function's
-- source in the database with both, so a change there fails until a migration replaces this.
--
-- Answers a JSON object: {kind: "created", paymentId, amountMinor, currency},
-- {kind: "existing", paymentId, state, providerReference}, {kind: "in_progress", paymentId,
-- providerReference} or {kind: "refused", reason}. Amounts are decimal strings of minor units.
CREATE OR REPLACE FUNCTION begin_card_payment(
  p_account_id uuid,
  p_user_id uuid,
  p_numbers bigint[],
  p_expected_minor bigint,
  p_idempotency_key text,
  p_provider payment_provider,
  p_payment_id uuid
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_locked int;
  v_answer jsonb;
  v_currencies int;
  v_currency char(3);
  v_least bigint;
  v_total bigint;
  v_ids uuid[];
  v_owed bigint[];
  v_numbers bigint[];
BEGIN
  IF coalesce(cardinality(p_numbers), 0) = 0 THEN
    RETURN jsonb_build_object('kind', 'refused', 'reason', 'not_found');
  END IF;

  -- Lock the invoices, in a fixed order so that two requests never deadlock.
  PERFORM 1 FROM invoices
  WHERE invoices.account_id = p_account_id AND invoices.type = 'invoice' AND invoices.number = ANY (p_numbers)
  ORDER BY invoices.id
  FOR UPDATE;
  GET DIAGNOSTICS v_locked = ROW_COUNT;

  -- A retried submission gets the first result. Read once the locks are held: a retry racing
  -- the first request then finds the payment that one committed.
  SELECT jsonb_build_object('kind', 'existing', 'paymentId', p.id, 'state', p.state, 'providerReference', p.provider_reference)
  INTO v_answer
  FROM payments p
  WHERE p.account_id = p_account_id AND p.idempotency_key = p_idempotency_key;
  IF FOUND THEN
    RETURN v_answer;
  END IF;

  IF v_locked <> cardinality(p_numbers) THEN
    RETURN jsonb_build_object('kind', 'refused', 'reason', 'not_found');
  END IF;

  SELECT count(DISTINCT b.currency), min(b.currency), min(b.outstanding), sum(b.outstanding),
         array_agg(b.id ORDER BY b.id), array_agg(b.outstanding ORDER BY b.id), array_agg(b.number ORDER BY b.number)
  INTO v_currencies, v_currency, v_least, v_total, v_ids, v_owed, v_numbers
  FROM (
    SELECT invoices.id, invoices.number, invoices.currency,
           (case when "invoices"."type" = 'credit_note' then 0
  else greatest("invoices"."total_minor" - coalesce((
  select sum(pa.amount_minor) from payment_allocations pa
  join payments p on p.id = pa.payment_id and p.state = 'succeeded'
  where pa.invoice_id = "invoices"."id"), 0) - coalesce((
  select sum(c.total_minor) from invoices c where c.credits_invoice_id = "invoices"."id"), 0), 0) end) AS outstanding
    FROM invoices
    WHERE invoices.account_id = p_account_id AND invoices.type = 'invoice' AND invoices.number = ANY (p_numbers)
  ) b;

  -- While an attempt is open for one of the invoices, that one is answered, not a second.
  SELECT jsonb_build_object('kind', 'in_progress', 'paymentId', p.id, 'providerReference', p.provider_reference)
  INTO v_answer
  FROM payment_allocations pa JOIN payments p ON p.id = pa.payment_id
  WHERE pa.invoice_id = ANY (v_ids) AND p.state in ('pending', 'processing', 'requires_action')
  LIMIT 1;
  IF FOUND THEN
    RETURN v_answer;
  END IF;

  IF v_currencies <> 1 THEN
    RETURN jsonb_build_object('kind', 'refused', 'reason', 'mixed_currency');
  END IF;
  IF v_least <= 0 THEN
    RETURN jsonb_build_object('kind', 'refused', 'reason', 'nothing_outstanding');
  END IF;
  -- What the person saw and agreed to pay must be what is outstanding now.
  IF v_total <> p_expected_minor THEN
    RETURN jsonb_build_object('kind', 'refused', 'reason', 'amount_changed');
  END IF;

  INSERT INTO payments (id, account_id, provider, method, state, amount_minor, currency, idempotency_key, created_by_user_id)
  VALUES (p_payment_id, p_account_id, p_provider, 'card', 'pending', v_total, v_currency, p_idempotency_key, p_user_id)
  ON CONFLICT (account_id, idempotency_key) DO NOTHING;
  IF NOT FOUND THEN
    -- The same key, committed meanwhile by a request for other invoices: that one's result.
    SELECT jsonb_build_object('kind', 'existing', 'paymentId', p.id, 'state', p.state, 'providerReference', p.provider_reference)
    INTO v_answer
    FROM payments p
    WHERE p.account_id = p_account_id AND p.idempotency_key = p_idempotency_key;
    RETURN v_answer;
  END IF;
  INSERT INTO payment_allocations (payment_id, invoice_id, amount_minor)
  SELECT p_payment_id, o.id, o.owed FROM unnest(v_ids, v_owed) AS o(id, owed);
  INSERT INTO audit_events (account_id, actor_user_id, action, entity_type, entity_id, after)
  VALUES (p_account_id, p_user_id, 'payment.started', 'payment', p_payment_id::text,
          jsonb_build_object('provider', p_provider, 'amountMinor', v_total::text, 'currency', v_currency, 'invoices', to_jsonb(v_numbers)));
  RETURN jsonb_build_object('kind', 'created', 'paymentId', p_payment_id, 'amountMinor', v_total::text, 'currency', v_currency);
END;
$$;
