/**
 * One automatic charge of one invoice, in three steps:
 * 1. claim: with the account row share-locked, automatic payment still on and the card still the one
 *    the run read (still-on.ts); the payment (begin_card_payment, key `autopay-<invoice id>-<attempt>`, which locks the
 *    invoice and checks it is the account's, outstanding by exactly that amount and has no payment
 *    under way) and the attempt row are committed together, before the provider is asked;
 * 2. charge: the saved card, off-session, under the provider key of that payment
 *    (`off-session-<payment id>`), so sending it again replays the first answer;
 * 3. record: the provider's answer on the payment (applyOutcome, once) and on the attempt (only
 *    while open: of two recorders one wins), with its audit row and emails in that transaction.
 * An answer that never came leaves the attempt open; resume.ts resolves it through the provider.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { autopayAttempts, type AutopayOutcome } from "@/db/schema";
import { audit } from "@/lib/audit";
import { appOrigin } from "@/lib/env";
import { paymentDescription, paymentResultPath } from "../checkout";
import { applyOutcome, attachCheckout, beginCardPayment, claimChannel, failOpenPayment } from "../engine";
import { ChargeNotMadeError, type PaymentProvider, type ProviderOutcome, type SavedCardCharge } from "../provider";
import { attemptFacts } from "./facts";
import { queueChargeFailed, queueChargeReceipt } from "./emails";
import { declineOutcome, failureEndsAttempts } from "./schedule";
import { lockStillCharging, type AutopayCard, type NoLongerCharging } from "./still-on";

export const autopayIdempotencyKey = (invoiceId: string, attempt: number) => `autopay-${invoiceId}-${attempt}`;

export type ClaimInput = {
  accountId: string;
  invoiceId: string;
  number: number;
  outstandingMinor: bigint;
  attempt: number;
  chargeDate: string;
  /** The card the run read; the claim is refused when the account's card is another by now. */
  card: { providerReference: string };
};
/** `card` is the one read under the account's lock: the one to charge. */
export type Claimed = { attemptId: string; paymentId: string; amountMinor: bigint; currency: string; card: AutopayCard };
/** Why an invoice was not charged: another run has the attempt, the switch or card changed since the run read them, or begin_card_payment refused. */
export type ClaimRefusal = "already_claimed" | "payment_in_progress" | "not_found" | "nothing_outstanding" | "amount_changed" | "mixed_currency" | NoLongerCharging;

/** Step 1: the payment and the attempt, committed together, or why not. */
export async function claimAttempt(db: Database, provider: PaymentProvider, input: ClaimInput): Promise<Claimed | ClaimRefusal> {
  return db.transaction(async (tx) => {
    // The account before the invoice: the order removing the card takes its locks in.
    const still = await lockStillCharging(tx, input.accountId, provider.name, input.card);
    if (typeof still === "string") return still;
    const began = await beginCardPayment(tx, {
      accountId: input.accountId,
      userId: null,
      numbers: [input.number],
      expectedAmountMinor: input.outstandingMinor,
      idempotencyKey: autopayIdempotencyKey(input.invoiceId, input.attempt),
      provider: provider.name,
    });
    if (began.kind === "existing") return "already_claimed";
    if (began.kind === "in_progress") return "payment_in_progress";
    if (began.kind === "refused") return began.reason;
    const [row] = await tx
      .insert(autopayAttempts)
      .values({ accountId: input.accountId, invoiceId: input.invoiceId, attempt: input.attempt, paymentId: began.paymentId, chargeDate: input.chargeDate })
      .returning({ id: autopayAttempts.id });
    await claimChannel(tx, began.paymentId, "off_session");
    return { attemptId: row!.id, paymentId: began.paymentId, amountMinor: began.amountMinor, currency: began.currency, card: still.card };
  });
}

/** What the provider answered to a charge; `unknown` when no answer came (it may have charged). */
export type ChargeAnswer = SavedCardCharge | { kind: "not_made"; reason: string } | { kind: "unknown" };

/** Step 2: the off-session charge under the payment's own provider key. */
export async function sendCharge(
  provider: PaymentProvider,
  charge: { paymentId: string; amountMinor: bigint; currency: string; number: number; card: AutopayCard },
): Promise<ChargeAnswer> {
  try {
    return await provider.chargeSavedCard({
      paymentId: charge.paymentId,
      amountMinor: charge.amountMinor,
      currency: charge.currency,
      description: paymentDescription([charge.number]),
      returnUrl: new URL(paymentResultPath(charge.paymentId, [charge.number]), appOrigin()).toString(),
      card: { paymentMethodReference: charge.card.providerReference, customerReference: charge.card.customerReference },
    });
  } catch (err) {
    console.error("Cumulus: automatic payment's charge failed:", err instanceof Error ? err.message : "unknown error");
    return err instanceof ChargeNotMadeError ? { kind: "not_made", reason: "The payment provider refused the request." } : { kind: "unknown" };
  }
}

export type Recorded = AutopayOutcome | "unchanged";

/** Step 3: applies the answer to the payment, then closes the attempt with it. */
export async function recordAnswer(db: Database, provider: PaymentProvider, attemptId: string, paymentId: string, answer: ChargeAnswer): Promise<Recorded> {
  switch (answer.kind) {
    case "unknown":
      return "unchanged";
    case "not_made":
      await failOpenPayment(db, paymentId, answer.reason, null);
      return closeAttempt(db, attemptId, "not_charged", answer.reason, null);
    case "needs_authentication":
      await attachCheckout(db, paymentId, answer.providerReference);
      return closeAttempt(db, attemptId, "needs_authentication", "The bank asks for 3-D Secure.", new URL(answer.redirectUrl, appOrigin()).toString());
    case "answered":
      return recordOutcome(db, provider, attemptId, paymentId, answer.outcome);
  }
}

/** A provider outcome (an answer, or one found later) on the payment and the attempt. */
export async function recordOutcome(db: Database, provider: PaymentProvider, attemptId: string, paymentId: string, outcome: ProviderOutcome): Promise<Recorded> {
  await attachCheckout(db, paymentId, outcome.providerReference);
  await applyOutcome(db, provider.name, outcome);
  if (outcome.state === "succeeded") return closeAttempt(db, attemptId, "succeeded", null, null);
  if (outcome.state === "failed" || outcome.state === "cancelled") {
    return closeAttempt(db, attemptId, declineOutcome(outcome.declineKind), outcome.failureReason ?? "Your card was declined.", null);
  }
  if (outcome.state === "requires_action") {
    return closeAttempt(db, attemptId, "needs_authentication", "The bank asks for 3-D Secure.", new URL(provider.resumeUrl(outcome.providerReference), appOrigin()).toString());
  }
  // Still processing at the provider: resolved by a later run.
  return "unchanged";
}

/**
 * The attempt of a payment already final when a later run looks at it (a webhook recorded it
 * first): it takes the payment's state. The decline's kind is not kept on a payment; one not
 * qualified is not retried, as in recordOutcome.
 */
export function recordFinalPayment(db: Database, attemptId: string, payment: { state: "succeeded" | "failed" | "cancelled"; failureReason: string | null }): Promise<Recorded> {
  if (payment.state === "succeeded") return closeAttempt(db, attemptId, "succeeded", null, null);
  return closeAttempt(db, attemptId, declineOutcome(null), payment.failureReason ?? "Your card was declined.", null);
}

/** Closes an open attempt with its outcome, its audit row and its email, once. */
async function closeAttempt(db: Database, attemptId: string, outcome: AutopayOutcome, reason: string | null, authenticationUrl: string | null): Promise<Recorded> {
  return db.transaction(async (tx) => {
    const [closed] = await tx
      .update(autopayAttempts)
      .set({ outcome, failureReason: reason, updatedAt: sql`now()` })
      .where(and(eq(autopayAttempts.id, attemptId), eq(autopayAttempts.outcome, "open")))
      .returning();
    if (!closed) return "unchanged";
    const f = await attemptFacts(tx, attemptId);
    const charged = outcome === "succeeded";
    const emailed = charged
      ? await queueChargeReceipt(tx, f.email, closed.paymentId, closed.chargeDate)
      : failureEndsAttempts(closed.attempt, outcome) &&
        (await queueChargeFailed(tx, f.email, { invoiceDate: f.invoiceDate, dueDate: f.dueDate, chargedOn: closed.chargeDate, reason: reason ?? "", authenticationUrl }));
    await audit(tx, {
      accountId: closed.accountId,
      actorUserId: null,
      action: charged ? "automatic_payment.charged" : "automatic_payment.declined",
      entityType: "invoice",
      entityId: closed.invoiceId,
      after: { number: f.email.number, attempt: closed.attempt, paymentId: closed.paymentId, amountMinor: f.email.amountMinor, outcome, reason, emailed },
    });
    return outcome;
  });
}
