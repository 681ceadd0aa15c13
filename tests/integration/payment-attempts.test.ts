/**
 * The invoice detail page's Payment attempts, read through lib/dal: every attempt of the invoice
 * with its card (brand and last four), channel (card payment, saved card, automatic payment),
 * state and decline reason; invoice access Read sees them, None and another account's viewer
 * see nothing.
 */
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { invoices, paymentAllocations, payments } from "@/db/schema";
import type { Viewer } from "@/lib/dal/session";
import { applyOutcome } from "@/lib/payments/engine";
import { decideCard, sandboxProvider, settleSandboxCheckout, toOutcome } from "@/lib/payments/sandbox";
import { authenticateSandboxCardSetup, saveSandboxCard } from "@/lib/payments/sandbox-vault";
import { cardSetupContext, payWithSavedCard } from "@/lib/payments/saved-card";
import { setupTestDatabase } from "../setup/db";
import { freshDemo, startSandboxCheckout } from "./helpers";

const { db } = await setupTestDatabase();
const { getInvoicePayments } = await import("@/lib/dal/payments");
const { completeCardSetup } = await import("@/lib/dal/cards");

let accountId = "";
let otherAccountId = "";
let userId = "";
let fresh = { number: 0, outstandingMinor: 0n };

beforeEach(async () => {
  let owed: { number: number; outstandingMinor: bigint }[];
  ({ accountId, otherAccountId, userId, owed } = await freshDemo(db, "2026-11-25"));
  // An outstanding invoice no payment has touched yet (the demo's partly paid one has one).
  const touched = new Set((await db.select({ number: invoices.number }).from(invoices).innerJoin(paymentAllocations, eq(paymentAllocations.invoiceId, invoices.id))).map((r) => Number(r.number)));
  fresh = owed.find((o) => !touched.has(o.number))!;
});

const viewerOf = (invoiceAccess: "none" | "read" | "full", account = accountId) => ({ userId, account: { id: account }, invoiceAccess }) as unknown as Viewer;

/** A hosted card payment of the invoice, paid on the sandbox's page with `cardNumber`. */
async function payOnHostedPage(number: number, amount: bigint, cardNumber: string) {
  const started = await startSandboxCheckout(db, { accountId, userId }, [number], amount);
  const row = await settleSandboxCheckout(started.providerReference, decideCard(cardNumber));
  await applyOutcome(db, "sandbox", toOutcome(row!), userId);
  return started.paymentId;
}

/** A card saved on the sandbox's setup page, as the person would. */
async function saveCard(cardNumber: string) {
  const { cardVersion } = (await cardSetupContext(db, accountId, "sandbox"))!;
  const url = "http://panel.test/cards/return";
  const setup = await sandboxProvider.createCardSetup({ setupKey: crypto.randomUUID(), accountId, currency: "EUR", customerReference: null, returnUrl: url, cancelUrl: url, cardVersion });
  const saved = await saveSandboxCard(setup.providerReference, decideCard(cardNumber), 12, 2030);
  if (saved.kind === "requires_action") await authenticateSandboxCardSetup(setup.providerReference, true);
  expect(await completeCardSetup(viewerOf("full"), setup.providerReference)).toBe("added");
}

/** An attempt as the automatic payment run records one: off-session, with no person behind it. */
async function automaticAttempt(number: number, amount: bigint) {
  const [invoice] = await db.select({ id: invoices.id }).from(invoices).where(eq(invoices.number, number));
  const [p] = await db
    .insert(payments)
    .values({ accountId, provider: "sandbox", method: "card", channel: "off_session", state: "failed", amountMinor: amount, currency: "EUR", failureReason: "Your card has insufficient funds.", createdByUserId: null })
    .returning({ id: payments.id });
  await db.insert(paymentAllocations).values({ paymentId: p!.id, invoiceId: invoice!.id, amountMinor: amount });
  return p!.id;
}

describe("the Payment attempts of an invoice", () => {
  it("lists each attempt, newest first, with card, channel, state and the decline reason", async () => {
    const { number, outstandingMinor } = fresh;
    const declined = await payOnHostedPage(number, outstandingMinor, "4000000000000002");
    const automatic = await automaticAttempt(number, outstandingMinor);
    await saveCard("4242424242424242");
    const charged = await payWithSavedCard(db, sandboxProvider, { accountId, userId, numbers: [number], expectedAmountMinor: outstandingMinor, idempotencyKey: crypto.randomUUID(), returnOrigin: "http://panel.test" });
    expect(charged).toMatchObject({ kind: "answered", state: "succeeded" });

    const attempts = await getInvoicePayments(viewerOf("read"), number);
    expect(attempts.map((a) => a.id)).toEqual([(charged as { paymentId: string }).paymentId, automatic, declined]);
    expect(attempts).toEqual([
      expect.objectContaining({ method: "card", card: "Visa •••• 4242", channelLabel: "Saved card", state: "succeeded", failureReason: null, amountMinor: outstandingMinor }),
      expect.objectContaining({ method: "card", card: null, channelLabel: "Automatic payment", state: "failed", failureReason: "Your card has insufficient funds." }),
      expect.objectContaining({ method: "card", card: "Visa •••• 0002", channelLabel: "Card payment", state: "failed", failureReason: "Your card was declined." }),
    ]);
  });

  it("names a bank transfer as such", async () => {
    const { number, outstandingMinor } = fresh;
    const [invoice] = await db.select({ id: invoices.id }).from(invoices).where(eq(invoices.number, number));
    const [p] = await db
      .insert(payments)
      .values({ accountId, provider: "bank_transfer", method: "bank_transfer", state: "succeeded", amountMinor: outstandingMinor, currency: "EUR", settledAt: new Date() })
      .returning({ id: payments.id });
    await db.insert(paymentAllocations).values({ paymentId: p!.id, invoiceId: invoice!.id, amountMinor: outstandingMinor });
    expect(await getInvoicePayments(viewerOf("full"), number)).toEqual([expect.objectContaining({ card: null, channelLabel: "Bank transfer", state: "succeeded" })]);
  });

  it("shows nothing to invoice access None, nor to another account's viewer", async () => {
    const { number, outstandingMinor } = fresh;
    await payOnHostedPage(number, outstandingMinor, "4000000000000002");
    expect(await getInvoicePayments(viewerOf("full"), number)).toHaveLength(1);
    expect(await getInvoicePayments(viewerOf("none"), number)).toEqual([]);
    expect(await getInvoicePayments(viewerOf("full", otherAccountId), number)).toEqual([]);
  });
});
