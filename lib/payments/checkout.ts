/**
 * Starting a card payment from the Pay dialog: the attempt is recorded (beginCardPayment), then
 * the provider's hosted page is created for it. A retried submission gets its first result; an
 * attempt whose checkout was never created (the server stopped in between) gets it now.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { payments } from "@/db/schema";
import { attachCheckout, beginCardPayment, claimChannel, failOpenPayment, FINAL_STATES, OPEN_STATES, paymentInvoiceNumbers, reconcilePayment, strandedPayment } from "./engine";
import type { PaymentProvider } from "./provider";
import { getStripeProvider } from "./stripe";
import { PAYMENT_INTENT_ID } from "./stripe-cards";

/** What the provider shows the cardholder the payment is for. */
export function paymentDescription(numbers: number[]): string {
  return numbers.length === 1 ? `Invoice ${numbers[0]}` : `${numbers.length} invoices: ${numbers.join(", ")}`;
}

/** Where the panel shows a payment's result: the invoice's page for one invoice, the list for several. */
export function paymentResultPath(paymentId: string, numbers: number[]): string {
  return numbers.length === 1 ? `/invoices/${numbers[0]}?payment=${paymentId}` : `/invoices?payment=${paymentId}`;
}

export type CardCheckoutRequest = {
  accountId: string;
  userId: string;
  numbers: number[];
  /** What the person saw and agreed to pay: must equal what is outstanding now. */
  expectedAmountMinor: bigint;
  idempotencyKey: string;
  /** The panel's own origin (APP_URL), never a request's Host: the provider sends the payer back there. */
  returnOrigin: string;
};

export type CardCheckoutOutcome =
  /** The provider's hosted page, to open with a full navigation. */
  | { kind: "checkout"; checkoutUrl: string }
  /** A retried submission whose payment is finished or never reached the provider: its result page. */
  | { kind: "result"; resultPath: string }
  /** A payment already in progress for one of the invoices, and where to continue it. */
  | { kind: "in_progress"; message: string; inProgressUrl: string }
  | { kind: "refused"; message: string };

type CheckoutAttempt = { paymentId: string; amountMinor: bigint; currency: string; numbers: number[] };

/**
 * The provider's hosted page for a recorded attempt; on failure the attempt is failed, nothing
 * charged. An attempt already sent off-session is never given a page: it would be a second charge.
 */
async function openCheckout(db: Database, provider: PaymentProvider, request: CardCheckoutRequest, attempt: CheckoutAttempt): Promise<CardCheckoutOutcome> {
  const { paymentId, numbers } = attempt;
  if (!(await claimChannel(db, paymentId, "hosted"))) return inProgress(paymentId, null, numbers, provider);
  try {
    const checkout = await provider.createCheckout({
      paymentId,
      amountMinor: attempt.amountMinor,
      currency: attempt.currency,
      description: paymentDescription(numbers),
      returnUrl: new URL(paymentResultPath(paymentId, numbers), request.returnOrigin).toString(),
    });
    await attachCheckout(db, paymentId, checkout.providerReference);
    return { kind: "checkout", checkoutUrl: checkout.redirectUrl };
  } catch (err) {
    await failOpenPayment(db, paymentId, "The payment provider could not be reached.", request.userId);
    console.error("Cumulus: creating a checkout failed:", err);
    return { kind: "refused", message: "The payment provider could not be reached. Nothing was charged; please try again." };
  }
}

/**
 * Where to continue a payment in progress: the provider's page while it has one (a checkout; an
 * off-session charge's reference, a PaymentIntent, has none), else its result page.
 */
function continueUrl(provider: PaymentProvider, paymentId: string, providerReference: string | null, numbers: number[]): string {
  return providerReference && !PAYMENT_INTENT_ID.test(providerReference) ? provider.resumeUrl(providerReference) : paymentResultPath(paymentId, numbers);
}

function inProgress(paymentId: string, providerReference: string | null, numbers: number[], provider: PaymentProvider): CardCheckoutOutcome {
  return { kind: "in_progress", message: "A payment is already in progress for this invoice.", inProgressUrl: continueUrl(provider, paymentId, providerReference, numbers) };
}

/** Records a card payment for the chosen invoices and answers where the payer goes next. */
export async function startCardCheckout(db: Database, provider: PaymentProvider, request: CardCheckoutRequest): Promise<CardCheckoutOutcome> {
  const result = await beginCardPayment(db, {
    accountId: request.accountId,
    userId: request.userId,
    numbers: request.numbers,
    expectedAmountMinor: request.expectedAmountMinor,
    idempotencyKey: request.idempotencyKey,
    provider: provider.name,
  });
  switch (result.kind) {
    case "refused":
      return { kind: "refused", message: result.message };
    case "in_progress": {
      // Its checkout was never created (the server stopped in between): create it now. Providers
      // key checkouts by our payment id, so this can never make a second one.
      const stranded = result.providerReference ? null : await strandedPayment(db, request.accountId, result.paymentId);
      if (stranded) return openCheckout(db, provider, request, { paymentId: stranded.id, amountMinor: stranded.amountMinor, currency: stranded.currency, numbers: stranded.numbers });
      return inProgress(result.paymentId, result.providerReference, request.numbers, provider);
    }
    case "existing":
      // A retried submission: the first result, never a second payment.
      if (result.providerReference && !PAYMENT_INTENT_ID.test(result.providerReference) && !(FINAL_STATES as readonly string[]).includes(result.state)) {
        return { kind: "checkout", checkoutUrl: provider.resumeUrl(result.providerReference) };
      }
      return { kind: "result", resultPath: paymentResultPath(result.paymentId, request.numbers) };
    case "created":
      return openCheckout(db, provider, request, { paymentId: result.paymentId, amountMinor: result.amountMinor, currency: result.currency, numbers: request.numbers });
  }
}

/**
 * Where a payer continuing a Stripe checkout goes: its hosted page while it is open; otherwise
 * (reconciled first, so a lost callback does not leave it open) the payment's result page. Null
 * when the account has no Stripe payment with this session.
 */
export async function stripeResumeLocation(db: Database, accountId: string, sessionId: string): Promise<string | null> {
  const [payment] = await db
    .select({ id: payments.id, state: payments.state })
    .from(payments)
    .where(and(eq(payments.accountId, accountId), eq(payments.provider, "stripe"), eq(payments.providerReference, sessionId)))
    .limit(1);
  if (!payment) return null;
  const provider = getStripeProvider();
  if ((OPEN_STATES as readonly string[]).includes(payment.state)) {
    const url = await provider.openCheckoutUrl(sessionId);
    if (url) return url;
    await reconcilePayment(db, provider, payment.id);
  }
  return paymentResultPath(payment.id, await paymentInvoiceNumbers(db, payment.id));
}
