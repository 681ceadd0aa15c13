/**
 * The email outbox: a message is a row in `email_outbox`, written in the same transaction as the
 * change that causes it (a verification code, a billing move, an issued invoice), so an email
 * exists exactly when its cause was committed. lib/email/sender.ts delivers the rows.
 */
import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accounts, contactEmails, emailKind, emailOutbox, invoices } from "@/db/schema";
import { accountToday } from "@/lib/dates";
import { outstandingMinorSql } from "@/lib/invoices/balance";
import { getInvoiceDetail } from "@/lib/invoices/detail";
import { providerDetails } from "@/lib/provider";
import { invoiceEmail, invoiceUrl } from "./templates";

export type EmailKind = (typeof emailKind.enumValues)[number];

export type OutboxMessage = {
  accountId: string | null;
  kind: EmailKind;
  recipients: string[];
  subject: string;
  textBody: string;
  htmlBody?: string | null;
  /** When set, the sender attaches this invoice's PDF at send time. */
  invoiceId?: string | null;
  /** A second message with the same key is not queued (e.g. `invoice:<id>`, `reminder:<id>:due+7`). */
  dedupeKey?: string | null;
};

/** A deliberately plain check: the address goes to an SMTP envelope, so no spaces, brackets or commas. */
const ADDRESS = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/;

export class InvalidEmailMessageError extends Error {
  override readonly name = "InvalidEmailMessageError";
}

/** Trims, drops duplicates (case-insensitively) and refuses anything that is not a plain address. */
export function normalizeRecipients(recipients: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of recipients) {
    const r = raw.trim();
    if (!ADDRESS.test(r)) throw new InvalidEmailMessageError(`Not an email address: ${JSON.stringify(raw)}`);
    const key = r.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

/** A message checked and made into its outbox row (pending, due now by the database's clock). */
function outboxRow(msg: OutboxMessage) {
  const recipients = normalizeRecipients(msg.recipients);
  if (recipients.length === 0) throw new InvalidEmailMessageError("An email needs at least one recipient.");
  if (/[\r\n]/.test(msg.subject)) throw new InvalidEmailMessageError("An email subject is one line.");
  if (msg.subject.trim() === "") throw new InvalidEmailMessageError("An email needs a subject.");
  return {
    accountId: msg.accountId,
    kind: msg.kind,
    recipients,
    subject: msg.subject,
    textBody: msg.textBody,
    htmlBody: msg.htmlBody ?? null,
    invoiceId: msg.invoiceId ?? null,
    dedupeKey: msg.dedupeKey ?? null,
    status: "pending" as const,
    // The database's clock decides when a message is due, on every server alike.
    nextAttemptAt: sql`now()`,
  };
}

/**
 * Queues one email. Call it with the transaction of the change that causes the email. Returns
 * the new row's id, or null when a message with the same dedupe key is already queued or sent.
 */
export async function enqueueEmail(tx: Executor, msg: OutboxMessage): Promise<{ id: bigint } | null> {
  const inserted = await tx
    .insert(emailOutbox)
    .values(outboxRow(msg))
    .onConflictDoNothing({ target: emailOutbox.dedupeKey })
    .returning({ id: emailOutbox.id });
  return inserted[0] ?? null;
}

export type InvoiceEmailSkipReason = "no_billing_address" | "email_turned_off" | "duplicate";

export type QueueInvoiceEmailResult =
  | { status: "queued"; id: bigint; recipients: string[]; subject: string }
  | { status: "skipped"; reason: InvoiceEmailSkipReason; number: number };

const SKIP_REASON_TEXT: Record<InvoiceEmailSkipReason, string> = {
  no_billing_address: "the account has no verified Billing address",
  email_turned_off: "the account does not receive invoices by email",
  duplicate: "it is already queued or sent (same dedupe key)",
};

export function describeSkip(reason: InvoiceEmailSkipReason): string {
  return SKIP_REASON_TEXT[reason];
}

/** The account's verified Billing addresses, in a stable order: who the invoice email goes to. */
export async function billingRecipients(db: Executor, accountId: string): Promise<string[]> {
  const found = await db
    .select({ email: contactEmails.email })
    .from(contactEmails)
    .where(and(eq(contactEmails.accountId, accountId), eq(contactEmails.isBilling, true), isNotNull(contactEmails.verifiedAt)))
    .orderBy(asc(contactEmails.email));
  return found.map((r) => r.email);
}

/**
 * Queues the email for an issued invoice (or credit note), with its PDF attached at send time:
 * to every verified Billing address of the account at this moment and to no one else, in the
 * account's language. The default dedupe key `invoice:<id>` makes a repeated call (a resumed
 * billing run) queue nothing; pass another key to send the invoice again.
 */
export async function queueInvoiceEmail(
  tx: Executor,
  accountId: string,
  invoiceId: string,
  opts: { dedupeKey?: string } = {},
): Promise<QueueInvoiceEmailResult> {
  const [account] = await tx
    .select({
      name: accounts.name,
      language: accounts.language,
      timeZone: accounts.timeZone,
      receiveInvoicesByEmail: accounts.receiveInvoicesByEmail,
    })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .limit(1);
  if (!account) throw new Error(`enqueueInvoiceEmail: no account ${accountId}`);
  const [invoice] = await tx
    .select({ number: invoices.number })
    .from(invoices)
    .where(and(eq(invoices.id, invoiceId), eq(invoices.accountId, accountId)))
    .limit(1);
  if (!invoice) throw new Error(`enqueueInvoiceEmail: no invoice ${invoiceId} in account ${accountId}`);

  if (!account.receiveInvoicesByEmail) return { status: "skipped", reason: "email_turned_off", number: invoice.number };
  const recipients = await billingRecipients(tx, accountId);
  if (recipients.length === 0) return { status: "skipped", reason: "no_billing_address", number: invoice.number };

  const detail = await getInvoiceDetail(tx, accountId, invoice.number, accountToday(account.timeZone));
  if (!detail) throw new Error(`enqueueInvoiceEmail: invoice ${invoice.number} vanished`);
  const provider = providerDetails();
  const content = invoiceEmail({
    language: account.language,
    type: detail.type,
    number: detail.number,
    customerName: detail.customer.name,
    accountName: account.name,
    providerName: provider.name,
    periodStart: detail.periodStart,
    periodEnd: detail.periodEnd,
    invoiceDate: detail.invoiceDate,
    dueDate: detail.dueDate,
    currency: detail.currency,
    totalMinor: detail.totals.totalMinor,
    outstandingMinor: detail.outstandingMinor,
    paymentReference: detail.paymentReference,
    iban: provider.iban,
    bic: provider.bic,
    url: invoiceUrl(detail.number),
  });
  const queued = await enqueueEmail(tx, {
    accountId,
    kind: "invoice",
    recipients,
    ...content,
    invoiceId,
    dedupeKey: opts.dedupeKey ?? `invoice:${invoiceId}`,
  });
  if (!queued) return { status: "skipped", reason: "duplicate", number: invoice.number };
  return { status: "queued", id: queued.id, recipients, subject: content.subject };
}

/**
 * `queueInvoiceEmail` for callers that only need the row: null (and a log line saying why) when
 * nothing was queued — no verified Billing address, invoices by email turned off, or a duplicate.
 */
export async function enqueueInvoiceEmail(
  tx: Executor,
  accountId: string,
  invoiceId: string,
  opts: { dedupeKey?: string } = {},
): Promise<{ id: bigint; recipients: string[] } | null> {
  const result = await queueInvoiceEmail(tx, accountId, invoiceId, opts);
  if (result.status === "skipped") {
    console.info(`mail: invoice ${result.number} not queued: ${describeSkip(result.reason)}`);
    return null;
  }
  return { id: result.id, recipients: result.recipients };
}

// ─── Set-based queueing: many messages in one statement (billing runs, reminders) ─────────

/**
 * `enqueueEmail` for many messages at once, with the same checks and the same dedupe rule, in
 * one INSERT. Returns the dedupe keys (or, for messages without one, null) of the rows queued,
 * in no particular order; a message whose key is already queued or sent is left out.
 */
export async function enqueueEmails(tx: Executor, msgs: readonly OutboxMessage[]): Promise<{ id: bigint; dedupeKey: string | null }[]> {
  if (msgs.length === 0) return [];
  const values = msgs.map(outboxRow);
  const out: { id: bigint; dedupeKey: string | null }[] = [];
  // Stay far below the 65,535 bind parameters of one statement (11 per row).
  for (let i = 0; i < values.length; i += 2000) {
    const inserted = await tx
      .insert(emailOutbox)
      .values(values.slice(i, i + 2000))
      .onConflictDoNothing({ target: emailOutbox.dedupeKey })
      .returning({ id: emailOutbox.id, dedupeKey: emailOutbox.dedupeKey });
    out.push(...inserted);
  }
  return out;
}

/** `billingRecipients` of many accounts in one query: the same rule, the same order. */
export async function billingRecipientsByAccount(db: Executor, accountIds: readonly string[]): Promise<Map<string, string[]>> {
  const byAccount = new Map<string, string[]>();
  if (accountIds.length === 0) return byAccount;
  const found = await db
    .select({ accountId: contactEmails.accountId, email: contactEmails.email })
    .from(contactEmails)
    .where(and(inArray(contactEmails.accountId, [...new Set(accountIds)]), eq(contactEmails.isBilling, true), isNotNull(contactEmails.verifiedAt)))
    .orderBy(asc(contactEmails.accountId), asc(contactEmails.email));
  for (const r of found) {
    const list = byAccount.get(r.accountId);
    if (list) list.push(r.email);
    else byAccount.set(r.accountId, [r.email]);
  }
  return byAccount;
}

/**
 * `queueInvoiceEmail` for many issued invoices (or credit notes) in a handful of queries, for a
 * billing run that issues thousands in a transaction: the same recipients (every verified
 * Billing address of the account, no one else), the same skip reasons, the same text in the
 * account's language, the same default dedupe key `invoice:<id>`, the PDF attached at send time.
 */
export async function queueInvoiceEmails(tx: Executor, invoiceIds: readonly string[]): Promise<Map<string, QueueInvoiceEmailResult>> {
  const results = new Map<string, QueueInvoiceEmailResult>();
  const ids = [...new Set(invoiceIds)];
  if (ids.length === 0) return results;
  const found = await tx
    .select({
      id: invoices.id,
      accountId: invoices.accountId,
      number: invoices.number,
      type: invoices.type,
      periodStart: invoices.periodStart,
      periodEnd: invoices.periodEnd,
      invoiceDate: invoices.invoiceDate,
      dueDate: invoices.dueDate,
      currency: invoices.currency,
      totalMinor: invoices.totalMinor,
      customerName: sql<string>`${invoices.customer}->>'name'`,
      paymentReference: invoices.paymentReference,
      outstanding: sql<string>`${outstandingMinorSql}`,
      accountName: accounts.name,
      language: accounts.language,
      receiveInvoicesByEmail: accounts.receiveInvoicesByEmail,
    })
    .from(invoices)
    .innerJoin(accounts, eq(accounts.id, invoices.accountId))
    .where(inArray(invoices.id, ids));
  if (found.length !== ids.length) {
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    throw new Error(`queueInvoiceEmails: no invoice ${missing.join(", ")}`);
  }
  const recipientsOf = await billingRecipientsByAccount(
    tx,
    found.filter((f) => f.receiveInvoicesByEmail).map((f) => f.accountId),
  );
  const provider = providerDetails();
  const messages: (OutboxMessage & { dedupeKey: string })[] = [];
  const pending = new Map<string, { id: string; recipients: string[]; subject: string; number: number }>();
  for (const f of found) {
    if (!f.receiveInvoicesByEmail) {
      results.set(f.id, { status: "skipped", reason: "email_turned_off", number: f.number });
      continue;
    }
    const recipients = recipientsOf.get(f.accountId) ?? [];
    if (recipients.length === 0) {
      results.set(f.id, { status: "skipped", reason: "no_billing_address", number: f.number });
      continue;
    }
    const content = invoiceEmail({
      language: f.language,
      type: f.type,
      number: f.number,
      customerName: f.customerName,
      accountName: f.accountName,
      providerName: provider.name,
      periodStart: f.periodStart,
      periodEnd: f.periodEnd,
      invoiceDate: f.invoiceDate,
      dueDate: f.dueDate,
      currency: f.currency,
      totalMinor: f.totalMinor,
      outstandingMinor: BigInt(f.outstanding),
      paymentReference: f.paymentReference,
      iban: provider.iban,
      bic: provider.bic,
      url: invoiceUrl(f.number),
    });
    const dedupeKey = `invoice:${f.id}`;
    messages.push({ accountId: f.accountId, kind: "invoice", recipients, ...content, invoiceId: f.id, dedupeKey });
    pending.set(dedupeKey, { id: f.id, recipients: normalizeRecipients(recipients), subject: content.subject, number: f.number });
  }
  const queued = await enqueueEmails(tx, messages);
  for (const q of queued) {
    const p = pending.get(q.dedupeKey!)!;
    results.set(p.id, { status: "queued", id: q.id, recipients: p.recipients, subject: p.subject });
    pending.delete(q.dedupeKey!);
  }
  for (const p of pending.values()) results.set(p.id, { status: "skipped", reason: "duplicate", number: p.number });
  return results;
}
