/**
 * The account's saved card (one per account, as in the reference panel) and paying with it.
 * Only the provider's references, the brand, the last four digits and the expiry are stored;
 * every change writes an audit row in its transaction. Paying goes through the payment engine
 * (begin_card_payment), so two payments of one invoice at once charge it once, and the
 * provider's charge is keyed by the payment's id.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { paymentDescription, paymentResultPath, type CardCheckoutRequest } from "./checkout";
import type { Database, Executor } from "@/db/client";
import { accounts, invoices, paymentAllocations, savedCards, type PaymentState } from "@/db/schema";
import { audit } from "@/lib/audit";
import { outstandingMinorSql } from "@/lib/invoices/balance";
import type { MaskedCard } from "./card-label";
import { announceCardGone } from "./card-notices";
import { applyOutcome, attachCheckout, beginCardPayment, claimChannel, failOpenPayment, strandedPayment } from "./engine";
import { ChargeNotMadeError, type PaymentProvider, type ProviderCard, type ProviderName, type SavedCardCharge } from "./provider";

const masked = (c: MaskedCard): MaskedCard => ({ brand: c.brand, last4: c.last4, expMonth: c.expMonth, expYear: c.expYear });

export async function savedCardOf(db: Executor, accountId: string) {
  const [card] = await db
    .select({
      provider: savedCards.provider,
      providerReference: savedCards.providerReference,
      providerCustomerReference: savedCards.providerCustomerReference,
      brand: savedCards.brand,
      last4: savedCards.last4,
      expMonth: savedCards.expMonth,
      expYear: savedCards.expYear,
    })
    .from(savedCards)
    .where(eq(savedCards.accountId, accountId));
  return card ?? null;
}

/** What a card setup at the provider needs: the account's currency, card version and its customer there, if any. */
export async function cardSetupContext(db: Executor, accountId: string, provider: ProviderName) {
  const [account] = await db.select({ currency: accounts.currency, cardVersion: accounts.cardVersion }).from(accounts).where(eq(accounts.id, accountId));
  if (!account) return null;
  const card = await savedCardOf(db, accountId);
  return { currency: account.currency, cardVersion: account.cardVersion, customerReference: card?.provider === provider ? card.providerCustomerReference : null };
}

/** `stale`: the setup was applied already, or started before the card last changed; nothing is saved. */
export type StoreCardResult = "added" | "replaced" | "unchanged" | "stale" | "not_found";

/** A card the account no longer uses, to be detached at its provider once the change is committed. */
export type DroppedCard = Pick<typeof savedCards.$inferSelect, "provider" | "providerReference">;

const raiseCardVersion = { cardVersion: sql`${accounts.cardVersion} + 1`, updatedAt: sql`now()` };

/**
 * Saves the card a provider's setup returned, replacing the account's card, when the setup was
 * started at the account's current card version. The same card again changes nothing.
 */
export async function storeSavedCard(
  db: Database,
  input: { accountId: string; actorUserId: string; provider: ProviderName; card: ProviderCard; setupCardVersion: number | null },
): Promise<{ result: StoreCardResult; dropped: DroppedCard | null }> {
  const { accountId, card } = input;
  return db.transaction(async (tx) => {
    // The account row is the lock: two returns from the provider at once store one card after the other.
    const [account] = await tx.select({ cardVersion: accounts.cardVersion }).from(accounts).where(eq(accounts.id, accountId)).for("update");
    if (!account) return { result: "not_found", dropped: null };
    const before = await savedCardOf(tx, accountId);
    if (before?.provider === input.provider && before.providerReference === card.paymentMethodReference) return { result: "unchanged", dropped: null };
    if (input.setupCardVersion !== account.cardVersion) return { result: "stale", dropped: null };
    const row = {
      provider: input.provider,
      providerReference: card.paymentMethodReference,
      providerCustomerReference: card.customerReference,
      brand: card.brand,
      last4: card.last4,
      expMonth: card.expMonth,
      expYear: card.expYear,
    };
    await tx
      .insert(savedCards)
      .values({ accountId, ...row })
      .onConflictDoUpdate({ target: savedCards.accountId, set: { ...row, createdAt: sql`now()` } });
    await tx.update(accounts).set(raiseCardVersion).where(eq(accounts.id, accountId));
    const action = before ? "card.replaced" : "card.added";
    await audit(tx, { accountId, actorUserId: input.actorUserId, action, entityType: "saved_card", entityId: accountId, before: before && masked(before), after: masked(card) });
    return before ? { result: "replaced", dropped: { provider: before.provider, providerReference: before.providerReference } } : { result: "added", dropped: null };
  });
}

/**
 * Removes the account's card; automatic payment, which needs it, is turned off with it and the
 * Billing contacts are told, in the same transaction.
 */
export async function removeSavedCard(db: Database, accountId: string, actorUserId: string) {
  return db.transaction(async (tx) => {
    // The account row first, as storeSavedCard and the daily card notices take it: a notice run
    // holding it never decides on a card this removal has already deleted, unseen.
    const [account] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId)).for("update");
    if (!account) return { removed: false as const };
    const [removed] = await tx.delete(savedCards).where(eq(savedCards.accountId, accountId)).returning();
    if (!removed) return { removed: false as const };
    await tx.update(accounts).set(raiseCardVersion).where(eq(accounts.id, accountId));
    await audit(tx, { accountId, actorUserId, action: "card.removed", entityType: "saved_card", entityId: accountId, before: masked(removed) });
    const { automaticPaymentTurnedOff } = await announceCardGone(tx, { accountId, actorUserId, card: removed, reason: "card_removed" });
    const dropped: DroppedCard = { provider: removed.provider, providerReference: removed.providerReference };
    return { removed: true as const, automaticPaymentTurnedOff, dropped };
  });
}

/**
 * Detaches a card the account dropped at its provider, after the commit: the panel's change
 * stands even when the provider cannot be reached (the failure is logged). A card saved with
 * another provider than the configured one cannot be detached through it.
 */
export async function detachDroppedCard(provider: PaymentProvider, dropped: DroppedCard | null): Promise<void> {
  if (!dropped || dropped.provider !== provider.name) return;
  try {
    await provider.detachCard(dropped.providerReference);
  } catch (err) {
    console.error("Cumulus: detaching a dropped card at the provider failed:", err instanceof Error ? err.message : "unknown error");
  }
}

export type SavedCardPayResult =
  | { kind: "refused"; message: string }
  | { kind: "in_progress"; paymentId: string; providerReference: string | null }
  /** A retried submission: the first attempt's payment. */
  | { kind: "existing"; paymentId: string; state: PaymentState; providerReference: string | null }
  | { kind: "answered"; paymentId: string; state: PaymentState; failureReason: string | null }
  | { kind: "needs_authentication"; paymentId: string; redirectUrl: string }
  /** The provider refused the request itself: the payment is failed, nothing was charged. */
  | { kind: "provider_error"; paymentId: string }
  /** No answer (a timeout, a lost connection): the charge may have gone through, so the payment stays open. */
  | { kind: "unknown"; paymentId: string };

type Attempt = { paymentId: string; amountMinor: bigint; currency: string; numbers: number[] };

/** Charges the saved card for a recorded off-session attempt and records the provider's answer. */
async function chargeAttempt(
  db: Database,
  provider: PaymentProvider,
  card: NonNullable<Awaited<ReturnType<typeof savedCardOf>>>,
  attempt: Attempt,
  input: CardCheckoutRequest,
): Promise<SavedCardPayResult> {
  const { paymentId } = attempt;
  let charge: SavedCardCharge;
  try {
    charge = await provider.chargeSavedCard({
      paymentId,
      amountMinor: attempt.amountMinor,
      currency: attempt.currency,
      description: paymentDescription(attempt.numbers),
      returnUrl: new URL(paymentResultPath(paymentId, attempt.numbers), input.returnOrigin).toString(),
      card: { paymentMethodReference: card.providerReference, customerReference: card.providerCustomerReference },
    });
  } catch (err) {
    console.error("Cumulus: charging the saved card failed:", err instanceof Error ? err.message : "unknown error");
    if (!(err instanceof ChargeNotMadeError)) return { kind: "unknown", paymentId };
    await failOpenPayment(db, paymentId, "The payment provider refused the request.", input.userId);
    return { kind: "provider_error", paymentId };
  }
  if (charge.kind === "needs_authentication") {
    await attachCheckout(db, paymentId, charge.providerReference);
    return { kind: "needs_authentication", paymentId, redirectUrl: charge.redirectUrl };
  }
  await attachCheckout(db, paymentId, charge.outcome.providerReference);
  await applyOutcome(db, provider.name, charge.outcome, input.userId);
  return { kind: "answered", paymentId, state: charge.outcome.state, failureReason: charge.outcome.failureReason ?? null };
}

/** Stripe forgets an idempotency key after 24 hours: sent again later, the same key could charge twice. */
const RESEND_WITHIN_MS = 23 * 60 * 60 * 1000;

/**
 * The stranded attempt (recorded, sent off-session, no answer recorded) to charge again under its
 * own provider key, so the provider replays its first answer; null unless it is exactly what the
 * person asks to pay now: the same invoices, the same amount, still all outstanding.
 */
async function recoverableAttempt(db: Database, input: CardCheckoutRequest, paymentId: string): Promise<Attempt | null> {
  const stranded = await strandedPayment(db, input.accountId, paymentId);
  if (!stranded || stranded.channel !== "off_session" || stranded.amountMinor !== input.expectedAmountMinor) return null;
  if (Date.now() - stranded.createdAt.getTime() > RESEND_WITHIN_MS) return null;
  const asked = [...new Set(input.numbers)].sort((a, b) => a - b);
  if (asked.join(",") !== stranded.numbers.join(",")) return null;
  const [owed] = await db
    .select({ outstandingMinor: sql<string>`coalesce(sum(${outstandingMinorSql}), 0)`, settledInvoices: sql<number>`count(*) filter (where ${outstandingMinorSql} = 0)::int` })
    .from(invoices)
    .where(and(eq(invoices.accountId, input.accountId), inArray(invoices.id, db.select({ id: paymentAllocations.invoiceId }).from(paymentAllocations).where(eq(paymentAllocations.paymentId, paymentId)))));
  if (!owed || owed.settledInvoices > 0 || BigInt(owed.outstandingMinor) !== stranded.amountMinor) return null;
  return { paymentId, amountMinor: stranded.amountMinor, currency: stranded.currency, numbers: stranded.numbers };
}

/**
 * Pays outstanding invoices with the account's saved card, off-session: the answer comes at
 * once, unless the provider asks for 3-D Secure (then its hosted page, as without a saved card).
 */
export async function payWithSavedCard(db: Database, provider: PaymentProvider, input: CardCheckoutRequest): Promise<SavedCardPayResult> {
  const card = await savedCardOf(db, input.accountId);
  // A card saved with another provider than the configured one cannot be charged here.
  if (!card || card.provider !== provider.name) return { kind: "refused", message: "This account has no saved card. Choose Card payment instead." };
  const began = await beginCardPayment(db, { ...input, provider: provider.name });
  switch (began.kind) {
    case "refused":
      return { kind: "refused", message: began.message };
    case "existing":
    case "in_progress": {
      // Sent without an answer recorded (no answer came, or the server stopped): ask again, under the same key.
      const attempt = began.providerReference ? null : await recoverableAttempt(db, input, began.paymentId);
      return attempt ? chargeAttempt(db, provider, card, attempt, input) : began;
    }
    case "created":
      // Recorded before the provider is asked: the hosted checkout never takes this attempt over.
      if (!(await claimChannel(db, began.paymentId, "off_session"))) return { kind: "in_progress", paymentId: began.paymentId, providerReference: null };
      return chargeAttempt(db, provider, card, { paymentId: began.paymentId, amountMinor: began.amountMinor, currency: began.currency, numbers: input.numbers }, input);
  }
}
