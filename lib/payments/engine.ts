/**
 * The payment engine. Guarantees (docs/product.md, "A payment never happens twice"):
 * - An attempt is recorded as pending in the transaction that locks its invoices, checks they
 *   are still outstanding and that the amount equals what is outstanding.
 * - While one is pending for an invoice, a new request gets that one back, not a second.
 * - The same idempotency key returns the first result.
 * - A provider outcome changes a payment's state once: replays, duplicates and late callbacks
 *   for a finished payment change nothing; an amount or currency that differs is refused.
 */
import crypto from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { rows, type Database, type Executor } from "@/db/client";
import { invoices, paymentAllocations, paymentEvents, payments, type PaymentChannel, type PaymentState } from "@/db/schema";
import { audit } from "@/lib/audit";
import type { PaymentProvider, ProviderEvent, ProviderOutcome } from "./provider";
import { FINAL_STATES, OPEN_STATES } from "./states";

export { FINAL_STATES, OPEN_STATES };

export type BeginInput = {
  accountId: string;
  /** Null for automatic payment, which no person starts. */
  userId: string | null;
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

/** What db/migrations' begin_card_payment answers (amounts as decimal strings). */
type Began =
  | { kind: "created"; paymentId: string; amountMinor: string; currency: string }
  | { kind: "existing"; paymentId: string; state: PaymentState; providerReference: string | null }
  | { kind: "in_progress"; paymentId: string; providerReference: string | null }
  | { kind: "refused"; reason: Extract<BeginResult, { kind: "refused" }>["reason"] };

const REFUSALS: Record<Extract<BeginResult, { kind: "refused" }>["reason"], string> = {
  not_found: "An invoice was not found.",
  nothing_outstanding: "Nothing is outstanding on this invoice any more.",
  amount_changed: "The outstanding amount has changed. Please check it and try again.",
  mixed_currency: "Invoices in different currencies are paid separately.",
};

/**
 * Records a pending attempt for the chosen invoices, or says why not. The database function
 * begin_card_payment (db/migrations/0005_begin_card_payment.sql) does it in one statement, its
 * own transaction: it locks the invoices (in a fixed order, so two requests never deadlock),
 * answers a retried key with its first result, reads the balances and any open attempt after the
 * lock (each statement of the function takes a new snapshot, so a payment committed during the
 * lock wait counts), checks the amount, and writes the payment, its allocations and the audit row.
 */
export async function beginCardPayment(db: Executor, input: BeginInput): Promise<BeginResult> {
  const numbers = [...new Set(input.numbers)];
  // Validated integers, passed as one array literal: drizzle would expand a JS array into a list.
  const numbersArray = `{${numbers.map((n) => BigInt(n).toString()).join(",")}}`;
  const paymentId = crypto.randomUUID();
  const [row] = await rows<{ began: Began }>(
    db,
    sql`select begin_card_payment(${input.accountId}::uuid, ${input.userId}::uuid, ${numbersArray}::bigint[],
          ${input.expectedAmountMinor.toString()}::bigint, ${input.idempotencyKey}::text, ${input.provider}::payment_provider,
          ${paymentId}::uuid) as began`,
  );
  const began = row!.began;
  switch (began.kind) {
    case "created":
      return { kind: "created", paymentId: began.paymentId, amountMinor: BigInt(began.amountMinor), currency: began.currency };
    case "existing":
      return { kind: "existing", paymentId: began.paymentId, state: began.state, providerReference: began.providerReference };
    case "in_progress":
      return { kind: "in_progress", paymentId: began.paymentId, providerReference: began.providerReference };
    case "refused":
      return { kind: "refused", reason: began.reason, message: REFUSALS[began.reason] };
  }
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
    .select({ id: payments.id, amountMinor: payments.amountMinor, currency: payments.currency, channel: payments.channel, createdAt: payments.createdAt })
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

/**
 * Records which way an open card attempt goes to the provider, before it is sent: true when the
 * attempt is on that channel now (newly, or already); false when it was sent the other way, which
 * has its own provider key, so sending it this way too could charge it twice.
 */
export async function claimChannel(db: Executor, paymentId: string, channel: PaymentChannel): Promise<boolean> {
  const claimed = await db
    .update(payments)
    .set({ channel, updatedAt: sql`now()` })
    .where(and(eq(payments.id, paymentId), inArray(payments.state, [...OPEN_STATES]), sql`(${payments.channel} is null or ${payments.channel} = ${channel})`))
    .returning({ id: payments.id });
  return claimed.length > 0;
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

/** The id of a payment still under way (open) for the invoice, or null. */
export async function openPaymentIdFor(db: Executor, invoiceId: string): Promise<string | null> {
  const [open] = await db
    .select({ id: payments.id })
    .from(payments)
    .innerJoin(paymentAllocations, eq(paymentAllocations.paymentId, payments.id))
    .where(and(eq(paymentAllocations.invoiceId, invoiceId), inArray(payments.state, [...OPEN_STATES])))
    .limit(1);
  return open?.id ?? null;
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
