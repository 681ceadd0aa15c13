/**
 * Writes for the callers without a session: a payment provider's callback and the scheduler.
 * The route has checked the signature or the bearer secret; what a verified caller may change
 * is decided by the domain code (a callback moves only the payment it names, once).
 */
import "server-only";
import { databaseReady, getDb } from "@/db/client";
import { countDue, drainOutbox, type DrainOptions } from "@/lib/email/sender";
import { applyOutcome } from "@/lib/payments/engine";
import type { ProviderEvent, ProviderName } from "@/lib/payments/provider";

/** A verified provider event, applied once to its payment. */
export function applyProviderEvent(provider: ProviderName, event: ProviderEvent) {
  return applyOutcome(getDb(), provider, event);
}

/** Sends one batch of the email outbox; with the number of messages still due after it. */
export async function sendOutboxBatch(options: DrainOptions) {
  await databaseReady();
  const db = getDb();
  const result = await drainOutbox(db, options);
  return { result, due: await countDue(db) };
}
