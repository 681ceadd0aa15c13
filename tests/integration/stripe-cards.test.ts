/**
 * Contract tests of the saved card through the `stripe` provider and the official package,
 * against a local HTTP server (stripe-fake.ts) playing the parts of Stripe's API it uses: customers, Checkout
 * Sessions in setup mode (the SetupIntent and its payment method expanded on request), and
 * off-session PaymentIntents (`off_session`, `confirm`), with idempotency keys honoured as Stripe
 * does, card errors as Stripe sends them (402, `card_error`, the PaymentIntent attached), and
 * `authentication_required` sending the payment through a hosted Checkout page.
 */
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { payments, savedCards } from "@/db/schema";
import type { Viewer } from "@/lib/dal/session";
import { getPaymentProvider } from "@/lib/payments";
import { paymentResultPath, startCardCheckout } from "@/lib/payments/checkout";
import { attachCheckout, beginCardPayment, STRANDED_AFTER_SECONDS } from "@/lib/payments/engine";
import { payWithSavedCard, savedCardOf } from "@/lib/payments/saved-card";
import type { StripeProvider } from "@/lib/payments/stripe";
import { setupTestDatabase } from "../setup/db";
import { freshDemo, outstandingOf as outstandingOfInvoice, useLocalStripe } from "./helpers";
import { fake, METHODS, saveAtStripe, SECRET_KEY, server, WEBHOOK_SECRET } from "./stripe-fake";

const TODAY = "2026-11-25";
const { db } = await setupTestDatabase();
const { completeCardSetup, removeCard, startCardSetup } = await import("@/lib/dal/cards");

let provider: StripeProvider;
let restoreEnvironment: () => Promise<void>;

beforeAll(async () => {
  restoreEnvironment = await useLocalStripe(server, { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, appUrl: "http://panel.test" });
  provider = getPaymentProvider() as StripeProvider;
});

afterAll(() => restoreEnvironment());

let accountId = "";
let userId = "";
let owed: { number: number; outstandingMinor: bigint }[] = [];

beforeEach(async () => {
  fake.reset();
  ({ accountId, userId, owed } = await freshDemo(db, TODAY));
});

const viewer = () => ({ userId, account: { id: accountId }, invoiceAccess: "full" }) as unknown as Viewer;
const setupRequest = (setupKey = crypto.randomUUID(), customerReference: string | null = null, cardVersion = 0) => ({
  setupKey,
  accountId,
  currency: "EUR",
  customerReference,
  returnUrl: "http://panel.test/cards/return",
  cancelUrl: "http://panel.test/?settings=settings&card=cancelled",
  cardVersion,
});

/** A card saved through Stripe's setup page and the return to the panel. */
async function saveCard(paymentMethod: keyof typeof METHODS) {
  const setup = await provider.createCardSetup(setupRequest());
  saveAtStripe(setup.providerReference, paymentMethod);
  expect(await completeCardSetup(viewer(), setup.providerReference)).toBe("added");
  fake.requests.length = 0;
}

describe("card setup (Checkout in setup mode)", () => {
  it("creates the account's customer and one setup-mode session, keyed by the setup key", async () => {
    const request = setupRequest();
    const setup = await provider.createCardSetup(request);
    expect(setup.redirectUrl).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/setup\/cs_test_/);
    const [customer, session] = fake.requests;
    expect(customer).toMatchObject({ path: "/v1/customers", idempotencyKey: `customer-${request.setupKey}`, form: { "metadata[accountId]": accountId } });
    expect(session).toMatchObject({ path: "/v1/checkout/sessions", idempotencyKey: `setup-${request.setupKey}` });
    expect(session!.form).toMatchObject({
      mode: "setup",
      currency: "eur",
      customer: fake.objects.get(setup.providerReference)!.customer,
      client_reference_id: accountId,
      "metadata[accountId]": accountId,
      "setup_intent_data[metadata][accountId]": accountId,
      // Stripe fills in the placeholder: it must arrive literally.
      success_url: "http://panel.test/cards/return?setup={CHECKOUT_SESSION_ID}",
    });
    // A retried request gets the same session back.
    expect(await provider.createCardSetup(request)).toEqual(setup);
    expect([...fake.objects.values()].filter((o) => o.object === "checkout.session")).toHaveLength(1);
  });

  it("a second setup reuses the account's customer", async () => {
    await provider.createCardSetup(setupRequest(crypto.randomUUID(), "cus_test_existing"));
    expect(fake.requests.map((r) => r.path)).toEqual(["/v1/checkout/sessions"]);
    expect(fake.requests[0]!.form.customer).toBe("cus_test_existing");
  });

  it("reads brand, last four and expiry from the SetupIntent's payment method, and stores only those and the references", async () => {
    const setup = await provider.createCardSetup(setupRequest());
    expect(await provider.retrieveCardSetup(setup.providerReference)).toMatchObject({ state: "open", card: null, accountId });
    saveAtStripe(setup.providerReference, "pm_card_visa");
    const outcome = await provider.retrieveCardSetup(setup.providerReference);
    expect(fake.requests.at(-1)!.query.get("expand[0]")).toBe("setup_intent.payment_method");
    const customer = fake.objects.get(setup.providerReference)!.customer as string;
    expect(outcome).toEqual({
      providerReference: setup.providerReference,
      accountId,
      state: "succeeded",
      card: { paymentMethodReference: "pm_card_visa", customerReference: customer, brand: "Visa", last4: "4242", expMonth: 12, expYear: 2030 },
      cardVersion: 0,
    });
    expect(await completeCardSetup(viewer(), setup.providerReference)).toBe("added");
    const [row] = await db.select().from(savedCards).where(eq(savedCards.accountId, accountId));
    expect(row).toMatchObject({ provider: "stripe", providerReference: "pm_card_visa", providerCustomerReference: customer, brand: "Visa", last4: "4242", expMonth: 12, expYear: 2030 });
  });

  it("an expired session saves nothing; a payment-mode session or an unknown id is no setup", async () => {
    const setup = await provider.createCardSetup(setupRequest());
    Object.assign(fake.objects.get(setup.providerReference)!, { status: "expired" });
    expect(await completeCardSetup(viewer(), setup.providerReference)).toBe("cancelled");
    expect(await provider.retrieveCardSetup("cs_test_unknown")).toBeNull();
    expect(await provider.retrieveCardSetup("not a session")).toBeNull();
    const payment = await provider.createCheckout({ paymentId: crypto.randomUUID(), amountMinor: 100n, currency: "EUR", description: "x", returnUrl: "http://panel.test/" });
    expect(await provider.retrieveCardSetup(payment.providerReference)).toBeNull();
    expect(await db.$count(savedCards)).toBe(0);
  });
});

describe("the setup's return addresses", () => {
  it("Cancel has its own address, to Settings with no card saved: Stripe fills the session id only in success_url", async () => {
    const started = await startCardSetup(viewer());
    expect(started!.redirectUrl).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/setup\//);
    const session = fake.requests.find((r) => r.path === "/v1/checkout/sessions")!;
    expect(session.form.success_url).toBe("http://panel.test/cards/return?setup={CHECKOUT_SESSION_ID}");
    expect(session.form.cancel_url).toBe("http://panel.test/?settings=settings&card=cancelled");
    expect(session.form["metadata[cardVersion]"]).toBe("0");
  });
});

describe("a setup applies at most once", () => {
  it("its return visited again after the card was replaced or removed saves nothing", async () => {
    const first = await provider.createCardSetup(setupRequest());
    saveAtStripe(first.providerReference, "pm_card_visa");
    expect(await completeCardSetup(viewer(), first.providerReference)).toBe("added");
    const second = await provider.createCardSetup(setupRequest(crypto.randomUUID(), null, 1));
    saveAtStripe(second.providerReference, "pm_card_chargeDeclined");
    expect(await completeCardSetup(viewer(), second.providerReference)).toBe("replaced");
    expect(await completeCardSetup(viewer(), first.providerReference)).toBe("stale");
    expect((await savedCardOf(db, accountId))!.providerReference).toBe("pm_card_chargeDeclined");
    await removeCard(viewer());
    expect(await completeCardSetup(viewer(), second.providerReference)).toBe("stale");
    expect(await savedCardOf(db, accountId)).toBeNull();
  });
});

describe("detaching a card the panel no longer uses", () => {
  const detached = () => fake.requests.filter((r) => /\/detach$/.test(r.path)).map((r) => r.path);

  it("a replaced card, then the removed one, is detached at Stripe after the change", async () => {
    await saveCard("pm_card_visa");
    const setup = await provider.createCardSetup(setupRequest(crypto.randomUUID(), null, 1));
    saveAtStripe(setup.providerReference, "pm_card_authenticationRequired");
    expect(await completeCardSetup(viewer(), setup.providerReference)).toBe("replaced");
    expect(detached()).toEqual(["/v1/payment_methods/pm_card_visa/detach"]);
    expect(await removeCard(viewer())).toMatchObject({ removed: true });
    expect(detached()).toEqual(["/v1/payment_methods/pm_card_visa/detach", "/v1/payment_methods/pm_card_authenticationRequired/detach"]);
  });

  it("a failure to detach is logged and the removal stands", async () => {
    await saveCard("pm_card_visa");
    fake.failDetach = true;
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await removeCard(viewer())).toMatchObject({ removed: true });
      expect(detached().length).toBeGreaterThan(0);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining("detaching"), expect.anything());
    } finally {
      logged.mockRestore();
    }
    expect(await savedCardOf(db, accountId)).toBeNull();
  });
});

describe("off-session charges (PaymentIntent, off_session + confirm)", () => {
  const pay = (target: { number: number; outstandingMinor: bigint }, key = crypto.randomUUID()) =>
    payWithSavedCard(db, provider, { accountId, userId, numbers: [target.number], expectedAmountMinor: target.outstandingMinor, idempotencyKey: key, returnOrigin: "http://panel.test" });

  it("charges the saved card without a redirect, keyed by the payment, and the invoice is paid", async () => {
    await saveCard("pm_card_visa");
    const target = owed[0]!;
    const r = await pay(target);
    if (r.kind !== "answered") throw new Error(`expected an answer, got ${r.kind}`);
    expect(r.state).toBe("succeeded");
    const [request] = fake.requests;
    const card = (await savedCardOf(db, accountId))!;
    expect(request).toMatchObject({ path: "/v1/payment_intents", idempotencyKey: `off-session-${r.paymentId}` });
    expect(request!.form).toMatchObject({
      amount: target.outstandingMinor.toString(),
      currency: "eur",
      customer: card.providerCustomerReference,
      payment_method: "pm_card_visa",
      off_session: "true",
      confirm: "true",
      "metadata[paymentId]": r.paymentId,
    });
    expect(await outstandingOfInvoice(db, target.number)).toBe(0n);
    const [p] = await db.select().from(payments).where(eq(payments.id, r.paymentId));
    expect(p!.providerReference).toMatch(/^pi_test_/);
    // The provider's answer asked again (reconcile) is the same.
    expect(await provider.retrieve(p!.providerReference!)).toMatchObject({ state: "succeeded", amountMinor: target.outstandingMinor, currency: "EUR" });
  });

  it("a retried charge of the same payment gets Stripe's first answer, never a second charge", async () => {
    await saveCard("pm_card_visa");
    const request = { paymentId: crypto.randomUUID(), amountMinor: 1234n, currency: "EUR", description: "Invoice 1", returnUrl: "http://panel.test/", card: { paymentMethodReference: "pm_card_visa", customerReference: "cus_test_x" } };
    const first = await provider.chargeSavedCard(request);
    const again = await provider.chargeSavedCard(request);
    expect(again).toEqual(first);
    expect([...fake.objects.values()].filter((o) => o.object === "payment_intent")).toHaveLength(1);
  });

  it("a decline fails the payment with Stripe's message; the invoice stays outstanding", async () => {
    await saveCard("pm_card_chargeDeclined");
    const target = owed[0]!;
    expect(await pay(target)).toMatchObject({ kind: "answered", state: "failed", failureReason: "Your card was declined." });
    expect(await outstandingOfInvoice(db, target.number)).toBe(target.outstandingMinor);
  });

  it("authentication_required goes through a hosted Checkout page for the same payment", async () => {
    await saveCard("pm_card_authenticationRequired");
    const target = owed[0]!;
    const r = await pay(target);
    if (r.kind !== "needs_authentication") throw new Error(`expected 3-D Secure, got ${r.kind}`);
    expect(r.redirectUrl).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/payment\/cs_test_/);
    expect(fake.requests.map((q) => [q.path, q.idempotencyKey])).toEqual([
      ["/v1/payment_intents", `off-session-${r.paymentId}`],
      ["/v1/checkout/sessions", r.paymentId],
    ]);
    const [p] = await db.select().from(payments).where(eq(payments.id, r.paymentId));
    expect(p).toMatchObject({ state: "pending", providerReference: expect.stringMatching(/^cs_test_/) });
    expect(await outstandingOfInvoice(db, target.number)).toBe(target.outstandingMinor);
  });
});

describe("a charge without an answer", () => {
  const pay = (target: { number: number; outstandingMinor: bigint }, key = crypto.randomUUID()) =>
    payWithSavedCard(db, provider, { accountId, userId, numbers: [target.number], expectedAmountMinor: target.outstandingMinor, idempotencyKey: key, returnOrigin: "http://panel.test" });
  const strand = (paymentId: string) => db.update(payments).set({ createdAt: new Date(Date.now() - (STRANDED_AFTER_SECONDS + 5) * 1000) }).where(eq(payments.id, paymentId));
  const paymentIntents = () => [...fake.objects.values()].filter((o) => o.object === "payment_intent");

  it("charged at Stripe but the answer lost: the payment stays open, the hosted checkout never takes it over, and a retry gets Stripe's first answer", async () => {
    await saveCard("pm_card_visa");
    const target = owed[0]!;
    fake.dropResponses = true;
    const r = await pay(target);
    fake.dropResponses = false;
    if (r.kind !== "unknown") throw new Error(`expected no answer, got ${r.kind}`);
    expect(paymentIntents()).toHaveLength(1);
    const [open] = await db.select().from(payments).where(eq(payments.id, r.paymentId));
    expect(open).toMatchObject({ state: "pending", providerReference: null, channel: "off_session" });
    await strand(r.paymentId);
    // The hosted path's key differs from the off-session one: a page for this attempt could charge it again.
    const hosted = await startCardCheckout(db, provider, { accountId, userId, numbers: [target.number], expectedAmountMinor: target.outstandingMinor, idempotencyKey: crypto.randomUUID(), returnOrigin: "http://panel.test" });
    expect(hosted).toMatchObject({ kind: "in_progress", inProgressUrl: paymentResultPath(r.paymentId, [target.number]) });
    expect(fake.requests.filter((q) => q.path === "/v1/checkout/sessions")).toEqual([]);
    fake.requests.length = 0;
    expect(await pay(target)).toMatchObject({ kind: "answered", paymentId: r.paymentId, state: "succeeded" });
    expect(fake.requests.map((q) => q.idempotencyKey)).toEqual([`off-session-${r.paymentId}`]);
    expect(paymentIntents()).toHaveLength(1);
    expect(await outstandingOfInvoice(db, target.number)).toBe(0n);
  });

  /** Pays the first owed invoice while every request to Stripe answers with this error: the result and the payment's state. */
  async function payAnswered(status: number, type: string, code: string) {
    await saveCard("pm_card_visa");
    fake.refuseWith = [status, { error: { type, code, message: code } }];
    const r = await pay(owed[0]!);
    const [payment] = await db.select({ state: payments.state }).from(payments).where(eq(payments.id, (r as { paymentId: string }).paymentId));
    return { kind: r.kind, state: payment!.state };
  }

  it("a request Stripe refuses (400) fails the payment: nothing was charged", async () => {
    expect(await payAnswered(400, "invalid_request_error", "parameter_invalid_integer")).toEqual({ kind: "provider_error", state: "failed" });
  });

  it("a request still in progress under the same key (409) is not known to have charged nothing: the payment stays open", async () => {
    expect(await payAnswered(409, "invalid_request_error", "idempotency_key_in_use")).toEqual({ kind: "unknown", state: "pending" });
  });

  it("Continue for a payment in progress whose reference is a PaymentIntent goes to its result page, not the Checkout resume route", async () => {
    const target = owed[0]!;
    const began = await beginCardPayment(db, { accountId, userId, numbers: [target.number], expectedAmountMinor: target.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "stripe" });
    const { paymentId } = began as { paymentId: string };
    await attachCheckout(db, paymentId, "pi_test_processing");
    const again = await startCardCheckout(db, provider, { accountId, userId, numbers: [target.number], expectedAmountMinor: target.outstandingMinor, idempotencyKey: crypto.randomUUID(), returnOrigin: "http://panel.test" });
    expect(again).toMatchObject({ kind: "in_progress", inProgressUrl: paymentResultPath(paymentId, [target.number]) });
  });
});
