/**
 * The `stripe` provider through the official package: its API calls go to a local HTTP server
 * playing Stripe (POST /v1/checkout/sessions, GET /v1/checkout/sessions/:id, idempotency keys
 * honoured like Stripe does), its callbacks are signed with the package's test-signature
 * helper, and the whole flow — pay, checkout, verified callback — ends with outstanding 0.
 */
import crypto from "node:crypto";
import http from "node:http";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { accounts, auditEvents, paymentEvents, payments } from "@/db/schema";
import { getPaymentProvider } from "@/lib/payments";
import { applyOutcome, attachCheckout, beginCardPayment, reconcilePayment } from "@/lib/payments/engine";
import { WebhookVerificationError } from "@/lib/payments/provider";
import { fromStripeAmount, getStripeProvider, StripeConfigError, toStripeAmount, type StripeProvider } from "@/lib/payments/stripe";
import { setupTestDatabase } from "../setup/db";
import { freshDemo, outstandingOf as outstandingOfInvoice, useLocalStripe } from "./helpers";

// The resume route asks the data-access layer who is signed in; here a test decides.
const viewerBox = vi.hoisted(() => ({ viewer: null as unknown }));
vi.mock("@/lib/dal/session", () => ({
  getViewer: async () => viewerBox.viewer,
  canPayInvoices: (v: { invoiceAccess: string }) => v.invoiceAccess === "full",
}));

const TODAY = "2026-11-25";
const SECRET_KEY = "sk_test_cumulusLocalFake0123456789";
const WEBHOOK_SECRET = "whsec_cumulusLocalFake0123456789";
const { db } = await setupTestDatabase();

// ─── A local server playing Stripe's API ──────────────────────────────────────────────────
type FakeSession = {
  id: string;
  object: "checkout.session";
  mode: string;
  status: "open" | "complete" | "expired";
  payment_status: "paid" | "unpaid" | "no_payment_required";
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  success_url: string;
  cancel_url: string;
  url: string | null;
  livemode: false;
};
type SeenRequest = { method: string; path: string; idempotencyKey: string | undefined; authorization: string | undefined; form: Record<string, string> };

const fake = {
  sessions: new Map<string, FakeSession>(),
  byIdempotencyKey: new Map<string, { body: string; status: number; response: string }>(),
  requests: [] as SeenRequest[],
  reset() {
    this.sessions.clear();
    this.byIdempotencyKey.clear();
    this.requests.length = 0;
  },
};

function stripeError(res: http.ServerResponse, status: number, message: string, code = "resource_missing") {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error: { type: "invalid_request_error", code, message } }));
}

const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const form = Object.fromEntries(new URLSearchParams(body));
    const idempotencyKey = req.headers["idempotency-key"] as string | undefined;
    fake.requests.push({ method: req.method!, path: url.pathname, idempotencyKey, authorization: req.headers.authorization, form });
    if (req.headers.authorization !== `Bearer ${SECRET_KEY}`) return stripeError(res, 401, "Invalid API Key provided", "api_key_invalid");

    if (req.method === "POST" && url.pathname === "/v1/checkout/sessions") {
      // Stripe: the same key returns the first response; with other parameters it is an error.
      if (idempotencyKey) {
        const first = fake.byIdempotencyKey.get(idempotencyKey);
        if (first && first.body !== body) return stripeError(res, 400, "Keys for idempotent requests can only be used with the same parameters they were first used with.", "idempotency_error");
        if (first) return res.writeHead(first.status, { "content-type": "application/json", "idempotent-replayed": "true" }).end(first.response);
      }
      const id = `cs_test_${crypto.randomBytes(12).toString("hex")}`;
      const session: FakeSession = {
        id,
        object: "checkout.session",
        mode: form.mode!,
        status: "open",
        payment_status: "unpaid",
        amount_total: Number(form["line_items[0][price_data][unit_amount]"]) * Number(form["line_items[0][quantity]"]),
        currency: form["line_items[0][price_data][currency]"]!,
        client_reference_id: form.client_reference_id ?? null,
        metadata: { paymentId: form["metadata[paymentId]"]! },
        success_url: form.success_url!,
        cancel_url: form.cancel_url!,
        url: `https://checkout.stripe.test/c/pay/${id}#fidkdWxOYHwnPyd1blpxYHZxWjA0`,
        livemode: false,
      };
      fake.sessions.set(id, session);
      const response = JSON.stringify(session);
      if (idempotencyKey) fake.byIdempotencyKey.set(idempotencyKey, { body, status: 200, response });
      return res.writeHead(200, { "content-type": "application/json" }).end(response);
    }
    const m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname);
    if (req.method === "GET" && m) {
      const session = fake.sessions.get(decodeURIComponent(m[1]!));
      if (!session) return stripeError(res, 404, `No such checkout.session: '${m[1]}'`);
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(session));
    }
    stripeError(res, 404, `Unrecognized request URL (${req.method}: ${url.pathname})`, "unrecognized_url");
  });
});

/** What Stripe's hosted page does when the person pays. */
function payAtStripe(sessionId: string, paymentStatus: "paid" | "unpaid" = "paid") {
  const s = fake.sessions.get(sessionId)!;
  Object.assign(s, { status: "complete", payment_status: paymentStatus, url: null });
  return s;
}

let provider: StripeProvider;
let restoreEnvironment: () => Promise<void>;

beforeAll(async () => {
  restoreEnvironment = await useLocalStripe(server, { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });
  provider = getPaymentProvider() as StripeProvider;
});

afterAll(() => restoreEnvironment());

// ─── Demo data ────────────────────────────────────────────────────────────────────────────
let accountId = "";
let userId = "";
let owed: { number: number; outstandingMinor: bigint }[] = [];

beforeEach(async () => {
  fake.reset();
  ({ accountId, userId, owed: owed } = await freshDemo(db, TODAY));
});

const outstandingOf = (number: number) => outstandingOfInvoice(db, number);

/** The pay action's steps: record the attempt, create the checkout, record its reference. */
async function startCheckout(target: { number: number; outstandingMinor: bigint }) {
  const r = await beginCardPayment(db, { accountId, userId, numbers: [target.number], expectedAmountMinor: target.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "stripe" });
  if (r.kind !== "created") throw new Error(`expected a new payment, got ${r.kind}`);
  const request = { paymentId: r.paymentId, amountMinor: r.amountMinor, currency: r.currency, description: `Invoice ${target.number}`, returnUrl: `http://panel.test/invoices/${target.number}?payment=${r.paymentId}` };
  const checkout = await provider.createCheckout(request);
  await attachCheckout(db, r.paymentId, checkout.providerReference);
  return { paymentId: r.paymentId, sessionId: checkout.providerReference, redirectUrl: checkout.redirectUrl, request };
}

function eventBody(type: string, session: object, id = `evt_${crypto.randomBytes(12).toString("hex")}`) {
  return JSON.stringify({
    id,
    object: "event",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object: session },
  });
}

function signed(payload: string, opts: { timestamp?: number; secret?: string } = {}) {
  const header = provider.client.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? WEBHOOK_SECRET, timestamp: opts.timestamp });
  return new Headers({ "content-type": "application/json", "stripe-signature": header });
}

async function postWebhook(body: string, headers: Headers) {
  const { POST } = await import("@/app/api/payments/webhooks/stripe/route");
  const res = await POST(new Request("http://panel.test/api/payments/webhooks/stripe", { method: "POST", headers, body }));
  return { status: res.status, json: (await res.json()) as { result?: string; error?: string } };
}

// ─── Tests ────────────────────────────────────────────────────────────────────────────────
describe("configuration", () => {
  it("PAYMENT_PROVIDER=stripe fails clearly when its keys are missing, naming variables, never values", () => {
    expect(() => getStripeProvider({ PAYMENT_PROVIDER: "stripe" })).toThrow(/STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/);
    expect(() => getStripeProvider({ STRIPE_SECRET_KEY: SECRET_KEY })).toThrow(StripeConfigError);
    try {
      getStripeProvider({ STRIPE_SECRET_KEY: "pk_test_notASecretKey", STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/STRIPE_SECRET_KEY/);
      expect((err as Error).message).not.toContain("pk_test_notASecretKey");
      expect((err as Error).message).not.toContain(WEBHOOK_SECRET);
    }
    expect(provider.name).toBe("stripe");
  });

  it("converts minor units exactly, zero-decimal and three-decimal currencies included", () => {
    expect(toStripeAmount(123456n, "EUR")).toBe(123456);
    expect(toStripeAmount(5000n, "JPY")).toBe(5000); // zero-decimal on both sides
    expect(toStripeAmount(5000n, "ISK")).toBe(500000); // ISO 0 digits, Stripe two-decimal
    expect(toStripeAmount(12340n, "KWD")).toBe(12340); // three-decimal, ending in 0
    expect(() => toStripeAmount(12345n, "KWD")).toThrow(RangeError);
    expect(() => toStripeAmount(0n, "EUR")).toThrow(RangeError);
    expect(fromStripeAmount(500000, "ISK")).toBe(5000n);
    expect(fromStripeAmount(500050, "ISK")).toBeNull();
    expect(fromStripeAmount(5000, "jpy")).toBe(5000n);
    expect(fromStripeAmount(123456, "eur")).toBe(123456n);
  });
});

describe("createCheckout", () => {
  it("creates one payment-mode session for exactly the amount, keyed by the payment id", async () => {
    const target = owed[0]!;
    const c = await startCheckout(target);
    expect(c.redirectUrl).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req!.idempotencyKey).toBe(c.paymentId);
    expect(req!.form).toMatchObject({
      mode: "payment",
      "line_items[0][quantity]": "1",
      "line_items[0][price_data][currency]": "eur",
      "line_items[0][price_data][unit_amount]": target.outstandingMinor.toString(),
      "line_items[0][price_data][product_data][name]": `Invoice ${target.number}`,
      client_reference_id: c.paymentId,
      "metadata[paymentId]": c.paymentId,
      success_url: c.request.returnUrl,
      cancel_url: c.request.returnUrl,
    });
    const [p] = await db.select({ ref: payments.providerReference }).from(payments).where(eq(payments.id, c.paymentId));
    expect(p!.ref).toBe(c.sessionId);
  });

  it("a retried request (a crash before the session was recorded) gets the same session, never a second", async () => {
    const c = await startCheckout(owed[0]!);
    const again = await provider.createCheckout(c.request);
    expect(again).toEqual({ providerReference: c.sessionId, redirectUrl: c.redirectUrl });
    expect(fake.sessions.size).toBe(1);
    expect(fake.requests.map((r) => r.idempotencyKey)).toEqual([c.paymentId, c.paymentId]);
  });
});

describe("retrieve", () => {
  it("maps the session's status and payment_status to the engine's states", async () => {
    const target = owed[0]!;
    const c = await startCheckout(target);
    const base = { providerReference: c.sessionId, amountMinor: target.outstandingMinor, currency: "EUR" };
    expect(await provider.retrieve(c.sessionId)).toEqual({ ...base, state: "pending", failureReason: null });
    payAtStripe(c.sessionId, "unpaid");
    expect(await provider.retrieve(c.sessionId)).toEqual({ ...base, state: "processing", failureReason: null });
    payAtStripe(c.sessionId, "paid");
    expect(await provider.retrieve(c.sessionId)).toEqual({ ...base, state: "succeeded", failureReason: null });
    fake.sessions.get(c.sessionId)!.status = "expired";
    expect(await provider.retrieve(c.sessionId)).toMatchObject({ ...base, state: "cancelled" });
    expect(await provider.retrieve("cs_test_doesNotExist")).toBeNull();
    const before = fake.requests.length;
    expect(await provider.retrieve("../v1/customers")).toBeNull(); // never sent
    expect(fake.requests.length).toBe(before);
  });

  it("the callback was lost: asking Stripe settles it once (return page, reconcile job)", async () => {
    const target = owed[0]!;
    const c = await startCheckout(target);
    payAtStripe(c.sessionId);
    expect(await reconcilePayment(db, provider, c.paymentId)).toBe("changed");
    expect(await reconcilePayment(db, provider, c.paymentId)).toBe("not_open");
    expect(await outstandingOf(target.number)).toBe(0n);
  });
});

describe("webhooks", () => {
  it("a verified checkout.session.completed is applied once; its replay is a duplicate", async () => {
    const target = owed[0]!;
    const c = await startCheckout(target);
    const body = eventBody("checkout.session.completed", payAtStripe(c.sessionId));
    const first = await postWebhook(body, signed(body));
    expect(first).toEqual({ status: 200, json: { result: "changed" } });
    const replay = await postWebhook(body, signed(body));
    expect(replay).toEqual({ status: 200, json: { result: "duplicate" } });
    expect(await outstandingOf(target.number)).toBe(0n);
    expect(await db.$count(paymentEvents, eq(paymentEvents.provider, "stripe"))).toBe(1);
    const [p] = await db.select({ state: payments.state }).from(payments).where(eq(payments.id, c.paymentId));
    expect(p!.state).toBe("succeeded");
  });

  it("rejects a tampered body, a timestamp older than 5 minutes, a foreign secret and a missing header", async () => {
    const c = await startCheckout(owed[0]!);
    const body = eventBody("checkout.session.completed", payAtStripe(c.sessionId));
    const tampered = body.replace(/"amount_total":\d+/, '"amount_total":1');
    expect(tampered).not.toBe(body);
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      await postWebhook(tampered, signed(body)),
      await postWebhook(body, signed(body, { timestamp: now - 301 })),
      await postWebhook(body, signed(body, { secret: "whsec_someoneElse" })),
      await postWebhook(body, new Headers({ "content-type": "application/json" })),
    ];
    for (const r of cases) expect(r.status).toBe(400);
    expect(cases[1]!.json.error).toMatch(/tolerance/i);
    await expect(provider.verifyWebhook(tampered, signed(body))).rejects.toThrow(WebhookVerificationError);
    // Inside the window it is accepted.
    expect((await postWebhook(body, signed(body, { timestamp: now - 240 }))).json.result).toBe("changed");
    expect(await db.$count(paymentEvents)).toBe(1);
  });

  it("an asynchronous payment: completed-unpaid is processing, then async_payment_succeeded settles it", async () => {
    const target = owed[0]!;
    const c = await startCheckout(target);
    const session = payAtStripe(c.sessionId, "unpaid");
    const completed = eventBody("checkout.session.completed", session);
    expect((await postWebhook(completed, signed(completed))).json.result).toBe("changed");
    let [p] = await db.select({ state: payments.state }).from(payments).where(eq(payments.id, c.paymentId));
    expect(p!.state).toBe("processing");
    expect(await outstandingOf(target.number)).toBe(target.outstandingMinor);
    session.payment_status = "paid";
    const body = eventBody("checkout.session.async_payment_succeeded", session);
    expect((await postWebhook(body, signed(body))).json.result).toBe("changed");
    [p] = await db.select({ state: payments.state }).from(payments).where(eq(payments.id, c.paymentId));
    expect(p!.state).toBe("succeeded");
    expect(await outstandingOf(target.number)).toBe(0n);
  });

  it("async_payment_failed fails it and expired cancels it; the invoice stays outstanding and can be paid again", async () => {
    const target = owed[0]!;
    const c = await startCheckout(target);
    const failed = eventBody("checkout.session.async_payment_failed", payAtStripe(c.sessionId, "unpaid"));
    expect((await postWebhook(failed, signed(failed))).json.result).toBe("changed");
    const [p] = await db.select({ state: payments.state, reason: payments.failureReason }).from(payments).where(eq(payments.id, c.paymentId));
    expect(p).toEqual({ state: "failed", reason: "The payment failed." });

    const c2 = await startCheckout(target);
    const expiredSession = { ...fake.sessions.get(c2.sessionId)!, status: "expired", url: null };
    const expired = eventBody("checkout.session.expired", expiredSession);
    expect((await postWebhook(expired, signed(expired))).json.result).toBe("changed");
    const [p2] = await db.select({ state: payments.state }).from(payments).where(eq(payments.id, c2.paymentId));
    expect(p2!.state).toBe("cancelled");
    expect(await outstandingOf(target.number)).toBe(target.outstandingMinor);
  });

  it("a different amount is refused (422) and recorded; an unhandled event type is acknowledged and ignored", async () => {
    const target = owed[0]!;
    const c = await startCheckout(target);
    const session = { ...payAtStripe(c.sessionId), amount_total: Number(target.outstandingMinor) - 1 };
    const body = eventBody("checkout.session.completed", session);
    expect(await postWebhook(body, signed(body))).toEqual({ status: 422, json: { result: "mismatch" } });
    expect(await outstandingOf(target.number)).toBe(target.outstandingMinor);
    expect(await db.$count(auditEvents, eq(auditEvents.action, "payment.mismatch_refused"))).toBe(1);

    const other = eventBody("customer.created", { id: "cus_123", object: "customer" });
    expect(await postWebhook(other, signed(other))).toEqual({ status: 200, json: { result: "ignored" } });
    await expect(provider.verifyWebhook(other, signed(other))).rejects.toThrow(/not handled/);
  });
});

describe("the whole flow", () => {
  it("beginCardPayment → Checkout → paid at Stripe → verified callback → outstanding 0, audited, no secret stored", async () => {
    const target = owed[0]!;
    const started = performance.now();
    const c = await startCheckout(target);
    // The person pays on Stripe's page and Stripe calls back (the browser may never return).
    const body = eventBody("checkout.session.completed", payAtStripe(c.sessionId));
    expect((await postWebhook(body, signed(body))).json.result).toBe("changed");
    console.log(`stripe flow (checkout + callback) in ${(performance.now() - started).toFixed(0)} ms`);

    expect(await outstandingOf(target.number)).toBe(0n);
    const actions = (await db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, c.paymentId))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["payment.started", "payment.succeeded"]));
    // A second pay request for the same invoice is refused: nothing outstanding.
    const again = await beginCardPayment(db, { accountId, userId, numbers: [target.number], expectedAmountMinor: target.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "stripe" });
    expect(again).toMatchObject({ kind: "refused", reason: "nothing_outstanding" });
    // A late callback after success changes nothing.
    expect(await applyOutcome(db, "stripe", { eventId: "evt_late", type: "checkout.session.expired", providerReference: c.sessionId, state: "cancelled", amountMinor: target.outstandingMinor, currency: "EUR" })).toBe("unchanged");

    const dump = JSON.stringify(await db.execute(sql`select * from payments, payment_events, audit_events`), (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    expect(dump).not.toContain(SECRET_KEY);
    expect(dump).not.toContain(WEBHOOK_SECRET);
  });

  it("the resume route sends the payer back to the open session, then to the result page; other accounts get 404", async () => {
    const { GET } = await import("@/app/api/payments/stripe/resume/[session]/route");
    const target = owed[0]!;
    const c = await startCheckout(target);
    expect(provider.resumeUrl(c.sessionId)).toBe(`/api/payments/stripe/resume/${c.sessionId}`);
    const call = (session: string) => GET(new Request(`http://panel.test/api/payments/stripe/resume/${session}`), { params: Promise.resolve({ session }) });

    viewerBox.viewer = null;
    expect((await call(c.sessionId)).headers.get("location")).toMatch(/^\/login\?callbackUrl=/);
    viewerBox.viewer = { userId, invoiceAccess: "full", account: { id: accountId } };
    const open = await call(c.sessionId);
    expect(open.status).toBe(303);
    expect(open.headers.get("location")).toBe(c.redirectUrl);

    payAtStripe(c.sessionId); // paid, callback lost: resuming settles it and shows the result
    const done = await call(c.sessionId);
    expect(done.headers.get("location")).toBe(`/invoices/${target.number}?payment=${c.paymentId}`);
    expect(await outstandingOf(target.number)).toBe(0n);

    const [other] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, "Other Tenant Oy"));
    viewerBox.viewer = { userId, invoiceAccess: "full", account: { id: other!.id } };
    expect((await call(c.sessionId)).status).toBe(404);
    viewerBox.viewer = { userId, invoiceAccess: "read", account: { id: accountId } };
    expect((await call(c.sessionId)).status).toBe(404);
  });
});
