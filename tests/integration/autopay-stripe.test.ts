/**
 * Contract tests of automatic payment through the `stripe` provider and the official package,
 * against the local fake of Stripe's API (stripe-fake.ts): the off-session PaymentIntent keyed by
 * the attempt's payment, Stripe's decline codes sorted into soft, hard and expired, and an answer
 * that was lost found again by PaymentIntent search on metadata.paymentId (by the next run and by
 * reconcile) instead of charging again.
 */
import crypto from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accounts, autopayAttempts, payments } from "@/db/schema";
import type { Viewer } from "@/lib/dal/session";
import { getPaymentProvider } from "@/lib/payments";
import { RESUME_AFTER_SECONDS } from "@/lib/payments/autopay/resume";
import { runAutomaticPayments } from "@/lib/payments/autopay/run";
import { reconcileOpenPayments } from "@/lib/payments/reconcile";
import type { StripeProvider } from "@/lib/payments/stripe";
import { setupTestDatabase } from "../setup/db";
import { freshDemo, outstandingOf, useLocalStripe } from "./helpers";
import { fake, METHODS, saveAtStripe, SECRET_KEY, server, WEBHOOK_SECRET } from "./stripe-fake";

const TODAY = "2026-11-25";
const { db } = await setupTestDatabase();
const { completeCardSetup } = await import("@/lib/dal/cards");

let provider: StripeProvider;
let restoreEnvironment: () => Promise<void>;
let accountId = "";
let userId = "";
let owed: { number: number; outstandingMinor: bigint }[] = [];

beforeAll(async () => {
  restoreEnvironment = await useLocalStripe(server, { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, appUrl: "http://panel.test" });
  provider = getPaymentProvider() as StripeProvider;
});

afterAll(() => restoreEnvironment());

beforeEach(async () => {
  fake.reset();
  ({ accountId, userId, owed } = await freshDemo(db, TODAY));
});

/** A card saved on Stripe's setup page, and automatic payment on. */
async function turnOnWith(paymentMethod: keyof typeof METHODS) {
  const setup = await provider.createCardSetup({
    setupKey: crypto.randomUUID(),
    accountId,
    currency: "EUR",
    customerReference: null,
    returnUrl: "http://panel.test/cards/return",
    cancelUrl: "http://panel.test/",
    cardVersion: 0,
  });
  saveAtStripe(setup.providerReference, paymentMethod);
  expect(await completeCardSetup({ userId, account: { id: accountId }, invoiceAccess: "full" } as unknown as Viewer, setup.providerReference)).toBe("added");
  await db.update(accounts).set({ automaticPayment: true }).where(eq(accounts.id, accountId));
  fake.requests.length = 0;
}

const run = () => runAutomaticPayments(db, provider, { today: TODAY });
const overdue = () => owed.slice(0, 2);
const intentsCreated = () => fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/payment_intents");
/** What Stripe charged: one PaymentIntent per idempotency key, however often the client retried. */
const intentsAtStripe = () => [...fake.objects.values()].filter((o) => o.object === "payment_intent");

describe("automatic payment through Stripe", () => {
  it("charges off-session, the Idempotency-Key and metadata naming the attempt's payment", async () => {
    await turnOnWith("pm_card_visa");
    expect(await run()).toMatchObject({ charged: 2, declined: 0 });
    const attempts = await db.select({ paymentId: autopayAttempts.paymentId, key: payments.idempotencyKey, invoiceId: autopayAttempts.invoiceId }).from(autopayAttempts).innerJoin(payments, eq(payments.id, autopayAttempts.paymentId));
    expect(attempts.every((a) => a.key === `autopay-${a.invoiceId}-1`)).toBe(true);
    const sent = intentsCreated();
    expect(sent.map((r) => r.idempotencyKey).sort()).toEqual(attempts.map((a) => `off-session-${a.paymentId}`).sort());
    expect(sent.every((r) => r.form.off_session === "true" && r.form.confirm === "true" && attempts.some((a) => a.paymentId === r.form["metadata[paymentId]"]))).toBe(true);
    for (const o of overdue()) expect(await outstandingOf(db, o.number)).toBe(0n);
  });

  it.each([
    ["pm_card_chargeDeclinedInsufficientFunds", "soft_decline"],
    ["pm_card_chargeDeclinedExpiredCard", "expired_card"],
    ["pm_card_chargeDeclined", "hard_decline"],
  ] as const)("sorts Stripe's decline of %s as %s", async (method, outcome) => {
    await turnOnWith(method);
    await run();
    const outcomes = await db.select({ outcome: autopayAttempts.outcome }).from(autopayAttempts);
    expect(outcomes).toEqual([{ outcome }, { outcome }]);
  });

  it("an answer that was lost is found by PaymentIntent search on metadata.paymentId, never charged again", async () => {
    await turnOnWith("pm_card_visa");
    fake.dropResponses = true;
    expect(await run()).toMatchObject({ charged: 0, unanswered: 2 });
    fake.dropResponses = false;
    expect(await db.$count(autopayAttempts, eq(autopayAttempts.outcome, "open"))).toBe(2);
    // Stripe charged both; the next run, once the attempts are old enough, finds them there.
    await db.update(autopayAttempts).set({ updatedAt: sql`now() - make_interval(secs => ${RESUME_AFTER_SECONDS + 5})` });
    expect(await run()).toMatchObject({ resumed: 2, charged: 2 });
    const searches = fake.requests.filter((r) => r.path === "/v1/payment_intents/search");
    expect(searches).toHaveLength(2);
    expect(searches[0]!.query.get("query")).toMatch(/^metadata\['paymentId'\]:'[0-9a-f-]{36}'$/);
    expect(intentsAtStripe()).toHaveLength(2);
    expect(new Set(intentsCreated().map((r) => r.idempotencyKey)).size).toBe(2);
    for (const o of overdue()) expect(await outstandingOf(db, o.number)).toBe(0n);
  });

  it("reconcile settles an off-session charge whose answer was lost, by the same search", async () => {
    await turnOnWith("pm_card_visa");
    fake.dropResponses = true;
    await run();
    fake.dropResponses = false;
    const report = await reconcileOpenPayments(db, provider, { olderThanMinutes: 0 });
    expect(report.changed.map((e) => [e.before, e.after])).toEqual([["pending", "succeeded"], ["pending", "succeeded"]]);
    expect(intentsAtStripe()).toHaveLength(2);
    for (const o of overdue()) expect(await outstandingOf(db, o.number)).toBe(0n);
  });
});
