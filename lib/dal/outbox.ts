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
  const started = Date.now();
  const result = await drainOutbox(db, options);
  // E-invoices get what the emails left of the budget, so the function ends before its host kills it.
  const timeBudgetMs = options.timeBudgetMs === undefined ? undefined : Math.max(0, options.timeBudgetMs - (Date.now() - started));
  await deliverEInvoices(db, { limit: options.limit, timeBudgetMs });
  return { result, due: await countDue(db) };
}
