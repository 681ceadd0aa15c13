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

/** What the provider says about a checkout. */
export type ProviderOutcome = {
  providerReference: string;
  state: "pending" | "requires_action" | "processing" | "succeeded" | "failed" | "cancelled";
  amountMinor: bigint;
  currency: string;
  failureReason?: string | null;
};

/** A verified callback: its id de-duplicates replays. */
export type ProviderEvent = ProviderOutcome & { eventId: string; type: string };

export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
}

export interface PaymentProvider {
  readonly name: ProviderName;
  createCheckout(request: CheckoutRequest): Promise<Checkout>;
  retrieve(providerReference: string): Promise<ProviderOutcome | null>;
  /** Where the browser continues an open checkout. */
  resumeUrl(providerReference: string): string;
  /** Verifies signature and freshness; throws WebhookVerificationError. */
  verifyWebhook(rawBody: string, headers: Headers): Promise<ProviderEvent>;
}
