/**
 * Attempts left open: committed, then the run stopped (kill -9, a crash) or no answer came. A
 * later run resolves each through the provider instead of charging it as new: it looks for the
 * charge made under the attempt's payment id (Stripe: PaymentIntent search on metadata.paymentId)
 * and records what it finds; a payment already final here (a webhook came first) gives the attempt
 * its state. A charge the provider never received is sent again under the same provider key,
 * which replays rather than charges twice, while the provider still keeps that key (Stripe: 24
 * hours), and only while the invoice still owes exactly that amount, automatic payment is still on
 * and the card is the one of the claim (checked under the account's and the invoice's locks);
 * otherwise, as after that window, nothing was charged and nothing will be.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import { rows, type Database } from "@/db/client";
import { autopayAttempts, invoices, payments } from "@/db/schema";
import { outstandingMinorSql } from "@/lib/invoices/balance";
import type { PaymentProvider } from "../provider";
import { recordAnswer, recordFinalPayment, recordOutcome, sendCharge, type Recorded } from "./charge";
import { lockStillCharging, type AutopayCard } from "./still-on";

/** An open attempt younger than this may still be waiting for its own run's answer; the search index may lag by a minute. */
export const RESUME_AFTER_SECONDS = 120;
/** Stripe forgets an idempotency key after 24 hours: a charge is sent again under it only well within that. */
const RESEND_WITHIN_MS = 23 * 60 * 60 * 1000;
export const NEVER_SENT_REASON = "The charge never reached the payment provider.";
/** Why a stranded charge is not sent again, though it could be. */
export const NOT_RESENT_REASONS = {
  switched_off: "Automatic payment was turned off before the charge was sent.",
  card_changed: "The saved card was removed or replaced before the charge was sent.",
  amount_changed: "The invoice was paid or its amount changed before the charge was sent.",
} as const;

type Lease = { paymentId: string; accountId: string; invoiceId: string };
type OpenPayment = { amountMinor: bigint; currency: string; createdAt: Date; number: number };

/** Takes an open attempt over (one resumer at a time), or null when it was answered or taken meanwhile. */
async function leaseOpenAttempt(db: Database, attemptId: string): Promise<Lease | null> {
  const [row] = await db
    .update(autopayAttempts)
    .set({ updatedAt: sql`now()` })
    .where(and(eq(autopayAttempts.id, attemptId), eq(autopayAttempts.outcome, "open"), lt(autopayAttempts.updatedAt, sql`now() - make_interval(secs => ${RESUME_AFTER_SECONDS})`)))
    .returning({ paymentId: autopayAttempts.paymentId, accountId: autopayAttempts.accountId, invoiceId: autopayAttempts.invoiceId });
  return row ?? null;
}

/** The card to send the charge again with, or why it must not be sent: checked under the account's, then the invoice's lock. */
async function resendCard(db: Database, provider: PaymentProvider, lease: Lease, p: OpenPayment): Promise<AutopayCard | keyof typeof NOT_RESENT_REASONS> {
  return db.transaction(async (tx) => {
    const still = await lockStillCharging(tx, lease.accountId, provider.name, { savedNoLaterThan: p.createdAt });
    if (typeof still === "string") return still;
    // Outstanding counts settled payments only: a bank import may have paid it while this one stayed open.
    const [owed] = await rows<{ outstanding: string }>(
      tx,
      sql`select (${outstandingMinorSql})::text as outstanding from invoices where invoices.id = ${lease.invoiceId}::uuid for update`,
    );
    return owed && BigInt(owed.outstanding) === p.amountMinor ? still.card : "amount_changed";
  });
}

async function resumeOne(db: Database, provider: PaymentProvider, attemptId: string): Promise<Recorded> {
  const lease = await leaseOpenAttempt(db, attemptId);
  if (!lease) return "unchanged";
  const found = await provider.findOffSessionCharge(lease.paymentId);
  if (found) return recordOutcome(db, provider, attemptId, lease.paymentId, found);
  const [p] = await db
    .select({ state: payments.state, failureReason: payments.failureReason, amountMinor: payments.amountMinor, currency: payments.currency, createdAt: payments.createdAt, number: invoices.number })
    .from(payments)
    .innerJoin(invoices, eq(invoices.id, lease.invoiceId))
    .where(eq(payments.id, lease.paymentId));
  if (!p) throw new Error(`payment ${lease.paymentId} of an automatic attempt not found`);
  if (p.state === "succeeded" || p.state === "failed" || p.state === "cancelled") return recordFinalPayment(db, attemptId, { ...p, state: p.state });
  const notMade = (reason: string) => recordAnswer(db, provider, attemptId, lease.paymentId, { kind: "not_made", reason });
  // Not found at the provider and too old to send again: nothing was charged.
  if (Date.now() - p.createdAt.getTime() > RESEND_WITHIN_MS) return notMade(NEVER_SENT_REASON);
  const card = await resendCard(db, provider, lease, p);
  if (typeof card === "string") return notMade(NOT_RESENT_REASONS[card]);
  return recordAnswer(db, provider, attemptId, lease.paymentId, await sendCharge(provider, { paymentId: lease.paymentId, amountMinor: p.amountMinor, currency: p.currency, number: p.number, card }));
}

/** Resolves the open attempts of the configured provider that no run is answering; counts what each came to. */
export async function resumeOpenAttempts(db: Database, provider: PaymentProvider): Promise<Recorded[]> {
  const open = await db
    .select({ id: autopayAttempts.id })
    .from(autopayAttempts)
    .innerJoin(payments, eq(payments.id, autopayAttempts.paymentId))
    .where(and(eq(autopayAttempts.outcome, "open"), eq(payments.provider, provider.name), lt(autopayAttempts.updatedAt, sql`now() - make_interval(secs => ${RESUME_AFTER_SECONDS})`)))
    .orderBy(autopayAttempts.createdAt);
  const results: Recorded[] = [];
  for (const { id } of open) {
    try {
      results.push(await resumeOne(db, provider, id));
    } catch (err) {
      // One provider lookup that fails does not stop the run: the attempt stays open for the next.
      console.error("Cumulus: resolving an open automatic payment failed:", err instanceof Error ? err.message : "unknown error");
      results.push("unchanged");
    }
  }
  return results;
}
