/**
 * The email outbox for the cron route, a caller without a session: the route has checked the
 * bearer secret; sending a batch changes nothing but the outbox's own rows.
 */
import "server-only";
import { databaseReady, getDb } from "@/db/client";
import { deliverEInvoices } from "@/lib/einvoice/delivery";
import { countDue, drainOutbox, type DrainOptions } from "@/lib/email/sender";

/** Sends one batch of the email outbox; with the number of messages still due after it. */
export async function sendOutboxBatch(options: DrainOptions) {
  await databaseReady();
  const db = getDb();
  const result = await drainOutbox(db, options);
  await deliverEInvoices(db, { limit: options.limit });
  return { result, due: await countDue(db) };
}
