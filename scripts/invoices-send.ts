/**
 * `npm run invoices:send -- --invoice N`: emails invoice N again — to the account's verified
 * Billing addresses of today, with the PDF attached — then sends it right away and prints what
 * the mail server answered for each recipient. Exits 1 when a recipient was not accepted.
 *
 * On the embedded database, stop the server first (the data directory is locked).
 */
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { emailDeliveries, emailOutbox, invoices } from "@/db/schema";
import { openCliDatabase } from "@/lib/email/cli";
import { describeSkip, queueInvoiceEmail } from "@/lib/email/outbox";
import { defaultWorkerId, drainOutbox } from "@/lib/email/sender";
import { closeMailer } from "@/lib/email/transport";
import { env } from "@/lib/env";
import { closePdfPool } from "@/lib/pdf/render";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { invoice: { type: "string" } } });
  const number = Number(values.invoice);
  if (!values.invoice || !/^\d+$/.test(values.invoice) || !Number.isSafeInteger(number)) {
    console.error("Usage: npm run invoices:send -- --invoice N   (N is the invoice number)");
    return 2;
  }
  const { db, close } = await openCliDatabase();
  try {
    const [invoice] = await db
      .select({ id: invoices.id, accountId: invoices.accountId })
      .from(invoices)
      .where(eq(invoices.number, number))
      .limit(1);
    if (!invoice) {
      console.error(`There is no invoice ${number}.`);
      return 1;
    }
    const queued = await db.transaction((tx) =>
      queueInvoiceEmail(tx, invoice.accountId, invoice.id, { dedupeKey: `invoice:${invoice.id}:resend:${crypto.randomUUID()}` }),
    );
    if (queued.status === "skipped") {
      console.error(`Invoice ${number} was not sent: ${describeSkip(queued.reason)}.`);
      return 1;
    }
    console.log(`Invoice ${number}: "${queued.subject}" queued (outbox #${queued.id}) for ${queued.recipients.join(", ")}.`);
    console.log(env().SMTP_URL ? "Sending over SMTP…" : `SMTP_URL is not set: writing the message to ${env().dataDir}/mail/.`);

    const result = await drainOutbox(db, { onlyIds: [queued.id], limit: 1, workerId: `${defaultWorkerId()}:invoices-send` });
    const deliveries = await db
      .select({ recipient: emailDeliveries.recipient, status: emailDeliveries.status, error: emailDeliveries.error, at: emailDeliveries.at })
      .from(emailDeliveries)
      .where(eq(emailDeliveries.outboxId, queued.id))
      .orderBy(emailDeliveries.id);
    for (const d of deliveries) {
      console.log(`  ${d.recipient.padEnd(36)} ${d.status === "accepted" ? "accepted" : "FAILED  "}  ${d.at.toISOString()}${d.error ? `  ${d.error}` : ""}`);
    }
    if (result.retrying > 0) {
      const [row] = await db
        .select({ nextAttemptAt: emailOutbox.nextAttemptAt, lastError: emailOutbox.lastError })
        .from(emailOutbox)
        .where(eq(emailOutbox.id, queued.id));
      console.log(`Not sent yet (${row?.lastError ?? "unknown error"}); the outbox tries again at ${row?.nextAttemptAt.toISOString()}.`);
      return 1;
    }
    return deliveries.length > 0 && deliveries.every((d) => d.status === "accepted") ? 0 : 1;
  } finally {
    closeMailer();
    await closePdfPool().catch(() => {});
    await close().catch(() => {});
  }
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
