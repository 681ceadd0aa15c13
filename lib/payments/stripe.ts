/**
 * `stripe`: Stripe Checkout through the official `stripe` package (PAYMENT_PROVIDER=stripe).
 *
 * - createCheckout: one Checkout Session in payment mode per panel payment, created with the
 *   payment's id as the request's Idempotency-Key, so a retried request (a crash between
 *   creating the session and recording it, a double submit) gets the same session back from
 *   Stripe instead of a second one. The session carries the payment id as
 *   client_reference_id and metadata.paymentId; the panel keeps the session id
 *   (providerReference).
 * - resumeUrl: a hosted Checkout URL cannot be rebuilt from the session id (it carries a
 *   fragment only Stripe knows), so nothing is kept in memory: resumeUrl points at the panel's
 *   own route /api/payments/stripe/resume/<session id>, which checks the viewer, retrieves the
 *   session and redirects to its current URL (or to the result page when it is no longer open).
 *   That works after a restart and on any number of server instances.
 * - retrieve / verifyWebhook: map the session to the engine's states; the callback is verified
 *   by the package (HMAC-SHA256, timestamp at most 300 s old) before anything is read.
 *
 * Amounts: the panel's minor units follow ISO 4217 / ICU (lib/money.ts minorDigits); Stripe's
 * API has its own exponent per currency (zero-decimal JPY, KRW…; three-decimal KWD, BHD…;
 * ISK, HUF, TWD… given as two-decimal). Converting between the two is exact or refused.
 *
 * Keys are read from the environment and never logged, stored or put in an error message.
 */
import Stripe from "stripe";
import { env } from "@/lib/env";
import { minorDigits } from "@/lib/money";
import {
  WebhookVerificationError,
  type Checkout,
  type CheckoutRequest,
  type PaymentProvider,
  type ProviderEvent,
  type ProviderOutcome,
} from "./provider";
import { PAYMENT_INTENT_ID, retrievePaymentIntentOutcome, stripeCardMethods } from "./stripe-cards";

/** Stripe's default tolerance for a signature's timestamp: 5 minutes. */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;
export const STRIPE_SIGNATURE_HEADER = "stripe-signature";

export type StripeProviderConfig = {
  secretKey: string;
  webhookSecret: string;
  /** Tests point the package at a local HTTP server. */
  host?: string;
  port?: number;
  protocol?: "http" | "https";
  /** Milliseconds per API request (default 20 s: the Pay button waits for it). */
  timeoutMs?: number;
  maxNetworkRetries?: number;
};

export class StripeConfigError extends Error {
  override readonly name = "StripeConfigError";
}

type StripeVariables = Readonly<Record<string, string | undefined>>;

/** The STRIPE_* variables as lib/env.ts read them. */
function stripeVariables(): StripeVariables {
  const e = env();
  return {
    STRIPE_SECRET_KEY: e.STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: e.STRIPE_WEBHOOK_SECRET,
    STRIPE_API_HOST: e.STRIPE_API_HOST,
    STRIPE_API_PORT: e.STRIPE_API_PORT?.toString(),
    STRIPE_API_PROTOCOL: e.STRIPE_API_PROTOCOL,
  };
}

/** PAYMENT_PROVIDER=stripe's settings; fails clearly (naming variables, never values) when incomplete. */
export function stripeConfigFromEnv(env: StripeVariables = stripeVariables()): StripeProviderConfig {
  const secretKey = env.STRIPE_SECRET_KEY?.trim() ?? "";
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET?.trim() ?? "";
  const missing = [!secretKey && "STRIPE_SECRET_KEY", !webhookSecret && "STRIPE_WEBHOOK_SECRET"].filter(Boolean);
  if (missing.length) throw new StripeConfigError(`PAYMENT_PROVIDER=stripe needs ${missing.join(" and ")} to be set.`);
  if (!/^(sk|rk)_(test|live)_\S+$/.test(secretKey)) {
    throw new StripeConfigError("STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_… or rk_…).");
  }
  if (!/^whsec_\S+$/.test(webhookSecret)) {
    throw new StripeConfigError("STRIPE_WEBHOOK_SECRET must be the endpoint's signing secret (whsec_…).");
  }
  const config: StripeProviderConfig = { secretKey, webhookSecret };
  if (env.STRIPE_API_HOST) {
    if (!/^[A-Za-z0-9.-]+$/.test(env.STRIPE_API_HOST)) throw new StripeConfigError("STRIPE_API_HOST must be a host name.");
    config.host = env.STRIPE_API_HOST;
  }
  if (env.STRIPE_API_PORT) {
    const port = Number(env.STRIPE_API_PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new StripeConfigError("STRIPE_API_PORT must be a port number.");
    config.port = port;
  }
  if (env.STRIPE_API_PROTOCOL) {
    if (env.STRIPE_API_PROTOCOL !== "http" && env.STRIPE_API_PROTOCOL !== "https") {
      throw new StripeConfigError('STRIPE_API_PROTOCOL must be "http" or "https".');
    }
    config.protocol = env.STRIPE_API_PROTOCOL;
  }
  return config;
}

// ─── Amounts ──────────────────────────────────────────────────────────────────────────────
/** https://docs.stripe.com/currencies#zero-decimal */
const STRIPE_ZERO_DECIMAL = new Set(["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"]);
/** https://docs.stripe.com/currencies#three-decimal: amounts must end in 0. */
const STRIPE_THREE_DECIMAL = new Set(["BHD", "JOD", "KWD", "OMR", "TND"]);

/** Digits of Stripe's API amounts for a currency (ISK, HUF, TWD… are two-decimal there). */
export function stripeDigits(currency: string): number {
  const c = currency.toUpperCase();
  if (STRIPE_ZERO_DECIMAL.has(c)) return 0;
  if (STRIPE_THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/** The panel's minor units → Stripe's unit_amount, exactly (throws when it cannot be exact). */
export function toStripeAmount(amountMinor: bigint, currency: string): number {
  const shift = stripeDigits(currency) - minorDigits(currency.toUpperCase());
  let amount: bigint;
  if (shift >= 0) amount = amountMinor * 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    if (amountMinor % div !== 0n) throw new RangeError(`${currency} ${amountMinor} cannot be charged exactly through Stripe.`);
    amount = amountMinor / div;
  }
  if (STRIPE_THREE_DECIMAL.has(currency.toUpperCase()) && amount % 10n !== 0n) {
    throw new RangeError(`Stripe charges ${currency} only in amounts that end in 0.`);
  }
  if (amount <= 0n || amount > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("The amount is outside what Stripe accepts.");
  return Number(amount);
}

/** Stripe's amount → the panel's minor units, or null when it is not a whole number of them. */
export function fromStripeAmount(amount: number, currency: string): bigint | null {
  if (!Number.isSafeInteger(amount) || amount < 0) return null;
  const shift = minorDigits(currency.toUpperCase()) - stripeDigits(currency);
  const value = BigInt(amount);
  if (shift >= 0) return value * 10n ** BigInt(shift);
  const div = 10n ** BigInt(-shift);
  return value % div === 0n ? value / div : null;
}

// ─── Sessions → outcomes ──────────────────────────────────────────────────────────────────
type Session = Stripe.Checkout.Session;

const EXPIRED_REASON = "The checkout expired before it was paid.";
const ASYNC_FAILED_REASON = "The payment failed.";

/** The session's state as the engine knows it (complete+paid → succeeded, expired → cancelled, …). */
export function sessionState(session: Pick<Session, "status" | "payment_status">): Pick<ProviderOutcome, "state" | "failureReason"> {
  if (session.status === "complete") {
    // "unpaid" on a complete session: an asynchronous method (a bank debit) is still on its way.
    // Anything but "paid" is never settled.
    return session.payment_status === "paid" ? { state: "succeeded", failureReason: null } : { state: "processing", failureReason: null };
  }
  if (session.status === "expired") return { state: "cancelled", failureReason: EXPIRED_REASON };
  return { state: "pending", failureReason: null };
}

function outcomeOf(session: Session, state: Pick<ProviderOutcome, "state" | "failureReason">): ProviderOutcome {
  if (session.amount_total == null || !session.currency) throw new Error(`Stripe session ${session.id} has no amount.`);
  const currency = session.currency.toUpperCase();
  const amountMinor = fromStripeAmount(session.amount_total, currency);
  // An amount the panel cannot represent can never equal the payment's: the engine refuses it as a mismatch.
  return { providerReference: session.id, ...state, amountMinor: amountMinor ?? -1n, currency };
}

export type ParsedStripeWebhook =
  | { kind: "event"; event: ProviderEvent }
  /** A verified event of a type the panel does not act on: acknowledged, nothing changes. */
  | { kind: "ignored"; eventId: string; type: string };

const HANDLED = {
  "checkout.session.completed": (s: Session) => sessionState(s),
  "checkout.session.async_payment_succeeded": () => ({ state: "succeeded" as const, failureReason: null }),
  "checkout.session.async_payment_failed": () => ({ state: "failed" as const, failureReason: ASYNC_FAILED_REASON }),
  "checkout.session.expired": () => ({ state: "cancelled" as const, failureReason: EXPIRED_REASON }),
} satisfies Record<string, (s: Session) => Pick<ProviderOutcome, "state" | "failureReason">>;

const SESSION_ID = /^cs_[A-Za-z0-9_]{1,250}$/;

export type StripeProvider = PaymentProvider & {
  readonly name: "stripe";
  readonly client: Stripe;
  /** verifyWebhook that tells unhandled (but genuine) event types apart instead of throwing. */
  parseWebhook(rawBody: string, headers: Headers): Promise<ParsedStripeWebhook>;
  /** The session's hosted page while it is open, else null (the resume route). */
  openCheckoutUrl(providerReference: string): Promise<string | null>;
};

export function createStripeProvider(config: StripeProviderConfig): StripeProvider {
  const client = new Stripe(config.secretKey, {
    host: config.host,
    port: config.port,
    protocol: config.protocol,
    timeout: config.timeoutMs ?? 20_000,
    maxNetworkRetries: config.maxNetworkRetries ?? 2,
    telemetry: false,
    appInfo: { name: "Cumulus" },
  });
  const webhookSecret = config.webhookSecret;

  async function retrieveSession(providerReference: string): Promise<Session | null> {
    if (!SESSION_ID.test(providerReference)) return null;
    try {
      return await client.checkout.sessions.retrieve(providerReference);
    } catch (err) {
      if (err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404) return null;
      throw err;
    }
  }

  async function parseWebhook(rawBody: string, headers: Headers): Promise<ParsedStripeWebhook> {
    const signature = headers.get(STRIPE_SIGNATURE_HEADER);
    if (!signature) throw new WebhookVerificationError("missing Stripe-Signature header");
    let event: Stripe.Event;
    try {
      event = await client.webhooks.constructEventAsync(rawBody, signature, webhookSecret, STRIPE_WEBHOOK_TOLERANCE_SECONDS);
    } catch (err) {
      // The package's message says what failed (signature, timestamp); it never contains the secret.
      throw new WebhookVerificationError(err instanceof Error ? err.message : "signature verification failed");
    }
    const map = HANDLED[event.type as keyof typeof HANDLED];
    if (!map) return { kind: "ignored", eventId: event.id, type: event.type };
    const session = event.data.object as Session;
    if (session?.object !== "checkout.session" || typeof session.id !== "string") throw new WebhookVerificationError("malformed event");
    let outcome: ProviderOutcome;
    try {
      outcome = outcomeOf(session, map(session));
    } catch {
      throw new WebhookVerificationError("malformed event: the session has no amount");
    }
    return { kind: "event", event: { ...outcome, eventId: event.id, type: event.type } };
  }

  async function createCheckout(request: CheckoutRequest): Promise<Checkout> {
    const session = await client.checkout.sessions.create(
      {
        mode: "payment",
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: request.currency.toLowerCase(),
              unit_amount: toStripeAmount(request.amountMinor, request.currency),
              product_data: { name: request.description },
            },
          },
        ],
        client_reference_id: request.paymentId,
        metadata: { paymentId: request.paymentId },
        payment_intent_data: { metadata: { paymentId: request.paymentId } },
        success_url: request.returnUrl,
        cancel_url: request.returnUrl,
      },
      // The same payment id always gets the same session (Stripe keeps keys for 24 hours).
      { idempotencyKey: request.paymentId },
    );
    if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL.`);
    return { providerReference: session.id, redirectUrl: session.url };
  }

  return {
    name: "stripe",
    client,
    createCheckout,
    ...stripeCardMethods(client, createCheckout),

    resumeUrl(providerReference: string): string {
      return `/api/payments/stripe/resume/${encodeURIComponent(providerReference)}`;
    },

    async openCheckoutUrl(providerReference: string): Promise<string | null> {
      const session = await retrieveSession(providerReference);
      return session && session.status === "open" && session.url ? session.url : null;
    },

    async retrieve(providerReference: string): Promise<ProviderOutcome | null> {
      // An off-session charge of a saved card is a PaymentIntent, not a session.
      if (PAYMENT_INTENT_ID.test(providerReference)) return retrievePaymentIntentOutcome(client, providerReference);
      const session = await retrieveSession(providerReference);
      return session ? outcomeOf(session, sessionState(session)) : null;
    },

    parseWebhook,

    async verifyWebhook(rawBody: string, headers: Headers): Promise<ProviderEvent> {
      const parsed = await parseWebhook(rawBody, headers);
      if (parsed.kind === "ignored") throw new WebhookVerificationError(`event type ${parsed.type} is not handled`);
      return parsed.event;
    },
  };
}

// One client per configuration: PAYMENT_PROVIDER is read per request, the client is reused.
let cached: { key: string; provider: StripeProvider } | undefined;

/** The provider configured by the environment (throws StripeConfigError when keys are missing). */
export function getStripeProvider(env: StripeVariables = stripeVariables()): StripeProvider {
  const config = stripeConfigFromEnv(env);
  const key = JSON.stringify(config);
  if (cached?.key !== key) cached = { key, provider: createStripeProvider(config) };
  return cached.provider;
}
