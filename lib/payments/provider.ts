/**
 * The small interface every card payment provider implements. The panel creates a payment
 * row first, then a checkout at the provider keyed by that payment's id (so retrying never
 * creates a second charge), redirects the browser there, and learns the outcome from a
 * verified callback, from the return to the panel, or by asking (reconcile).
 */
export type ProviderName = "sandbox" | "stripe";

export type CheckoutRequest = {
  paymentId: string;
  amountMinor: bigint;
  currency: string;
  description: string;
  /** Where the provider sends the browser back, with the result to be looked up. */
  returnUrl: string;
};

export type Checkout = { providerReference: string; redirectUrl: string };

/**
 * How a declined charge was declined: `soft` may pass later (insufficient funds, a processing
 * error), `hard` will not (declined, lost, stolen), `expired_card` will not with this card.
 */
export type DeclineKind = "soft" | "hard" | "expired_card";

/** What the provider says about a checkout. */
export type ProviderOutcome = {
  providerReference: string;
  state: "pending" | "requires_action" | "processing" | "succeeded" | "failed" | "cancelled";
  amountMinor: bigint;
  currency: string;
  failureReason?: string | null;
  /** For a declined charge, when the provider says how (automatic payment retries soft declines only). */
  declineKind?: DeclineKind | null;
};

/** A verified callback: its id de-duplicates replays. */
export type ProviderEvent = ProviderOutcome & { eventId: string; type: string };

export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
}

/**
 * The provider refused an off-session charge in a way that is certain to have charged nothing
 * (a request it rejected as invalid). Any other error (a timeout, a lost connection, a 5xx, a
 * request still in progress) may hide a charge that went through.
 */
export class ChargeNotMadeError extends Error {
  override readonly name = "ChargeNotMadeError";
}

/** A card as the provider describes it after a setup: its references and what may be shown. */
export type ProviderCard = {
  /** The provider's payment method id. */
  paymentMethodReference: string;
  /** The provider's customer the payment method is attached to, when the provider has customers. */
  customerReference: string | null;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
};

export type CardSetupRequest = {
  /** The panel's key for this setup: asking twice with it returns the same hosted page. */
  setupKey: string;
  /** The panel's account the card is saved for, kept by the provider and checked on return. */
  accountId: string;
  currency: string;
  /** The account's customer at the provider, when a card was saved before. */
  customerReference: string | null;
  /** Where the provider sends the browser back; it adds `setup=<its reference>`. */
  returnUrl: string;
  /** Where a provider whose page has its own Cancel sends the browser back (no setup to look up). */
  cancelUrl: string;
  /** The account's card version when the setup starts, kept by the provider and returned with the setup. */
  cardVersion: number;
};

/** What the provider says about a card setup (a zero-amount verification on its hosted page). */
export type CardSetupOutcome = {
  providerReference: string;
  accountId: string;
  state: "open" | "succeeded" | "cancelled";
  /** Present once the setup succeeded. */
  card: ProviderCard | null;
  /** The card version the setup was started at; null when the provider did not keep one. */
  cardVersion: number | null;
};

export type SavedCardChargeRequest = CheckoutRequest & { card: Pick<ProviderCard, "paymentMethodReference" | "customerReference"> };

/**
 * An off-session charge of a saved card: settled (or refused) at once, or the provider wants
 * the cardholder to authenticate (3-D Secure) on its hosted page first.
 */
export type SavedCardCharge =
  | { kind: "answered"; outcome: ProviderOutcome }
  | { kind: "needs_authentication"; providerReference: string; redirectUrl: string };

export interface PaymentProvider {
  readonly name: ProviderName;
  createCheckout(request: CheckoutRequest): Promise<Checkout>;
  retrieve(providerReference: string): Promise<ProviderOutcome | null>;
  /** Where the browser continues an open checkout. */
  resumeUrl(providerReference: string): string;
  /** Verifies signature and freshness; throws WebhookVerificationError. */
  verifyWebhook(rawBody: string, headers: Headers): Promise<ProviderEvent>;
  /** A hosted page where the cardholder saves a card (keyed by setupKey). */
  createCardSetup(request: CardSetupRequest): Promise<Checkout>;
  retrieveCardSetup(providerReference: string): Promise<CardSetupOutcome | null>;
  /** Detaches a saved card from the customer: it can no longer be charged. An unknown card is no error. */
  detachCard(paymentMethodReference: string): Promise<void>;
  /** Charges a saved card without the cardholder, keyed by the payment's id: a retry never charges twice. */
  chargeSavedCard(request: SavedCardChargeRequest): Promise<SavedCardCharge>;
  /**
   * The off-session charge made for the panel's payment id, found by the id the charge carries
   * (Stripe: a PaymentIntent search on metadata.paymentId): how an answer that was lost is
   * learnt without charging again. Null when the provider has no charge for it.
   */
  findOffSessionCharge(paymentId: string): Promise<ProviderOutcome | null>;
}
