/**
 * Delivers the outbox. Any number of senders may run at once (each server process, `npm run
 * worker`, the cron route): a sender claims one due message at a time with
 * `FOR UPDATE SKIP LOCKED` in a one-statement transaction that marks it `sending` with a
 * 2-minute lease and counts the attempt, sends it outside any transaction, then records the
 * outcome — guarded by the attempt number, so a sender whose lease ran out cannot overwrite
 * what another one did. A message is never claimed by two senders at the same time.
 *
 * Outcomes:
 * - every recipient accepted → `sent`;
 * - a recipient refused for good (5xx) → a `failed` delivery for it, the rest go on;
 * - refused for now (4xx) → the message stays `pending` for those recipients only, retried later;
 * - nothing sent (server down, timeout, PDF rendering failed) → `pending` again after
 *   1 min × 2^(attempt − 1); after the 8th attempt → `failed`, with a failed delivery per recipient.
 * `email_deliveries` holds the final answer per recipient (accepted or failed), with the invoice.
 *
 * The lease is the one way a message can go out twice: a sender that dies after the SMTP server
 * accepted the message but before it recorded that. SMTP timeouts keep a send far inside the lease.
 */
import os from "node:os";
import { and, eq, sql } from "drizzle-orm";
import { getDb, rows, type Database } from "@/db/client";
import { accounts, emailDeliveries, emailOutbox, invoices } from "@/db/schema";
import { processSlot } from "@/db/singleton";
import { accountToday } from "@/lib/dates";
import { env } from "@/lib/env";
import { getInvoiceDetail } from "@/lib/invoices/detail";
import { invoicePdf, pdfFileName } from "@/lib/invoices/pdf";
import { deliverEInvoices } from "@/lib/einvoice/delivery";
import { getMailer, MailSendError, smtpErrorText, type OutgoingAttachment, type RejectedRecipient } from "./transport";

export const MAX_ATTEMPTS = 8;
export const BACKOFF_BASE_MS = 60_000;
export const LEASE_MS = 2 * 60_000;

/** An outbox row a sender may claim: pending and due, or claimed by a sender whose lease ran out (email and e-invoice outboxes alike). */
export const outboxRowDue = sql.raw(`((status = 'pending' and next_attempt_at <= now()) or (status = 'sending' and locked_until <= now()))`);
/** The SET of a claim (the row aliased `o`): one attempt more, leased for LEASE_MS. */
export const outboxClaim = sql.raw(`status = 'sending', attempts = o.attempts + 1, locked_until = now() + interval '${LEASE_MS / 1000} seconds'`);

/** Wait before the next attempt after `attempts` failed ones: 1, 2, 4 … 64 minutes. */
export function backoffMs(attempts: number): number {
  return BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1);
}

export type DrainOptions = {
  /** At most this many messages in this call (default 50). */
  limit?: number;
  /** Names this sender in logs (default host:pid). */
  workerId?: string;
  /** Only these outbox rows (e.g. `npm run invoices:send`). */
  onlyIds?: bigint[];
  /** Stop claiming new messages after this long (ms), e.g. inside a serverless time limit. */
  timeBudgetMs?: number;
  /** Messages sent in parallel by this call (default 1). */
  concurrency?: number;
};

export type DrainResult = {
  /** Messages claimed (attempted). */
  claimed: number;
  sent: number;
  /** Scheduled for another attempt. */
  retrying: number;
  /** Given up (attempts exhausted, or every recipient refused for good). */
  failed: number;
  accepted: number;
  rejected: number;
  outboxIds: bigint[];
};

type Claimed = {
  id: bigint;
  attempts: number;
  accountId: string | null;
  kind: string;
  recipients: string[];
  subject: string;
  textBody: string;
  htmlBody: string | null;
  invoiceId: string | null;
};

/** Text arrays arrive as arrays from both drivers, but be strict about it. */
function textArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string") {
    const inner = value.replace(/^\{|\}$/g, "");
    return inner === "" ? [] : inner.split(",").map((s) => s.replace(/^"|"$/g, ""));
  }
  return [];
}

async function claimOne(db: Database, onlyIds?: bigint[]): Promise<Claimed | null> {
  const only = onlyIds ? sql`and id = any(${`{${onlyIds.map(String).join(",")}}`}::bigint[])` : sql``;
  const [row] = await rows<Record<string, unknown>>(
    db,
    sql`
      with due as (
        select id from email_outbox
        where ${outboxRowDue} ${only}
        order by next_attempt_at, id
        limit 1
        for update skip locked
      )
      update email_outbox o
      set ${outboxClaim}
      from due
      where o.id = due.id
      returning o.id::text as id, o.attempts, o.account_id::text as account_id, o.kind::text as kind,
                o.recipients, o.subject, o.text_body, o.html_body, o.invoice_id::text as invoice_id`,
  );
  if (!row) return null;
  return {
    id: BigInt(row.id as string),
    attempts: Number(row.attempts),
    accountId: (row.account_id as string | null) ?? null,
    kind: row.kind as string,
    recipients: textArray(row.recipients),
    subject: row.subject as string,
    textBody: row.text_body as string,
    htmlBody: (row.html_body as string | null) ?? null,
    invoiceId: (row.invoice_id as string | null) ?? null,
  };
}

/** The invoice's PDF in the account's current language, under its download name. */
async function invoiceAttachment(db: Database, invoiceId: string): Promise<OutgoingAttachment> {
  const [found] = await db
    .select({ accountId: invoices.accountId, number: invoices.number, language: accounts.language, timeZone: accounts.timeZone })
    .from(invoices)
    .innerJoin(accounts, eq(accounts.id, invoices.accountId))
    .where(eq(invoices.id, invoiceId))
    .limit(1);
  if (!found) throw new Error(`invoice ${invoiceId} not found`);
  const detail = await getInvoiceDetail(db, found.accountId, found.number, accountToday(found.timeZone));
  if (!detail) throw new Error(`invoice ${found.number} not found`);
  const pdf = await invoicePdf(db, detail, found.language);
  return { filename: pdfFileName(detail), content: Buffer.from(pdf.bytes), contentType: "application/pdf" };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

type Outcome =
  | { kind: "sent" | "retry" | "failed"; deliveries: Delivery[]; remaining: string[]; error: string | null };
type Delivery = { recipient: string; status: "accepted" | "failed"; messageId: string | null; error: string | null };

/** Sends one claimed message and decides what happens to it; never throws. */
async function attempt(db: Database, msg: Claimed): Promise<Outcome> {
  const lastAttempt = msg.attempts >= MAX_ATTEMPTS;
  const giveUpOrRetry = (error: string, recipients: string[], done: Delivery[]): Outcome =>
    lastAttempt
      ? {
          kind: done.some((d) => d.status === "accepted") ? "sent" : "failed",
          deliveries: [...done, ...recipients.map((r) => ({ recipient: r, status: "failed" as const, messageId: null, error: `Gave up after ${msg.attempts} attempts: ${error}` }))],
          remaining: recipients,
          error,
        }
      : { kind: "retry", deliveries: done, remaining: recipients, error };

  let attachments: OutgoingAttachment[] = [];
  try {
    if (msg.invoiceId) attachments = [await invoiceAttachment(db, msg.invoiceId)];
  } catch (err) {
    return giveUpOrRetry(`The invoice PDF could not be made: ${(err as Error).message}`, msg.recipients, []);
  }

  let messageId: string | null = null;
  let rejected: RejectedRecipient[] = [];
  try {
    const out = await getMailer().send({
      outboxId: msg.id,
      to: msg.recipients,
      subject: msg.subject,
      text: msg.textBody,
      html: msg.htmlBody,
      attachments,
    });
    messageId = out.messageId;
    rejected = out.rejected;
  } catch (err) {
    if (!(err instanceof MailSendError) || err.rejected.length === 0) return giveUpOrRetry(smtpErrorText(err), msg.recipients, []);
    rejected = err.rejected; // every recipient refused
  }

  const deliveries: Delivery[] = [];
  const deferred: RejectedRecipient[] = [];
  for (const r of msg.recipients) {
    const refused = rejected.find((x) => same(x.recipient, r));
    if (refused?.permanent) deliveries.push({ recipient: r, status: "failed", messageId: null, error: refused.error });
    else if (refused) deferred.push(refused);
    // Not refused: the server took the message for this recipient (it is in `accepted`).
    else deliveries.push({ recipient: r, status: "accepted", messageId, error: null });
  }
  if (deferred.length > 0) {
    return giveUpOrRetry(
      deferred.map((d) => `${d.recipient}: ${d.error}`).join("; "),
      deferred.map((d) => msg.recipients.find((r) => same(r, d.recipient)) ?? d.recipient),
      deliveries,
    );
  }
  const anyAccepted = deliveries.some((d) => d.status === "accepted");
  return {
    kind: anyAccepted ? "sent" : "failed",
    deliveries,
    remaining: [],
    error: anyAccepted ? null : deliveries.map((d) => `${d.recipient}: ${d.error}`).join("; "),
  };
}

/** Records the outcome, only if this sender still holds the message (same attempt number). */
async function record(db: Database, msg: Claimed, outcome: Outcome, workerId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const fence = and(eq(emailOutbox.id, msg.id), eq(emailOutbox.status, "sending"), eq(emailOutbox.attempts, msg.attempts));
    const set =
      outcome.kind === "retry"
        ? {
            status: "pending" as const,
            recipients: outcome.remaining,
            nextAttemptAt: sql`now() + ${sql.raw(`interval '${backoffMs(msg.attempts) / 1000} seconds'`)}`,
            lockedUntil: null,
            lastError: outcome.error,
          }
        : {
            status: outcome.kind,
            lockedUntil: null,
            lastError: outcome.error,
            sentAt: outcome.kind === "sent" ? sql`now()` : null,
          };
    const updated = await tx.update(emailOutbox).set(set).where(fence).returning({ id: emailOutbox.id });
    if (updated.length === 0) {
      console.warn(`mail: ${workerId} lost its claim on outbox #${msg.id} (took longer than the ${LEASE_MS / 1000} s lease); recording what happened anyway`);
    }
    // What happened to each recipient is a fact, whoever holds the row now.
    if (outcome.deliveries.length > 0) {
      await tx.insert(emailDeliveries).values(
        outcome.deliveries.map((d) => ({
          outboxId: msg.id,
          invoiceId: msg.invoiceId,
          recipient: d.recipient,
          status: d.status,
          messageId: d.messageId,
          error: d.error,
        })),
      );
    }
  });
}

export function defaultWorkerId(): string {
  return `${os.hostname()}:${process.pid}`;
}

/** Sends due messages until none is left, `limit` is reached or the time budget is spent. */
export async function drainOutbox(db: Database, opts: DrainOptions = {}): Promise<DrainResult> {
  const limit = opts.limit ?? 50;
  const workerId = opts.workerId ?? defaultWorkerId();
  const started = Date.now();
  const result: DrainResult = { claimed: 0, sent: 0, retrying: 0, failed: 0, accepted: 0, rejected: 0, outboxIds: [] };
  if (opts.onlyIds && opts.onlyIds.length === 0) return result;

  let budget = limit;
  const lane = async () => {
    while (budget > 0) {
      if (opts.timeBudgetMs !== undefined && Date.now() - started > opts.timeBudgetMs) return;
      budget--;
      const msg = await claimOne(db, opts.onlyIds);
      if (!msg) return;
      result.claimed++;
      result.outboxIds.push(msg.id);
      const outcome = await attempt(db, msg);
      await record(db, msg, outcome, workerId);
      for (const d of outcome.deliveries) {
        if (d.status === "accepted") result.accepted++;
        else result.rejected++;
      }
      if (outcome.kind === "sent") result.sent++;
      else if (outcome.kind === "retry") result.retrying++;
      else result.failed++;
      if (outcome.kind !== "sent") {
        console.warn(
          `mail: outbox #${msg.id} (${msg.kind}) attempt ${msg.attempts}/${MAX_ATTEMPTS} ${outcome.kind === "retry" ? `failed, retrying in ${backoffMs(msg.attempts) / 60_000} min` : "failed for good"}: ${outcome.error}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, lane));
  return result;
}

/** Messages waiting to be sent now (pending and due, or stuck in an expired claim). */
export async function countDue(db: Database): Promise<number> {
  const [row] = await rows<{ n: string }>(
    db,
    sql`select count(*)::text as n from email_outbox where ${outboxRowDue}`,
  );
  return Number(row?.n ?? 0);
}

// ─── The in-process sender ────────────────────────────────────────────────────────────────
export type OutboxSender = {
  /** Drain now instead of at the next tick (e.g. right after a verification code was queued). */
  wake(): void;
  /** Stops the loop and waits for a drain in progress to finish. */
  stop(): Promise<void>;
};

const runningSender = processSlot<OutboxSender>("outbox.sender");

/**
 * A timer loop for the server process: drains every `intervalMs`, never overlapping itself
 * (the next run is scheduled when the previous one ends), right away again while a batch comes
 * back full. The timer is unref'd, so it never keeps a process alive. One per process.
 */
export function startOutboxSender(opts: { intervalMs: number; db?: () => Database; batch?: number; workerId?: string }): OutboxSender {
  const existing = runningSender.get();
  if (existing) return existing;
  const batch = opts.batch ?? 50;
  const workerId = opts.workerId ?? defaultWorkerId();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let lastError = "";
  let lastErrorAt = 0;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  const tick = () => {
    if (stopped || running) return;
    again = false;
    running = (async () => {
      let full = false;
      try {
        const r = await drainOutbox((opts.db ?? getDb)(), { limit: batch, workerId });
        const e = await deliverEInvoices((opts.db ?? getDb)(), { limit: batch });
        full = r.claimed >= batch || e.claimed >= batch;
        lastError = "";
      } catch (err) {
        // The same failure (say, the database is down) is logged once a minute, not every tick.
        const text = (err as Error).message ?? String(err);
        if (text !== lastError || Date.now() - lastErrorAt > 60_000) console.error(`mail: the outbox sender failed: ${text}`);
        lastError = text;
        lastErrorAt = Date.now();
      } finally {
        running = undefined;
        schedule(full || again ? 0 : opts.intervalMs);
      }
    })();
  };

  const sender: OutboxSender = {
    wake() {
      if (stopped) return;
      if (running) again = true;
      else schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      if (runningSender.get() === sender) runningSender.set(undefined);
      await running;
    },
  };
  runningSender.set(sender);
  if (!env().SMTP_URL) {
    console.info(`mail: SMTP_URL is not set: emails are written to ${env().dataDir}/mail/ instead of being sent.`);
  }
  schedule(Math.min(opts.intervalMs, 1000));
  return sender;
}

/** The running in-process sender, if any. */
export function outboxSender(): OutboxSender | undefined {
  return runningSender.get();
}

/**
 * Call after a transaction that queued an email someone is waiting for (a verification code):
 * wakes the in-process sender, or where there is none (serverless), sends a small batch now —
 * there, wrap it in `after()` from next/server so the response does not wait for it.
 */
export async function sendOutboxSoon(): Promise<void> {
  const sender = outboxSender();
  if (sender) return sender.wake();
  try {
    await drainOutbox(getDb(), { limit: 10, workerId: `${defaultWorkerId()}:request`, timeBudgetMs: 20_000 });
  } catch (err) {
    console.error(`mail: sending right away failed (the outbox keeps the message): ${(err as Error).message}`);
  }
}
