/**
 * The sandbox provider's callback: verified (HMAC-SHA256 over "timestamp.rawBody", at most
 * 5 minutes old) before anything is read, de-duplicated by event id, applied once. It exists
 * only while the sandbox is the configured provider; otherwise 404.
 */
import { applyProviderEvent } from "@/lib/dal/webhooks";
import { sandboxEnabled } from "@/lib/payments";
import { WebhookVerificationError } from "@/lib/payments/provider";
import { sandboxProvider } from "@/lib/payments/sandbox";

const MAX_BODY_BYTES = 64 * 1024;

export async function POST(request: Request) {
  if (!sandboxEnabled()) return Response.json({ error: "not found" }, { status: 404 });
  const raw = await request.text();
  if (raw.length > MAX_BODY_BYTES) return Response.json({ error: "too large" }, { status: 413 });
  let event;
  try {
    event = await sandboxProvider.verifyWebhook(raw, request.headers);
  } catch (err) {
    if (err instanceof WebhookVerificationError) return Response.json({ error: err.message }, { status: 400 });
    throw err;
  }
  const result = await applyProviderEvent("sandbox", event);
  // A mismatched amount is refused (and recorded); everything else is acknowledged so the provider stops retrying.
  if (result === "mismatch") return Response.json({ result }, { status: 422 });
  return Response.json({ result });
}
