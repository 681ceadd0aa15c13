/**
 * The payment engine. Guarantees (DESIGN.md "A payment never happens twice"):
 * - An attempt is recorded as pending in the transaction that locks its invoices, checks they
 *   are still outstanding and that the amount equals what is outstanding.
 * - While one is pending for an invoice, a new request gets that one back, not a second.
 * - The same idempotency key returns the first result.
 * - A provider outcome changes a payment's state once: replays, duplicates and late callbacks
 *   for a finished payment change nothing; an amount or currency that differs is refused.
 */
import crypto from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { invoices, paymentAllocations, paymentEvents, payments, type PaymentState } from "@/db/schema";
import { audit } from "@/lib/audit";
import { outstandingMinorSql } from "@/lib/invoices/balance";
import type { PaymentProvider, ProviderEvent, ProviderOutcome } from "./provider";

export const OPEN_STATES = ["pending", "processing", "requires_action"] as const satisfies PaymentState[];
export const FINAL_STATES = ["succeeded", "failed", "cancelled"] as const satisfies PaymentState[];

export type BeginInput = {
  accountId: string;
  userId: string;
  numbers: number[];
  /** What the person saw and agreed to pay: must equal what is outstanding now. */
  expectedAmountMinor: bigint;
  idempotencyKey: string;
  provider: PaymentProvider["name"];
};

export type BeginResult =
  | { kind: "created"; paymentId: string; amountMinor: bigint; currency: string }
  | { kind: "existing"; paymentId: string; state: PaymentState; providerReference: string | null }
  | { kind: "in_progress"; paymentId: string; providerReference: string | null }
  | { kind: "refused"; reason: "not_found" | "nothing_outstanding" | "amount_changed" | "mixed_currency"; message: string };

type OpenAttempt = { id: string; providerReference: string | null };

/**
 * An attempt still open on the invoice, read in the statement that reads its balance (one round
 * trip less). A nested SQL object, like the balance's: drizzle writes the columns of a field's own
 * top-level chunks without their table in a one-table select, which the subquery would misread.
 */
const openAttemptSql = sql`(
  select json_build_object('id', ${payments.id}, 'providerReference', ${payments.providerReference})
  from ${payments} join ${paymentAllocations} on ${paymentAllocations.paymentId} = ${payments.id}
  where ${paymentAllocations.invoiceId} = ${invoices.id} and ${inArray(payments.state, [...OPEN_STATES])}
  limit 1)`;

export async function beginCardPayment(db: Database, input: BeginInput): Promise<BeginResult> {
  const numbers = [...new Set(input.numbers)];
  return db.transaction(async (tx) => {
    const chosen = and(eq(invoices.accountId, input.accountId), eq(invoices.type, "invoice"), inArray(invoices.number, numbers));
    // Three statements in one round trip. Locking first for a replayed request is harmless: it
    // answers without writing, and the locks end with it.
    const [[replay], , locked] = await Promise.all([
      tx
        .select({ id: payments.id, state: payments.state, providerReference: payments.providerReference })
        .from(payments)
        .where(and(eq(payments.accountId, input.accountId), eq(payments.idempotencyKey, input.idempotencyKey)))
        .limit(1),
      // Lock the invoices, in a fixed order so that two requests never deadlock.
      tx.select({ id: invoices.id }).from(invoices).where(chosen).orderBy(invoices.id).for("update"),
      // Balances in a statement of their own: under READ COMMITTED the locking statement's own
      // subqueries would still see the snapshot from before its lock wait, missing a payment
      // committed meanwhile. Sent together with it, this one still starts (and takes its
      // snapshot) only once the lock is held: PostgreSQL runs a connection's statements in turn.
      tx
        .select({
          id: invoices.id,
          number: invoices.number,
          currency: invoices.currency,
          outstanding: sql<string>`${outstandingMinorSql}`,
          open: sql<OpenAttempt | null>`${openAttemptSql}`,
        })
        .from(invoices)
        .where(chosen)
        .orderBy(invoices.id),
    ]);
    if (replay) return { kind: "existing", paymentId: replay.id, state: replay.state, providerReference: replay.providerReference };

    if (locked.length !== numbers.length || numbers.length === 0) {
      return { kind: "refused", reason: "not_found", message: "An invoice was not found." };
    }
    const open = locked.find((l) => l.open)?.open;
    if (open) return { kind: "in_progress", paymentId: open.id, providerReference: open.providerReference };

    const currencies = new Set(locked.map((l) => l.currency));
    if (currencies.size !== 1) return { kind: "refused", reason: "mixed_currency", message: "Invoices in different currencies are paid separately." };
    const owed = locked.map((l) => ({ ...l, outstandingMinor: BigInt(l.outstanding) }));
    if (owed.some((o) => o.outstandingMinor <= 0n)) {
      return { kind: "refused", reason: "nothing_outstanding", message: "Nothing is outstanding on this invoice any more." };
    }
    const amountMinor = owed.reduce((s, o) => s + o.outstandingMinor, 0n);
    if (amountMinor !== input.expectedAmountMinor) {
      return { kind: "refused", reason: "amount_changed", message: "The outstanding amount has changed. Please check it and try again." };
    }
    const currency = owed[0]!.currency;
    // The id is made here so that the three inserts need no answer from each other: postgres.js
    // sends them back to back on the transaction's connection (one round trip instead of three).
    const paymentId = crypto.randomUUID();
    await Promise.all([
      tx.insert(payments).values({
        id: paymentId,
        accountId: input.accountId,
        provider: input.provider,
        method: "card",
        state: "pending",
        amountMinor,
        currency,
        idempotencyKey: input.idempotencyKey,
        createdByUserId: input.userId,
      }),
      tx.insert(paymentAllocations).values(owed.map((o) => ({ paymentId, invoiceId: o.id, amountMinor: o.outstandingMinor }))),
      audit(tx, {
        accountId: input.accountId,
        actorUserId: input.userId,
        action: "payment.started",
        entityType: "payment",
        entityId: paymentId,
        after: { provider: input.provider, amountMinor, currency, invoices: owed.map((o) => o.number) },
      }),
    ]);
    return { kind: "created", paymentId, amountMinor, currency };
  });
}

/** A pending attempt without a checkout for this long was stranded: creating one takes under a second. */
export const STRANDED_AFTER_SECONDS = 30;

/**
 * The account's pending card payment whose checkout was never created (the server stopped
 * between recording the attempt and asking the provider), with what a checkout needs; null for
 * any other payment, and for one created less than STRANDED_AFTER_SECONDS ago (its request may
 * still be creating the checkout).
 */
export async function strandedPayment(db: Executor, accountId: string, paymentId: string, now: Date = new Date()) {
  const [p] = await db
    .select({ id: payments.id, amountMinor: payments.amountMinor, currency: payments.currency })
    .from(payments)
    .where(
      and(
        eq(payments.id, paymentId),
        eq(payments.accountId, accountId),
        eq(payments.method, "card"),
        eq(payments.state, "pending"),
        sql`${payments.providerReference} is null`,
        sql`${payments.createdAt} < ${now.toISOString()}::timestamptz - make_interval(secs => ${STRANDED_AFTER_SECONDS})`,
      ),
    )
    .limit(1);
  if (!p) return null;
  return { ...p, numbers: await paymentInvoiceNumbers(db, p.id) };
}

/** The numbers of the invoices a payment covers, in order. */
export async function paymentInvoiceNumbers(db: Executor, paymentId: string): Promise<number[]> {
  const covered = await db
    .select({ number: invoices.number })
    .from(paymentAllocations)
    .innerJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId))
    .where(eq(paymentAllocations.paymentId, paymentId))
    .orderBy(invoices.number);
  return covered.map((c) => c.number);
}

/** Records the provider's checkout for a pending payment (only while it is still open). */
export async function attachCheckout(db: Executor, paymentId: string, providerReference: string): Promise<void> {
  await db
    .update(payments)
    .set({ providerReference, updatedAt: sql`now()` })
    .where(and(eq(payments.id, paymentId), inArray(payments.state, [...OPEN_STATES])));
}

export type ApplyResult = "changed" | "unchanged" | "duplicate" | "unknown_payment" | "mismatch";

/**
 * Applies what the provider says to the payment it belongs to, once. With an event id, the
 * event is kept and a replay of it is recognised (`duplicate`) and changes nothing.
 */
export async function applyOutcome(
  db: Database,
  provider: PaymentProvider["name"],
  outcome: ProviderOutcome | ProviderEvent,
  actorUserId: string | null = null,
): Promise<ApplyResult> {
  return db.transaction(async (tx) => {
    const [payment] = await tx
      .select({ id: payments.id, accountId: payments.accountId, state: payments.state, amountMinor: payments.amountMinor, currency: payments.currency })
      .from(payments)
      .where(and(eq(payments.provider, provider), eq(payments.providerReference, outcome.providerReference)))
      .for("update");
    const eventId = "eventId" in outcome ? outcome.eventId : null;
    const record = async (result: string) => {
      if (!eventId) return true;
      const inserted = await tx
        .insert(paymentEvents)
        .values({
          provider,
          eventId,
          paymentId: payment?.id ?? null,
          type: (outcome as ProviderEvent).type,
          outcome: result,
          payload: JSON.parse(JSON.stringify(outcome, (_k, v) => (typeof v === "bigint" ? v.toString() : v))),
        })
        .onConflictDoNothing()
        .returning({ id: paymentEvents.id });
      return inserted.length > 0;
    };
    if (!payment) {
      await record("unknown_payment");
      return "unknown_payment";
    }
    // The payment row is locked: a concurrent delivery of the same event waits here, then finds it recorded.
    if (eventId) {
      const [seen] = await tx
        .select({ id: paymentEvents.id })
        .from(paymentEvents)
        .where(and(eq(paymentEvents.provider, provider), eq(paymentEvents.eventId, eventId)))
        .limit(1);
      if (seen) return "duplicate";
    }
    if (outcome.amountMinor !== payment.amountMinor || outcome.currency !== payment.currency) {
      await record("mismatch");
      await audit(tx, {
        accountId: payment.accountId,
        actorUserId,
        action: "payment.mismatch_refused",
        entityType: "payment",
        entityId: payment.id,
        before: { amountMinor: payment.amountMinor, currency: payment.currency },
        after: { amountMinor: outcome.amountMinor, currency: outcome.currency, state: outcome.state },
      });
      return "mismatch";
    }
    const next: PaymentState = outcome.state;
    const isFinal = (FINAL_STATES as readonly string[]).includes(payment.state);
    if (isFinal || next === payment.state || next === "pending") {
      await record("unchanged");
      return "unchanged";
    }
    await tx
      .update(payments)
      .set({
        state: next,
        failureReason: next === "failed" || next === "cancelled" ? (outcome.failureReason ?? null) : null,
        settledAt: next === "succeeded" ? sql`now()` : null,
        updatedAt: sql`now()`,
      })
      .where(eq(payments.id, payment.id));
    await record("applied");
    await audit(tx, {
      accountId: payment.accountId,
      actorUserId,
      action: `payment.${next}`,
      entityType: "payment",
      entityId: payment.id,
      before: { state: payment.state },
      after: { state: next, failureReason: outcome.failureReason ?? null },
    });
    return "changed";
  });
}

/** Marks an open payment failed (e.g. the provider refused to create its checkout). */
export async function failOpenPayment(db: Database, paymentId: string, reason: string, actorUserId: string | null): Promise<void> {
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(payments)
      .set({ state: "failed", failureReason: reason, updatedAt: sql`now()` })
      .where(and(eq(payments.id, paymentId), inArray(payments.state, [...OPEN_STATES])))
      .returning({ accountId: payments.accountId });
    if (updated[0]) {
      await audit(tx, { accountId: updated[0].accountId, actorUserId, action: "payment.failed", entityType: "payment", entityId: paymentId, after: { reason } });
    }
  });
}

/** Asks the provider about an open payment and applies the answer (return page, reconcile job). */
export async function reconcilePayment(db: Database, provider: PaymentProvider, paymentId: string): Promise<ApplyResult | "not_open"> {
  const [payment] = await db
    .select({ state: payments.state, providerReference: payments.providerReference })
    .from(payments)
    .where(and(eq(payments.id, paymentId), eq(payments.provider, provider.name)))
    .limit(1);
  if (!payment || !payment.providerReference || !(OPEN_STATES as readonly string[]).includes(payment.state)) return "not_open";
  const outcome = await provider.retrieve(payment.providerReference);
  if (!outcome) return "unknown_payment";
  return applyOutcome(db, provider.name, outcome);
}
