/**
 * A local HTTP server playing the parts of Stripe's API the panel uses, for the contract tests
 * (stripe-cards.test.ts, autopay-stripe.test.ts): customers, Checkout Sessions in setup mode (the
 * SetupIntent and its payment method expanded on request), off-session PaymentIntents
 * (`off_session`, `confirm`) with Stripe's card errors (402, `card_error`, the PaymentIntent
 * attached, its decline code), PaymentIntent search on metadata, and idempotency keys honoured
 * as Stripe does.
 */
import crypto from "node:crypto";
import http from "node:http";

export const SECRET_KEY = "sk_test_cumulusCardsFake0123456789";
export const WEBHOOK_SECRET = "whsec_cumulusCardsFake0123456789";

type Json = Record<string, unknown>;
type Seen = { method: string; path: string; query: URLSearchParams; idempotencyKey: string | undefined; form: Record<string, string> };

/** The saved payment methods the fake knows, and what charging each does. */
export const METHODS: Record<string, { brand: string; last4: string; charge: "succeeds" | "declines" | "insufficient_funds" | "expired" | "needs_authentication" }> = {
  pm_card_visa: { brand: "visa", last4: "4242", charge: "succeeds" },
  pm_card_chargeDeclined: { brand: "visa", last4: "0341", charge: "declines" },
  pm_card_chargeDeclinedInsufficientFunds: { brand: "visa", last4: "9995", charge: "insufficient_funds" },
  pm_card_chargeDeclinedExpiredCard: { brand: "visa", last4: "0069", charge: "expired" },
  pm_card_authenticationRequired: { brand: "mastercard", last4: "3184", charge: "needs_authentication" },
};

export const fake = {
  objects: new Map<string, Json>(),
  replies: new Map<string, { body: string; status: number; response: string }>(),
  requests: [] as Seen[],
  /** Set to make detaching a payment method fail, as when Stripe cannot be reached. */
  failDetach: false,
  /** The connection is dropped after the request was handled (and its answer kept for its key): a charge whose answer is lost. */
  dropResponses: false,
  /** Every request is refused with this [status, body] before it is handled (nothing kept for its key). */
  refuseWith: null as [number, Json] | null,
  reset() {
    this.objects.clear();
    this.replies.clear();
    this.requests.length = 0;
    this.failDetach = false;
    this.dropResponses = false;
    this.refuseWith = null;
  },
};

const newId = (prefix: string) => `${prefix}_test_${crypto.randomBytes(10).toString("hex")}`;

function paymentMethodObject(id: string): Json {
  const m = METHODS[id]!;
  return { id, object: "payment_method", type: "card", card: { brand: m.brand, last4: m.last4, exp_month: 12, exp_year: 2030 } };
}

/** Stripe's card error for each way a charge fails. */
const CARD_ERRORS: Record<string, { code: string; decline_code?: string; message: string }> = {
  declines: { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." },
  insufficient_funds: { code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." },
  expired: { code: "expired_card", message: "Your card has expired." },
  needs_authentication: { code: "authentication_required", decline_code: "authentication_required", message: "Your card was declined. This transaction requires authentication." },
};

/** Stripe's search query for one metadata value, as the panel writes it: `metadata['key']:'value'`. */
function searchIntents(query: string): [number, Json] {
  const m = /^metadata\['(\w+)'\]:'([^']*)'$/.exec(query);
  if (!m) return [400, { error: { type: "invalid_request_error", message: `Unsupported search query: ${query}` } }];
  const data = [...fake.objects.values()].filter((o) => o.object === "payment_intent" && (o.metadata as Json)[m[1]!] === m[2]);
  return [200, { object: "search_result", url: "/v1/payment_intents/search", has_more: false, next_page: null, data }];
}

/** Handles one API call: [status, body]. */
function handle(method: string, path: string, query: URLSearchParams, form: Record<string, string>): [number, Json] {
  if (method === "POST" && path === "/v1/customers") {
    const customer = { id: newId("cus"), object: "customer", metadata: { accountId: form["metadata[accountId]"] } };
    fake.objects.set(customer.id, customer);
    return [200, customer];
  }
  if (method === "POST" && path === "/v1/checkout/sessions") {
    const id = newId("cs");
    const session: Json = {
      id,
      object: "checkout.session",
      mode: form.mode,
      status: "open",
      currency: form.currency ?? form["line_items[0][price_data][currency]"],
      amount_total: form.mode === "payment" ? Number(form["line_items[0][price_data][unit_amount]"]) : null,
      payment_status: form.mode === "setup" ? "no_payment_required" : "unpaid",
      customer: form.customer ?? null,
      client_reference_id: form.client_reference_id ?? null,
      metadata: form.mode === "setup" ? { accountId: form["metadata[accountId]"], cardVersion: form["metadata[cardVersion]"] } : { paymentId: form["metadata[paymentId]"] },
      setup_intent: form.mode === "setup" ? newId("seti") : null,
      success_url: form.success_url,
      url: `https://checkout.stripe.test/c/${form.mode}/${id}`,
    };
    fake.objects.set(id, session);
    return [200, session];
  }
  let m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
  if (method === "GET" && m) {
    const session = fake.objects.get(m[1]!);
    if (!session) return [404, { error: { type: "invalid_request_error", code: "resource_missing", message: "No such checkout.session" } }];
    const expanded = [...query.entries()].some(([k, v]) => k.startsWith("expand") && v === "setup_intent.payment_method");
    const intent = session.setup_intent ? fake.objects.get(session.setup_intent as string) : undefined;
    if (!expanded || !intent) return [200, session];
    const pm = intent.payment_method ? paymentMethodObject(intent.payment_method as string) : null;
    return [200, { ...session, setup_intent: { ...intent, payment_method: pm } }];
  }
  if (method === "POST" && path === "/v1/payment_intents") {
    const saved = METHODS[form.payment_method!];
    const intent: Json = {
      id: newId("pi"),
      object: "payment_intent",
      amount: Number(form.amount),
      currency: form.currency,
      customer: form.customer,
      payment_method: form.payment_method,
      metadata: { paymentId: form["metadata[paymentId]"] },
      status: saved?.charge === "succeeds" ? "succeeded" : "requires_payment_method",
      last_payment_error: null,
    };
    fake.objects.set(intent.id as string, intent);
    if (saved?.charge === "succeeds") return [200, intent];
    const error = { type: "card_error", ...CARD_ERRORS[saved?.charge ?? "declines"] };
    intent.last_payment_error = error;
    return [402, { error: { ...error, payment_intent: intent } }];
  }
  m = /^\/v1\/payment_methods\/([^/]+)\/detach$/.exec(path);
  if (method === "POST" && m) {
    if (fake.failDetach) return [500, { error: { type: "api_error", message: "Something went wrong on Stripe's end." } }];
    if (!METHODS[m[1]!]) return [404, { error: { type: "invalid_request_error", code: "resource_missing", message: "No such PaymentMethod" } }];
    return [200, { ...paymentMethodObject(m[1]!), customer: null }];
  }
  if (method === "GET" && path === "/v1/payment_intents/search") return searchIntents(query.get("query") ?? "");
  m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
  if (method === "GET" && m) {
    const intent = fake.objects.get(m[1]!);
    return intent ? [200, intent] : [404, { error: { type: "invalid_request_error", code: "resource_missing", message: "No such payment_intent" } }];
  }
  return [404, { error: { type: "invalid_request_error", code: "unrecognized_url", message: `Unrecognized request URL (${method}: ${path})` } }];
}

export const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const form = Object.fromEntries(new URLSearchParams(body));
    const idempotencyKey = req.headers["idempotency-key"] as string | undefined;
    fake.requests.push({ method: req.method!, path: url.pathname, query: url.searchParams, idempotencyKey, form });
    const send = (status: number, response: string, replayed = false) =>
      fake.dropResponses ? req.socket.destroy() : res.writeHead(status, { "content-type": "application/json", ...(replayed ? { "idempotent-replayed": "true" } : {}) }).end(response);
    if (req.headers.authorization !== `Bearer ${SECRET_KEY}`) return send(401, JSON.stringify({ error: { type: "invalid_request_error", message: "Invalid API Key provided" } }));
    // Stripe: the same key returns the first response (an error included); other parameters with it are refused.
    if (fake.refuseWith) return send(fake.refuseWith[0], JSON.stringify(fake.refuseWith[1]));
    const first = idempotencyKey ? fake.replies.get(idempotencyKey) : undefined;
    if (first && first.body !== body) return send(400, JSON.stringify({ error: { type: "idempotency_error", message: "Keys for idempotent requests can only be used with the same parameters." } }));
    if (first) return send(first.status, first.response, true);
    const [status, json] = handle(req.method!, url.pathname, url.searchParams, form);
    const response = JSON.stringify(json);
    if (idempotencyKey && req.method === "POST") fake.replies.set(idempotencyKey, { body, status, response });
    send(status, response);
  });
});

/** What Stripe's hosted setup page does when the person saves a card. */
export function saveAtStripe(sessionId: string, paymentMethod: keyof typeof METHODS) {
  const session = fake.objects.get(sessionId)!;
  fake.objects.set(session.setup_intent as string, { id: session.setup_intent, object: "setup_intent", status: "succeeded", payment_method: paymentMethod });
  Object.assign(session, { status: "complete", url: null });
}

