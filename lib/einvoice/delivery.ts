/**
 * Peppol delivery of e-invoices. A document is queued in the transaction that issues it (as its
 * email is, lib/email/outbox.ts), for accounts that receive invoices by Peppol, to the
 * participant id they had then. The outbox sender delivers the queue: to the access point at
 * PEPPOL_ACCESS_POINT_URL, or, until one is configured, as a file in
 * $CUMULUS_DATA_DIR/einvoice/ (as email goes to .eml files without SMTP_URL).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import { rows, type Database, type Executor } from "@/db/client";
import { einvoiceOutbox, invoices } from "@/db/schema";
import { accountToday } from "@/lib/dates";
import { backoffMs, LEASE_MS, MAX_ATTEMPTS, outboxClaim, outboxRowDue } from "@/lib/email/sender";
import { env } from "@/lib/env";
import { isPermanentRefusal, retryAfterMs } from "./answer";
import { eInvoiceFor, sellerParticipantId } from "./document";
import { formatParticipantId } from "./participant";

/** Queues the e-invoice of each issued document whose account receives invoices by Peppol; a document is queued once. */
export async function queueEInvoices(tx: Executor, invoiceIds: readonly string[]): Promise<number> {
  if (invoiceIds.length === 0) return 0;
  const queued = await rows<{ id: string }>(
    tx,
    sql`insert into einvoice_outbox (account_id, invoice_id, participant_id)
        select i.account_id, i.id, a.peppol_participant_id
        from invoices i join accounts a on a.id = i.account_id
        where i.id in (${sql.join([...new Set(invoiceIds)].map((id) => sql`${id}::uuid`), sql`, `)})
          and a.receive_invoices_by_peppol and a.peppol_participant_id is not null
        on conflict (invoice_id) do nothing
        returning id::text as id`,
  );
  return queued.length;
}

/** `lockedUntil` is the claim's lease as the database wrote it: with `attempts`, what a record must still find. */
type Claimed = { id: bigint; attempts: number; lockedUntil: string; accountId: string; number: number; participantId: string; language: "en" | "sv"; timeZone: string };

async function claimOne(db: Database): Promise<Claimed | null> {
  const [row] = await rows<Record<string, string>>(
    db,
    sql`
      with due as (
        select id from einvoice_outbox
        where ${outboxRowDue}
        order by next_attempt_at, id
        limit 1
        for update skip locked
      )
      update einvoice_outbox o
      set ${outboxClaim}
      from due, invoices i, accounts a
      where o.id = due.id and i.id = o.invoice_id and a.id = o.account_id
      returning o.id::text as id, o.attempts::text as attempts, o.locked_until::text as locked_until, o.account_id::text as account_id, i.number::text as number,
                o.participant_id, a.language::text as language, a.time_zone`,
  );
  if (!row) return null;
  return {
    id: BigInt(row.id!),
    attempts: Number(row.attempts),
    lockedUntil: row.locked_until!,
    accountId: row.account_id!,
    number: Number(row.number),
    participantId: row.participant_id!,
    language: row.language as Claimed["language"],
    timeZone: row.time_zone!,
  };
}

/** A refusal that will not change on a retry (the access point answered a 4xx that is not "not now"). */
class PermanentDeliveryError extends Error {}

/** A "not now" (408, 409, 425, 429 or 5xx), with the wait the access point asked for, if any. */
class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly waitMs: number | null,
  ) {
    super(message);
  }
}

/** Hands one document over; returns where it went (the access point's answer, or the file). */
async function handOver(item: Claimed, xml: string, fileName: string): Promise<string> {
  const e = env();
  if (!e.PEPPOL_ACCESS_POINT_URL) {
    const dir = path.join(e.dataDir, "einvoice");
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, `${item.participantId.replace(/[^0-9A-Za-z]+/g, "_")}-${item.id}-${fileName}`);
    await fs.writeFile(file, xml);
    console.info(`einvoice: invoice ${item.number} for ${item.participantId} written to ${file} (PEPPOL_ACCESS_POINT_URL is not set)`);
    return file;
  }
  const seller = sellerParticipantId();
  const response = await fetch(e.PEPPOL_ACCESS_POINT_URL, {
    method: "POST",
    headers: {
      "content-type": "application/xml; charset=utf-8",
      ...(e.PEPPOL_ACCESS_POINT_TOKEN ? { authorization: `Bearer ${e.PEPPOL_ACCESS_POINT_TOKEN}` } : {}),
      "x-peppol-receiver": item.participantId,
      ...(seller ? { "x-peppol-sender": formatParticipantId(seller) } : {}),
      // The access point recognises a repeated hand-over (a retry after a lost answer) by this key.
      "idempotency-key": `einvoice-${item.id}`,
    },
    body: xml,
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.text()).slice(0, 500);
  if (isPermanentRefusal(response.status)) throw new PermanentDeliveryError(`access point refused it: ${response.status} ${body}`);
  if (!response.ok) throw new RetryLaterError(`access point answered ${response.status} ${body}`, retryAfterMs(response.headers.get("retry-after"), Date.now()));
  return response.headers.get("location") ?? (body.trim() || e.PEPPOL_ACCESS_POINT_URL);
}

/**
 * Records the outcome, only while this sender still holds the row: a sender that outlived its
 * lease must not overwrite the claim of the one that took the row over (which hands the document
 * over again under the same idempotency key).
 */
async function record(db: Database, item: Claimed, outcome: { deliveredTo: string } | { error: Error }) {
  const held = sql`id = ${item.id} and status = 'sending' and attempts = ${item.attempts} and locked_until = ${item.lockedUntil}::timestamptz`;
  let updated: { id: string }[];
  if ("deliveredTo" in outcome) {
    updated = await rows(db, sql`update einvoice_outbox set status = 'sent', sent_at = now(), locked_until = null, delivered_to = ${outcome.deliveredTo}, last_error = null where ${held} returning id::text as id`);
  } else {
    const final = outcome.error instanceof PermanentDeliveryError || item.attempts >= MAX_ATTEMPTS;
    const waitMs = (outcome.error instanceof RetryLaterError ? outcome.error.waitMs : null) ?? backoffMs(item.attempts);
    updated = await rows(
      db,
      sql`update einvoice_outbox set status = ${final ? "failed" : "pending"}, locked_until = null, last_error = ${outcome.error.message},
          next_attempt_at = now() + ${sql.raw(`interval '${Math.ceil(waitMs / 1000)} seconds'`)} where ${held} returning id::text as id`,
    );
    console.warn(`einvoice: invoice ${item.number} for ${item.participantId}, attempt ${item.attempts}: ${final ? "failed for good" : "will retry"}: ${outcome.error.message}`);
  }
  if (updated.length === 0) {
    console.warn(`einvoice: lost the claim on outbox #${item.id} (took longer than the ${LEASE_MS / 1000} s lease); the sender holding it now records the outcome`);
  }
}

export type EInvoiceDrainResult = { claimed: number; sent: number; failed: number };

/**
 * Delivers due e-invoices, one at a time, until none is due, `limit` is reached or `timeBudgetMs`
 * is spent (no new claim after it: a function killed mid-delivery leaves its row leased).
 */
export async function deliverEInvoices(db: Database, opts: { limit?: number; timeBudgetMs?: number } = {}): Promise<EInvoiceDrainResult> {
  const result: EInvoiceDrainResult = { claimed: 0, sent: 0, failed: 0 };
  const started = Date.now();
  for (let left = opts.limit ?? 20; left > 0; left--) {
    if (opts.timeBudgetMs !== undefined && Date.now() - started >= opts.timeBudgetMs) break;
    const item = await claimOne(db);
    if (!item) break;
    result.claimed++;
    try {
      const ubl = await eInvoiceFor(db, item.accountId, item.number, accountToday(item.timeZone), item.language, item.participantId);
      if (!ubl) throw new PermanentDeliveryError(`invoice ${item.number} is gone`);
      await record(db, item, { deliveredTo: await handOver(item, ubl.xml, ubl.fileName) });
      result.sent++;
    } catch (err) {
      await record(db, item, { error: err instanceof Error ? err : new Error(String(err)) });
      result.failed++;
    }
  }
  return result;
}

/** The account's e-invoice deliveries of these documents: the invoice page's delivery log, and tests. */
export async function eInvoiceDeliveries(db: Executor, accountId: string, invoiceIds: readonly string[]) {
  if (invoiceIds.length === 0) return [];
  return db
    .select({
      invoiceId: einvoiceOutbox.invoiceId,
      participantId: einvoiceOutbox.participantId,
      status: einvoiceOutbox.status,
      deliveredTo: einvoiceOutbox.deliveredTo,
      lastError: einvoiceOutbox.lastError,
      attempts: einvoiceOutbox.attempts,
      sentAt: einvoiceOutbox.sentAt,
    })
    .from(einvoiceOutbox)
    .where(and(eq(einvoiceOutbox.accountId, accountId), inArray(einvoiceOutbox.invoiceId, [...invoiceIds])));
}

/** The Peppol delivery of the account's document `number`, or null when it is not sent by Peppol. */
export async function eInvoiceDeliveryOf(db: Executor, accountId: string, number: number) {
  const [found] = await db
    .select({ participantId: einvoiceOutbox.participantId, status: einvoiceOutbox.status, lastError: einvoiceOutbox.lastError, sentAt: einvoiceOutbox.sentAt })
    .from(einvoiceOutbox)
    .innerJoin(invoices, eq(invoices.id, einvoiceOutbox.invoiceId))
    .where(and(eq(einvoiceOutbox.accountId, accountId), eq(invoices.accountId, accountId), eq(invoices.number, number)))
    .limit(1);
  return found ?? null;
}
