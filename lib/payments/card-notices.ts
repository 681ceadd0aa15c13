/**
 * The saved card's notices (`runCardNotices`, run daily; `npm run payments:card-notices`):
 * - in the card's expiry month (a month before it stops working), the Billing contacts get one
 *   email, once per card and expiry;
 * - once the expiry month is over, automatic payment is turned off (audited) when it was on,
 *   and the Billing contacts are told, once per card and expiry.
 * "Today" is each account's own date in its time zone (or `today` for every account). A run
 * that comes late sends only the notice whose day is latest: never "expires" after "expired".
 * Removing the card (lib/payments/saved-card.ts) turns automatic payment off and tells the
 * Billing contacts in the removal's own transaction, through `announceCardGone`.
 */
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import type { Database, Executor, Transaction } from "@/db/client";
import { accounts, emailOutbox, savedCards } from "@/db/schema";
import { audit } from "@/lib/audit";
import { accountToday, todayPerTimeZone } from "@/lib/dates";
import { cardNoticeEmail, type CardNoticeKind } from "@/lib/email/card-notice-templates";
import { billingRecipients, enqueueEmail } from "@/lib/email/outbox";
import { PROVIDER_TIME_ZONE, providerDetails } from "@/lib/provider";
import type { MaskedCard } from "./card-label";

type NoticeCard = MaskedCard & Pick<typeof savedCards.$inferSelect, "provider" | "providerReference">;

/** The notice due for a card on `today` (an ISO date): none, "expiring" in its expiry month, "expired" after it. */
export function cardNoticeDue(card: Pick<MaskedCard, "expMonth" | "expYear">, today: string): Extract<CardNoticeKind, "expiring" | "expired"> | null {
  const expiryMonth = `${card.expYear}-${String(card.expMonth).padStart(2, "0")}`;
  const month = today.slice(0, 7);
  return month > expiryMonth ? "expired" : month === expiryMonth ? "expiring" : null;
}

/** One notice per card, kind and expiry: a card is its provider's reference. */
export function cardNoticeKey(kind: "expiring" | "expired", accountId: string, card: NoticeCard): string {
  return `card-${kind}:${accountId}:${card.provider}:${card.providerReference}:${card.expYear}-${String(card.expMonth).padStart(2, "0")}`;
}

/** Turns automatic payment off because the saved card is gone, with its audit row; whether it was on. */
async function turnOffAutomaticPayment(tx: Transaction, accountId: string, actorUserId: string | null, reason: "card_removed" | "card_expired"): Promise<boolean> {
  const turnedOff = await tx
    .update(accounts)
    .set({ automaticPayment: false, updatedAt: sql`now()` })
    .where(and(eq(accounts.id, accountId), eq(accounts.automaticPayment, true)))
    .returning({ id: accounts.id });
  if (turnedOff.length === 0) return false;
  await audit(tx, {
    accountId,
    actorUserId,
    action: "automatic_payment.turned_off",
    entityType: "account",
    entityId: accountId,
    before: { automaticPayment: true },
    after: { automaticPayment: false, reason },
  });
  return true;
}

export type CardNoticeQueued = "queued" | "no_billing_address" | "duplicate";

/** Queues a card notice to the account's verified Billing addresses only, in its language. */
async function queueCardNotice(
  tx: Executor,
  m: { accountId: string; kind: CardNoticeKind; card: MaskedCard; automaticPaymentTurnedOff: boolean; dedupeKey: string | null },
): Promise<CardNoticeQueued> {
  const [recipients, [account]] = await Promise.all([
    billingRecipients(tx, m.accountId),
    tx.select({ name: accounts.name, language: accounts.language }).from(accounts).where(eq(accounts.id, m.accountId)),
  ]);
  if (!account || recipients.length === 0) return "no_billing_address";
  const content = cardNoticeEmail({ ...m, language: account.language, accountName: account.name, providerName: providerDetails().name });
  const queued = await enqueueEmail(tx, { accountId: m.accountId, kind: "card_notice", recipients, ...content, dedupeKey: m.dedupeKey });
  return queued ? "queued" : "duplicate";
}

/**
 * The saved card is gone (removed, or expired): automatic payment is turned off when it was on,
 * and the Billing contacts are told, in the caller's transaction.
 */
export async function announceCardGone(
  tx: Transaction,
  m: { accountId: string; actorUserId: string | null; card: NoticeCard; reason: "card_removed" | "card_expired" },
): Promise<{ automaticPaymentTurnedOff: boolean; notice: CardNoticeQueued }> {
  const automaticPaymentTurnedOff = await turnOffAutomaticPayment(tx, m.accountId, m.actorUserId, m.reason);
  const kind = m.reason === "card_removed" ? "removed" : "expired";
  // A removal happens once per card; an expiry is seen by every daily run.
  const dedupeKey = kind === "expired" ? cardNoticeKey("expired", m.accountId, m.card) : null;
  const notice = await queueCardNotice(tx, { accountId: m.accountId, kind, card: m.card, automaticPaymentTurnedOff, dedupeKey });
  return { automaticPaymentTurnedOff, notice };
}

export type CardNoticeSummary = {
  /** Saved cards in or past their expiry month somewhere on Earth. */
  looked: number;
  expiringQueued: number;
  expiredQueued: number;
  automaticPaymentTurnedOff: number;
  noBillingAddress: number;
  /** Nothing to do: sent before, and automatic payment already off. */
  alreadyDone: number;
};

type Candidate = NoticeCard & { accountId: string; timeZone: string; automaticPayment: boolean };

/** The saved cards in or past their expiry month by `latest`, after `cursor` in account order. */
function candidateBatch(db: Database, latest: string, cursor: string | null, batchSize: number): Promise<Candidate[]> {
  const latestMonths = Number(latest.slice(0, 4)) * 12 + Number(latest.slice(5, 7));
  return db
    .select({
      accountId: savedCards.accountId,
      provider: savedCards.provider,
      providerReference: savedCards.providerReference,
      brand: savedCards.brand,
      last4: savedCards.last4,
      expMonth: savedCards.expMonth,
      expYear: savedCards.expYear,
      timeZone: accounts.timeZone,
      automaticPayment: accounts.automaticPayment,
    })
    .from(savedCards)
    .innerJoin(accounts, eq(accounts.id, savedCards.accountId))
    .where(and(sql`${savedCards.expYear} * 12 + ${savedCards.expMonth} <= ${latestMonths}`, cursor ? gt(savedCards.accountId, cursor) : undefined))
    .orderBy(savedCards.accountId)
    .limit(batchSize);
}

/** Sends one card's due notice (and turns automatic payment off after expiry), if the card is still the account's. */
async function applyNotice(db: Database, c: Candidate, kind: "expiring" | "expired", summary: CardNoticeSummary): Promise<void> {
  await db.transaction(async (tx) => {
    // The account row is the lock a removal or replacement of the card also takes.
    await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, c.accountId)).for("update");
    const [still] = await tx
      .select({ id: savedCards.id })
      .from(savedCards)
      .where(and(eq(savedCards.accountId, c.accountId), eq(savedCards.provider, c.provider), eq(savedCards.providerReference, c.providerReference)));
    if (!still) return;
    if (kind === "expiring") {
      const notice = await queueCardNotice(tx, { accountId: c.accountId, kind, card: c, automaticPaymentTurnedOff: false, dedupeKey: cardNoticeKey(kind, c.accountId, c) });
      count(summary, kind, notice);
      return;
    }
    const gone = await announceCardGone(tx, { accountId: c.accountId, actorUserId: null, card: c, reason: "card_expired" });
    if (gone.automaticPaymentTurnedOff) summary.automaticPaymentTurnedOff++;
    count(summary, kind, gone.notice, gone.automaticPaymentTurnedOff);
  });
}

function count(summary: CardNoticeSummary, kind: "expiring" | "expired", notice: CardNoticeQueued, didSomethingElse = false): void {
  if (notice === "queued") summary[kind === "expiring" ? "expiringQueued" : "expiredQueued"]++;
  else if (notice === "no_billing_address") summary.noBillingAddress++;
  else if (!didSomethingElse) summary.alreadyDone++;
}

/**
 * Sends the card notices due today and turns automatic payment off for expired cards. Safe to
 * run any number of times, from any number of places: each notice is queued once (its dedupe key).
 */
export async function runCardNotices(db: Database, opts: { today?: string; batchSize?: number } = {}): Promise<CardNoticeSummary> {
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 500, 5000));
  // The latest date anywhere on Earth bounds which cards can have a notice due.
  const latest = opts.today ?? accountToday("Pacific/Kiritimati");
  const today = todayPerTimeZone(opts.today, () => accountToday(PROVIDER_TIME_ZONE));
  const summary: CardNoticeSummary = { looked: 0, expiringQueued: 0, expiredQueued: 0, automaticPaymentTurnedOff: 0, noBillingAddress: 0, alreadyDone: 0 };
  let cursor: string | null = null;
  for (;;) {
    const batch = await candidateBatch(db, latest, cursor, batchSize);
    if (batch.length === 0) break;
    cursor = batch[batch.length - 1]!.accountId;
    summary.looked += batch.length;
    const due = batch.flatMap((c) => {
      const kind = cardNoticeDue(c, today(c.timeZone));
      return kind ? [{ c, kind, key: cardNoticeKey(kind, c.accountId, c) }] : [];
    });
    const sent = await sentKeys(db, due.map((d) => d.key));
    for (const { c, kind, key } of due) {
      // Sent before, and nothing left to switch off: skip without a transaction.
      if (sent.has(key) && !(kind === "expired" && c.automaticPayment)) summary.alreadyDone++;
      else await applyNotice(db, c, kind, summary);
    }
  }
  return summary;
}

async function sentKeys(db: Database, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const found = await db.select({ key: emailOutbox.dedupeKey }).from(emailOutbox).where(inArray(emailOutbox.dedupeKey, keys));
  return new Set(found.map((r) => r.key!));
}
