/**
 * Attempts left open: committed, then the run stopped (kill -9, a crash) or no answer came. A
 * later run resolves each through the provider instead of charging it as new: it looks for the
 * charge made under the attempt's payment id (Stripe: PaymentIntent search on metadata.paymentId)
 * and records what it finds; a charge the provider never received is sent again under the same
 * provider key, which replays rather than charges twice, while the provider still keeps that key
 * (Stripe: 24 hours); after that, with the search finding nothing, nothing was charged.
 */
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { autopayAttempts, invoices, payments, savedCards } from "@/db/schema";
import { OPEN_STATES } from "../engine";
import type { PaymentProvider } from "../provider";
import { recordAnswer, recordOutcome, sendCharge, type Recorded } from "./charge";

/** An open attempt younger than this may still be waiting for its own run's answer; the search index may lag by a minute. */
export const RESUME_AFTER_SECONDS = 120;
/** Stripe forgets an idempotency key after 24 hours: a charge is sent again under it only well within that. */
const RESEND_WITHIN_MS = 23 * 60 * 60 * 1000;
export const NEVER_SENT_REASON = "The charge never reached the payment provider.";

/** Takes an open attempt over (one resumer at a time), or null when it was answered or taken meanwhile. */
async function leaseOpenAttempt(db: Database, attemptId: string) {
  const [row] = await db
    .update(autopayAttempts)
    .set({ updatedAt: sql`now()` })
    .where(and(eq(autopayAttempts.id, attemptId), eq(autopayAttempts.outcome, "open"), lt(autopayAttempts.updatedAt, sql`now() - make_interval(secs => ${RESUME_AFTER_SECONDS})`)))
    .returning({ paymentId: autopayAttempts.paymentId, accountId: autopayAttempts.accountId, invoiceId: autopayAttempts.invoiceId });
  return row ?? null;
}

async function resumeOne(db: Database, provider: PaymentProvider, attemptId: string): Promise<Recorded> {
  const lease = await leaseOpenAttempt(db, attemptId);
  if (!lease) return "unchanged";
  const found = await provider.findOffSessionCharge(lease.paymentId);
  if (found) return recordOutcome(db, provider, attemptId, lease.paymentId, found);
  const [p] = await db
    .select({ state: payments.state, amountMinor: payments.amountMinor, currency: payments.currency, createdAt: payments.createdAt, number: invoices.number, card: savedCards })
    .from(payments)
    .innerJoin(invoices, eq(invoices.id, lease.invoiceId))
    .leftJoin(savedCards, and(eq(savedCards.accountId, lease.accountId), eq(savedCards.provider, provider.name)))
    .where(and(eq(payments.id, lease.paymentId), inArray(payments.state, [...OPEN_STATES])));
  // Not found at the provider and too old to send again, or no card to send it with: nothing was charged.
  if (!p || !p.card || Date.now() - p.createdAt.getTime() > RESEND_WITHIN_MS) {
    return recordAnswer(db, provider, attemptId, lease.paymentId, { kind: "not_made", reason: NEVER_SENT_REASON });
  }
  const card = { providerReference: p.card.providerReference, customerReference: p.card.providerCustomerReference };
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

