/**
 * Stripe's callback (the endpoint configured in Stripe's dashboard for checkout.session.*
 * events): verified by the `stripe` package (Stripe-Signature, at most 5 minutes old) before
 * anything is read, de-duplicated by event id, applied once.
 */
import { applyProviderEvent } from "@/lib/dal/webhooks";
import { WebhookVerificationError } from "@/lib/payments/provider";
import { getStripeProvider, StripeConfigError, type ParsedStripeWebhook } from "@/lib/payments/stripe";

// Checkout session events are a few kilobytes; anything far larger is not Stripe's.
const MAX_BODY_BYTES = 256 * 1024;

export async function POST(request: Request) {
  const raw = await request.text();
  if (raw.length > MAX_BODY_BYTES) return Response.json({ error: "too large" }, { status: 413 });
  let parsed: ParsedStripeWebhook;
  try {
    parsed = await getStripeProvider().parseWebhook(raw, request.headers);
  } catch (err) {
    if (err instanceof WebhookVerificationError) return Response.json({ error: err.message }, { status: 400 });
    // Not configured for Stripe: Stripe retries later, nothing is read.
    if (err instanceof StripeConfigError) return Response.json({ error: "stripe is not configured" }, { status: 503 });
    throw err;
  }
  // A genuine event the panel does not act on: acknowledged so Stripe stops sending it.
  if (parsed.kind === "ignored") return Response.json({ result: "ignored" });
  const result = await applyProviderEvent("stripe", parsed.event);
  // A mismatched amount is refused (and recorded); everything else is acknowledged so Stripe stops retrying.
  if (result === "mismatch") return Response.json({ result }, { status: 422 });
  return Response.json({ result });
}
