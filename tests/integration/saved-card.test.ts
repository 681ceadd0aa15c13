/**
 * The saved card through the sandbox provider: saved on its setup page and stored masked (only
 * the provider's reference, brand, last four and expiry), replaced, removed (automatic payment
 * turned off with it), never stored for or taken from another account, and paid with off-session
 * through the payment engine: two payments of one invoice at once charge it once. The concurrent
 * case is real only on PostgreSQL.
 */
import crypto from "node:crypto";
import { and, eq, inArray, like, notInArray, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { accounts, auditEvents, invoices, paymentAllocations, payments, sandboxCheckouts, sandboxPaymentMethods, savedCards } from "@/db/schema";
import type { Viewer } from "@/lib/dal/session";
import { beginCardPayment, claimChannel, STRANDED_AFTER_SECONDS } from "@/lib/payments/engine";
import type { PaymentProvider } from "@/lib/payments/provider";
import { reconcileOpenPayments } from "@/lib/payments/reconcile";
import { decideCard, sandboxProvider } from "@/lib/payments/sandbox";
import { cardSetupContext, payWithSavedCard, removeSavedCard, savedCardOf } from "@/lib/payments/saved-card";
import { authenticateSandboxCardSetup, cancelSandboxCardSetup, retrieveSandboxCardSetup, saveSandboxCard } from "@/lib/payments/sandbox-vault";
import { setupTestDatabase } from "../setup/db";
import { freshDemo, invoiceFacts, outstandingOf as outstandingOfInvoice } from "./helpers";

const TODAY = "2026-11-25";
const { db, kind } = await setupTestDatabase();
const { completeCardSetup, removeCard } = await import("@/lib/dal/cards");

let accountId = "";
let userId = "";
let owed: { number: number; outstandingMinor: bigint }[] = [];
let otherAccountId = "";

beforeEach(async () => {
  ({ accountId, userId, owed } = await freshDemo(db, TODAY));
  const [other] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, "Other Tenant Oy"));
  otherAccountId = other!.id;
});

const outstandingOf = (number: number) => outstandingOfInvoice(db, number);
const viewerOf = (account: string, invoiceAccess: "none" | "read" | "full" = "full") => ({ userId, account: { id: account }, invoiceAccess }) as unknown as Viewer;

/** A setup started as Add card starts it: at the account's current card version. */
async function startSetup(forAccount = accountId) {
  const { cardVersion } = (await cardSetupContext(db, forAccount, "sandbox"))!;
  const returnUrl = "http://panel.test/cards/return";
  return sandboxProvider.createCardSetup({ setupKey: crypto.randomUUID(), accountId: forAccount, currency: "EUR", customerReference: null, returnUrl, cancelUrl: returnUrl, cardVersion });
}

/** A card saved on the sandbox's setup page (as the person would), its setup's reference. */
async function setUpCard(cardNumber: string, forAccount = accountId, expiry = { month: 12, year: 2030 }) {
  const setup = await startSetup(forAccount);
  const saved = await saveSandboxCard(setup.providerReference, decideCard(cardNumber), expiry.month, expiry.year);
  if (saved.kind === "requires_action") await authenticateSandboxCardSetup(setup.providerReference, true);
  return { setupReference: setup.providerReference, saved };
}

async function saveCard(cardNumber: string) {
  const { setupReference } = await setUpCard(cardNumber);
  return completeCardSetup(viewerOf(accountId), setupReference);
}

describe("saving a card", () => {
  it("stores only the provider's reference, brand, last four and expiry, masked", async () => {
    expect(await saveCard("4242 4242 4242 4242")).toBe("added");
    const card = await savedCardOf(db, accountId);
    expect(card).toMatchObject({ provider: "sandbox", brand: "Visa", last4: "4242", expMonth: 12, expYear: 2030, providerCustomerReference: null });
    expect(card!.providerReference).toMatch(/^[0-9a-f-]{36}$/);
    // No row of any table holds the number (the sandbox's vault and checkouts included).
    const texts = await rows<{ row: string }>(db, sql`select row_to_json(t)::text as row from saved_cards t union all select row_to_json(t)::text from sandbox_payment_methods t union all select row_to_json(t)::text from audit_events t`);
    expect(texts.filter((r) => /4242\D?4242\D?4242/.test(r.row))).toEqual([]);
    const [audit] = await db.select().from(auditEvents).where(eq(auditEvents.action, "card.added"));
    expect(audit).toMatchObject({ accountId, actorUserId: userId, after: { brand: "Visa", last4: "4242", expMonth: 12, expYear: 2030 } });
  });

  it("a card the verification declines is not saved and the page stays open; cancelling saves nothing", async () => {
    const declined = await setUpCard("4000 0000 0000 0002");
    expect(declined.saved).toEqual({ kind: "declined", reason: "Your card was declined." });
    expect((await setUpCard("4000000000009995")).saved).toMatchObject({ kind: "declined", reason: "Your card has insufficient funds." });
    expect(await retrieveSandboxCardSetup(declined.setupReference)).toMatchObject({ state: "open", card: null });
    expect(await completeCardSetup(viewerOf(accountId), declined.setupReference)).toBe("open");
    await cancelSandboxCardSetup(declined.setupReference);
    expect(await completeCardSetup(viewerOf(accountId), declined.setupReference)).toBe("cancelled");
    expect(await db.$count(savedCards)).toBe(0);
  });

  it("a card that asks for 3-D Secure is saved only once authenticated", async () => {
    const setup = await startSetup();
    expect((await saveSandboxCard(setup.providerReference, decideCard("4000000000003220"), 1, 2031)).kind).toBe("requires_action");
    expect(await completeCardSetup(viewerOf(accountId), setup.providerReference)).toBe("open");
    await authenticateSandboxCardSetup(setup.providerReference, true);
    expect(await completeCardSetup(viewerOf(accountId), setup.providerReference)).toBe("added");
  });

  it("adding a card replaces the account's card; the same setup again changes nothing", async () => {
    const first = await setUpCard("4242424242424242");
    expect(await completeCardSetup(viewerOf(accountId), first.setupReference)).toBe("added");
    expect(await completeCardSetup(viewerOf(accountId), first.setupReference)).toBe("unchanged");
    expect(await saveCard("4000000000000341")).toBe("replaced");
    const cards = await db.select().from(savedCards).where(eq(savedCards.accountId, accountId));
    expect(cards.map((c) => c.last4)).toEqual(["0341"]);
    const audits = await db.select({ action: auditEvents.action, before: auditEvents.before }).from(auditEvents).where(like(auditEvents.action, "card.%"));
    expect(audits.map((a) => a.action).sort()).toEqual(["card.added", "card.replaced"]);
    expect(audits.find((a) => a.action === "card.replaced")!.before).toMatchObject({ last4: "4242" });
  });

  it("two returns from the provider at once store one card", async () => {
    const { setupReference } = await setUpCard("4242424242424242");
    const results = await Promise.all([completeCardSetup(viewerOf(accountId), setupReference), completeCardSetup(viewerOf(accountId), setupReference)]);
    expect(results.sort()).toEqual(["added", "unchanged"]);
    expect(await db.$count(savedCards, eq(savedCards.accountId, accountId))).toBe(1);
  });

  it("another account's setup, or a viewer without invoice access Full, stores nothing", async () => {
    const foreign = await setUpCard("4242424242424242", otherAccountId);
    expect(await completeCardSetup(viewerOf(accountId), foreign.setupReference)).toBe("not_found");
    const own = await setUpCard("4242424242424242");
    expect(await completeCardSetup(viewerOf(accountId, "read"), own.setupReference)).toBe("not_found");
    expect(await completeCardSetup(viewerOf(accountId), "not-a-setup")).toBe("not_found");
    expect(await db.$count(savedCards)).toBe(0);
  });
});

describe("a setup applies at most once", () => {
  it("its return link, visited again after the card was removed or replaced, saves nothing", async () => {
    const first = await setUpCard("4242424242424242");
    expect(await completeCardSetup(viewerOf(accountId), first.setupReference)).toBe("added");
    await removeSavedCard(db, accountId, userId);
    expect(await completeCardSetup(viewerOf(accountId), first.setupReference)).toBe("stale");
    expect(await savedCardOf(db, accountId)).toBeNull();

    const second = await setUpCard("4242424242424242");
    expect(await completeCardSetup(viewerOf(accountId), second.setupReference)).toBe("added");
    expect(await saveCard("4000000000000341")).toBe("replaced");
    expect(await completeCardSetup(viewerOf(accountId), second.setupReference)).toBe("stale");
    expect((await savedCardOf(db, accountId))!.last4).toBe("0341");
  });

  it("a setup started before the card changed saves nothing", async () => {
    const early = await setUpCard("4000000000000341");
    expect(await saveCard("4242424242424242")).toBe("added");
    expect(await completeCardSetup(viewerOf(accountId), early.setupReference)).toBe("stale");
    expect((await savedCardOf(db, accountId))!.last4).toBe("4242");
  });
});

describe("removing the card", () => {
  it("removes it, turns automatic payment off and audits both", async () => {
    await saveCard("4242424242424242");
    await db.update(accounts).set({ automaticPayment: true }).where(eq(accounts.id, accountId));
    expect(await removeSavedCard(db, accountId, userId)).toEqual({ removed: true, automaticPaymentTurnedOff: true, dropped: { provider: "sandbox", providerReference: expect.any(String) } });
    expect(await savedCardOf(db, accountId)).toBeNull();
    const [account] = await db.select({ automaticPayment: accounts.automaticPayment }).from(accounts).where(eq(accounts.id, accountId));
    expect(account!.automaticPayment).toBe(false);
    const actions = (await db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.accountId, accountId))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["card.removed", "automatic_payment.turned_off"]));
    expect(await removeSavedCard(db, accountId, userId)).toEqual({ removed: false });
  });

  it("a removed or replaced card is detached in the provider's vault and can no longer be charged", async () => {
    await saveCard("4242424242424242");
    const first = (await savedCardOf(db, accountId))!.providerReference;
    expect(await saveCard("4000000000000341")).toBe("replaced");
    const second = (await savedCardOf(db, accountId))!.providerReference;
    expect(await removeCard(viewerOf(accountId))).toMatchObject({ removed: true });
    const vault = await db.select({ id: sandboxPaymentMethods.id, detachedAt: sandboxPaymentMethods.detachedAt }).from(sandboxPaymentMethods).where(inArray(sandboxPaymentMethods.id, [first, second]));
    expect(vault.filter((m) => m.detachedAt !== null)).toHaveLength(2);
    const charge = await sandboxProvider.chargeSavedCard({
      paymentId: crypto.randomUUID(),
      amountMinor: 100n,
      currency: "EUR",
      description: "x",
      returnUrl: "http://panel.test/",
      card: { paymentMethodReference: first, customerReference: null },
    });
    expect(charge).toMatchObject({ kind: "answered", outcome: { state: "failed" } });
  });

  it("never removes another account's card", async () => {
    await saveCard("4242424242424242");
    expect(await removeSavedCard(db, otherAccountId, userId)).toEqual({ removed: false });
    expect(await savedCardOf(db, accountId)).not.toBeNull();
  });
});

describe("paying with the saved card", () => {
  const pay = (number: number, amount: bigint, key = crypto.randomUUID(), account = accountId) =>
    payWithSavedCard(db, sandboxProvider, { accountId: account, userId, numbers: [number], expectedAmountMinor: amount, idempotencyKey: key, returnOrigin: "http://panel.test" });

  it("charges off-session and settles the invoice at once; the same key again returns that payment", async () => {
    await saveCard("4242424242424242");
    const target = owed[0]!;
    const key = crypto.randomUUID();
    const settledBefore = await db.$count(payments, eq(payments.state, "succeeded"));
    const r = await pay(target.number, target.outstandingMinor, key);
    expect(r).toMatchObject({ kind: "answered", state: "succeeded" });
    expect(await outstandingOf(target.number)).toBe(0n);
    expect(await pay(target.number, target.outstandingMinor, key)).toMatchObject({ kind: "existing", state: "succeeded" });
    expect(await db.$count(payments, eq(payments.state, "succeeded"))).toBe(settledBefore + 1);
  });

  it("a card declined when charged leaves the invoice outstanding, with the reason", async () => {
    await saveCard("4000000000000341");
    const target = owed[0]!;
    expect(await pay(target.number, target.outstandingMinor)).toMatchObject({ kind: "answered", state: "failed", failureReason: "Your card was declined." });
    expect(await outstandingOf(target.number)).toBe(target.outstandingMinor);
  });

  it("an expired card is refused by the provider and nothing is paid", async () => {
    const { setupReference } = await setUpCard("4242424242424242", accountId, { month: 1, year: 2026 });
    await completeCardSetup(viewerOf(accountId), setupReference);
    const target = owed[0]!;
    expect(await pay(target.number, target.outstandingMinor)).toMatchObject({ kind: "answered", state: "failed", failureReason: "Your card has expired." });
    expect(await outstandingOf(target.number)).toBe(target.outstandingMinor);
  });

  it("a card that asks for 3-D Secure goes through the provider's page; approved there, the invoice is paid", async () => {
    await saveCard("4000000000003220");
    const target = owed[0]!;
    const r = await pay(target.number, target.outstandingMinor);
    if (r.kind !== "needs_authentication") throw new Error(`expected 3-D Secure, got ${r.kind}`);
    expect(r.redirectUrl).toMatch(/^\/sandbox\/checkout\/[0-9a-f-]{36}\?step=3ds$/);
    expect(await outstandingOf(target.number)).toBe(target.outstandingMinor);
    const { authenticateSandboxCheckout } = await import("@/lib/payments/sandbox");
    const { applyOutcome } = await import("@/lib/payments/engine");
    const { toOutcome } = await import("@/lib/payments/sandbox");
    const row = await authenticateSandboxCheckout(r.redirectUrl.split("/")[3]!.split("?")[0]!, true);
    expect(await applyOutcome(db, "sandbox", toOutcome(row!))).toBe("changed");
    expect(await outstandingOf(target.number)).toBe(0n);
  });

  it("without a saved card, for another account's invoice, or an amount that changed: refused, nothing charged", async () => {
    const paymentsBefore = await db.$count(payments);
    const target = owed[0]!;
    expect(await pay(target.number, target.outstandingMinor)).toMatchObject({ kind: "refused" });
    await saveCard("4242424242424242");
    const foreign = (await invoiceFacts(db)).find((f) => f.account === "Other Tenant Oy" && f.outstandingMinor > 0n)!;
    expect(await pay(foreign.number, foreign.outstandingMinor)).toMatchObject({ kind: "refused", message: "An invoice was not found." });
    expect(await pay(target.number, target.outstandingMinor + 1n)).toMatchObject({ kind: "refused" });
    // The other account has no card of its own: the demo's card is never charged for it.
    expect(await pay(foreign.number, foreign.outstandingMinor, crypto.randomUUID(), otherAccountId)).toMatchObject({ kind: "refused" });
    expect(await db.$count(payments)).toBe(paymentsBefore);
  });

  it.runIf(kind === "postgres")("two payments of one invoice at once charge it once", async () => {
    await saveCard("4242424242424242");
    const target = owed[0]!;
    const seeded = (await db.select({ id: payments.id }).from(payments)).map((p) => p.id);
    const results = await Promise.all([pay(target.number, target.outstandingMinor), pay(target.number, target.outstandingMinor)]);
    expect(results.filter((r) => r.kind === "answered" && r.state === "succeeded")).toHaveLength(1);
    const cardPayments = await db.select({ id: payments.id }).from(payments).where(and(eq(payments.accountId, accountId), notInArray(payments.id, seeded)));
    expect(cardPayments).toHaveLength(1);
    const charges = await db.select().from(sandboxCheckouts).where(inArray(sandboxCheckouts.merchantReference, cardPayments.map((p) => p.id)));
    expect(charges).toHaveLength(1);
    expect(await outstandingOf(target.number)).toBe(0n);
  });

  describe("an attempt left without an answer", () => {
    const strand = (paymentId: string) => db.update(payments).set({ createdAt: new Date(Date.now() - (STRANDED_AFTER_SECONDS + 5) * 1000) }).where(eq(payments.id, paymentId));
    const chargesOf = (paymentId: string) => db.$count(sandboxCheckouts, eq(sandboxCheckouts.merchantReference, paymentId));
    const unanswered: PaymentProvider = { ...sandboxProvider, chargeSavedCard: () => Promise.reject(new Error("socket hang up")) };
    const payThrough = (provider: PaymentProvider, numbers: number[], amount: bigint) =>
      payWithSavedCard(db, provider, { accountId, userId, numbers, expectedAmountMinor: amount, idempotencyKey: crypto.randomUUID(), returnOrigin: "http://panel.test" });

    it("stays open (never failed, not even by the reconcile job), and is charged again only for the same invoices and amount", async () => {
      await saveCard("4242424242424242");
      const [a, b] = owed as [(typeof owed)[0], (typeof owed)[0]];
      const r = await payThrough(unanswered, [a.number], a.outstandingMinor);
      if (r.kind !== "unknown") throw new Error(`expected no answer, got ${r.kind}`);
      await strand(r.paymentId);
      await reconcileOpenPayments(db, sandboxProvider, { olderThanMinutes: 0, abandonAfterMinutes: 0 });
      expect((await db.select({ state: payments.state }).from(payments).where(eq(payments.id, r.paymentId)))[0]!.state).toBe("pending");
      // More invoices, or another amount, than the attempt covers: not this attempt's charge.
      expect(await pay(a.number, a.outstandingMinor - 1n)).toMatchObject({ kind: "in_progress", paymentId: r.paymentId });
      expect(await payThrough(sandboxProvider, [a.number, b.number], a.outstandingMinor + b.outstandingMinor)).toMatchObject({ kind: "in_progress", paymentId: r.paymentId });
      expect(await chargesOf(r.paymentId)).toBe(0);
      // Older than the provider keeps its key: sent again, the same key could charge twice.
      await db.update(payments).set({ createdAt: new Date(Date.now() - 24 * 60 * 60 * 1000) }).where(eq(payments.id, r.paymentId));
      expect(await pay(a.number, a.outstandingMinor)).toMatchObject({ kind: "in_progress", paymentId: r.paymentId });
      await strand(r.paymentId);
      expect(await pay(a.number, a.outstandingMinor)).toMatchObject({ kind: "answered", paymentId: r.paymentId, state: "succeeded" });
      expect(await chargesOf(r.paymentId)).toBe(1);
    });

    it("an attempt of the hosted checkout is never charged off-session", async () => {
      await saveCard("4242424242424242");
      const target = owed[0]!;
      const began = await beginCardPayment(db, { accountId, userId, numbers: [target.number], expectedAmountMinor: target.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" });
      const { paymentId } = began as { paymentId: string };
      await claimChannel(db, paymentId, "hosted");
      await strand(paymentId);
      expect(await pay(target.number, target.outstandingMinor)).toMatchObject({ kind: "in_progress", paymentId });
      expect(await chargesOf(paymentId)).toBe(0);
      expect(await claimChannel(db, paymentId, "off_session")).toBe(false);
    });

    it("is not charged once its invoice was paid another way", async () => {
      await saveCard("4242424242424242");
      const target = owed[0]!;
      const r = await payThrough(unanswered, [target.number], target.outstandingMinor);
      const { paymentId } = r as { paymentId: string };
      await strand(paymentId);
      // A bank transfer settles the invoice meanwhile (as the bank import records one).
      const [transfer] = await db
        .insert(payments)
        .values({ accountId, provider: "bank_transfer", method: "bank_transfer", state: "succeeded", amountMinor: target.outstandingMinor, currency: "EUR", settledAt: new Date() })
        .returning({ id: payments.id });
      const [invoice] = await db.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.accountId, accountId), eq(invoices.number, target.number)));
      await db.insert(paymentAllocations).values({ paymentId: transfer!.id, invoiceId: invoice!.id, amountMinor: target.outstandingMinor });
      expect(await pay(target.number, target.outstandingMinor)).toMatchObject({ kind: "in_progress", paymentId });
      expect(await chargesOf(paymentId)).toBe(0);
    });
  });
});
