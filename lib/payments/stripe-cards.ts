/**
 * Saved cards through Stripe (PAYMENT_PROVIDER=stripe):
 * - createCardSetup: a Checkout Session in setup mode for the account's Stripe customer (created
 *   on the first setup), so the card is verified on Stripe's hosted page and attached for reuse.
 *   Stripe fills `{CHECKOUT_SESSION_ID}` in the success address only, so Cancel has its own
 *   address. The account's card version travels in the session's metadata.
 * - retrieveCardSetup: the session with its SetupIntent's payment method expanded; only the
 *   brand, last four and expiry are read from it.
 * - detachCard: detaches the payment method from its customer, once the panel no longer uses it.
 * - chargeSavedCard: a PaymentIntent with `off_session: true, confirm: true`, its Idempotency-Key
 *   derived from the panel's payment id. When the bank asks for 3-D Secure
 *   (`authentication_required`), the payment goes through a hosted Checkout page instead, as a
 *   payment without a saved card does.
 */
import Stripe from "stripe";
import { ChargeNotMadeError, type DeclineKind, type CardSetupOutcome, type CardSetupRequest, type Checkout, type CheckoutRequest, type ProviderCard, type ProviderOutcome, type SavedCardCharge, type SavedCardChargeRequest } from "./provider";
import { fromStripeAmount, toStripeAmount } from "./stripe";

const SESSION_ID = /^cs_[A-Za-z0-9_]{1,250}$/;
export const PAYMENT_INTENT_ID = /^pi_[A-Za-z0-9_]{1,250}$/;

/** Stripe's card brand codes, as a person reads them. */
const BRAND_NAMES: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  diners: "Diners Club",
  jcb: "JCB",
  unionpay: "UnionPay",
  cartes_bancaires: "Cartes Bancaires",
};

export const stripeBrandName = (code: string): string => BRAND_NAMES[code] ?? "Card";

/** The return address with Stripe's placeholder for the session id (kept literal: Stripe replaces it). */
function returnUrlWithSession(returnUrl: string): string {
  return `${returnUrl}${returnUrl.includes("?") ? "&" : "?"}setup={CHECKOUT_SESSION_ID}`;
}

const FAILED_REASON = "Your card was declined.";

/** Stripe's decline codes that may pass on a later try (Stripe's own retries treat these as soft). */
const SOFT_DECLINE_CODES = new Set([
  "insufficient_funds",
  "processing_error",
  "try_again_later",
  "card_velocity_exceeded",
  "withdrawal_count_limit_exceeded",
  "issuer_not_available",
  "reenter_transaction",
  "approve_with_id",
]);

/** How Stripe declined a charge, from its error code and decline code. */
export function stripeDeclineKind(error: { code?: string | null; decline_code?: string | null } | null | undefined): DeclineKind {
  if (error?.code === "expired_card" || error?.decline_code === "expired_card") return "expired_card";
  return SOFT_DECLINE_CODES.has(error?.decline_code ?? error?.code ?? "") ? "soft" : "hard";
}

/** A PaymentIntent as the engine's outcome (its amount converted exactly, or refused as a mismatch). */
export function paymentIntentOutcome(intent: Stripe.PaymentIntent): ProviderOutcome {
  const currency = intent.currency.toUpperCase();
  const amountMinor = fromStripeAmount(intent.amount, currency) ?? -1n;
  const base = { providerReference: intent.id, amountMinor, currency };
  switch (intent.status) {
    case "succeeded":
      return { ...base, state: "succeeded", failureReason: null };
    case "requires_action":
      return { ...base, state: "requires_action", failureReason: null };
    case "requires_payment_method":
    case "canceled":
      return { ...base, state: "failed", failureReason: intent.last_payment_error?.message ?? FAILED_REASON, declineKind: stripeDeclineKind(intent.last_payment_error) };
    default:
      return { ...base, state: "processing", failureReason: null };
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404;
}

/** The PaymentIntent of an off-session charge, as an outcome (reconcile); null when Stripe does not know it. */
export async function retrievePaymentIntentOutcome(client: Stripe, providerReference: string): Promise<ProviderOutcome | null> {
  try {
    return paymentIntentOutcome(await client.paymentIntents.retrieve(providerReference));
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

function cardOf(session: Stripe.Checkout.Session): ProviderCard | null {
  const intent = session.setup_intent;
  if (!intent || typeof intent === "string" || intent.status !== "succeeded") return null;
  const method = intent.payment_method;
  if (!method || typeof method === "string" || !method.card) return null;
  const customer = typeof session.customer === "string" ? session.customer : (session.customer?.id ?? null);
  const { brand, last4, exp_month: expMonth, exp_year: expYear } = method.card;
  return { paymentMethodReference: method.id, customerReference: customer, brand: stripeBrandName(brand), last4, expMonth, expYear };
}

function cardVersionOf(value: string | undefined): number | null {
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

export function stripeCardMethods(client: Stripe, createCheckout: (request: CheckoutRequest) => Promise<Checkout>) {
  return {
    async createCardSetup(request: CardSetupRequest): Promise<Checkout> {
      const customer =
        request.customerReference ??
        (await client.customers.create({ metadata: { accountId: request.accountId } }, { idempotencyKey: `customer-${request.setupKey}` })).id;
      const returnUrl = returnUrlWithSession(request.returnUrl);
      const session = await client.checkout.sessions.create(
        {
          mode: "setup",
          currency: request.currency.toLowerCase(),
          customer,
          client_reference_id: request.accountId,
          metadata: { accountId: request.accountId, cardVersion: String(request.cardVersion) },
          setup_intent_data: { metadata: { accountId: request.accountId } },
          success_url: returnUrl,
          cancel_url: request.cancelUrl,
        },
        { idempotencyKey: `setup-${request.setupKey}` },
      );
      if (!session.url) throw new Error(`Stripe returned setup session ${session.id} without a URL.`);
      return { providerReference: session.id, redirectUrl: session.url };
    },

    async retrieveCardSetup(providerReference: string): Promise<CardSetupOutcome | null> {
      if (!SESSION_ID.test(providerReference)) return null;
      let session: Stripe.Checkout.Session;
      try {
        session = await client.checkout.sessions.retrieve(providerReference, { expand: ["setup_intent.payment_method"] });
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
      const accountId = session.metadata?.accountId;
      if (session.mode !== "setup" || !accountId) return null;
      const card = session.status === "complete" ? cardOf(session) : null;
      const state = card ? "succeeded" : session.status === "expired" ? "cancelled" : "open";
      return { providerReference: session.id, accountId, state, card, cardVersion: cardVersionOf(session.metadata?.cardVersion) };
    },

    async detachCard(paymentMethodReference: string): Promise<void> {
      try {
        await client.paymentMethods.detach(paymentMethodReference);
      } catch (err) {
        // A payment method Stripe does not know is attached to nothing.
        if (isNotFound(err)) return;
        throw err;
      }
    },

    async chargeSavedCard(request: SavedCardChargeRequest): Promise<SavedCardCharge> {
      const throughHostedPage = async (): Promise<SavedCardCharge> => {
        const checkout = await createCheckout(request);
        return { kind: "needs_authentication", providerReference: checkout.providerReference, redirectUrl: checkout.redirectUrl };
      };
      try {
        const intent = await client.paymentIntents.create(
          {
            amount: toStripeAmount(request.amountMinor, request.currency),
            currency: request.currency.toLowerCase(),
            customer: request.card.customerReference ?? undefined,
            payment_method: request.card.paymentMethodReference,
            off_session: true,
            confirm: true,
            description: request.description,
            metadata: { paymentId: request.paymentId },
          },
          // Another key than the hosted checkout's (the payment id itself): Stripe keys are per account.
          { idempotencyKey: `off-session-${request.paymentId}` },
        );
        if (intent.status === "requires_action") return throughHostedPage();
        return { kind: "answered", outcome: paymentIntentOutcome(intent) };
      } catch (err) {
        // A 400 is refused before anything runs; a 409 (the same key still in progress) is not certain.
        if (err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 400) throw new ChargeNotMadeError(err.message, { cause: err });
        if (!(err instanceof Stripe.errors.StripeCardError)) throw err;
        if (err.code === "authentication_required") return throughHostedPage();
        if (!err.payment_intent) throw err;
        return {
          kind: "answered",
          outcome: { ...paymentIntentOutcome(err.payment_intent), state: "failed", failureReason: err.message || FAILED_REASON, declineKind: stripeDeclineKind(err) },
        };
      }
    },

    /**
     * The PaymentIntent an off-session charge created, by the panel's payment id in its metadata.
     * Stripe's search index may lag a new intent by up to a minute: callers ask only about
     * attempts older than that.
     */
    async findOffSessionCharge(paymentId: string): Promise<ProviderOutcome | null> {
      if (!/^[0-9a-f-]{36}$/i.test(paymentId)) return null;
      const found = await client.paymentIntents.search({ query: `metadata['paymentId']:'${paymentId}'`, limit: 1 });
      const intent = found.data[0];
      return intent ? paymentIntentOutcome(intent) : null;
    },
  };
}
