/**
 * Payment providers' callbacks, callers without a session: the route has checked the signature;
 * a verified event moves only the payment it names, once (lib/payments/engine.ts).
 */
import "server-only";
import { getDb } from "@/db/client";
import { applyOutcome } from "@/lib/payments/engine";
import type { ProviderEvent, ProviderName } from "@/lib/payments/provider";

/** A verified provider event, applied once to its payment. */
export function applyProviderEvent(provider: ProviderName, event: ProviderEvent) {
  return applyOutcome(getDb(), provider, event);
}
