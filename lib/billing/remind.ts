/**
 * Payment reminders (`npm run billing:remind`), while an invoice is outstanding: 7 days before
 * its due date, on the due date, 7 and 14 days after it. Each is an outbox email with the dedupe
 * key `reminder:<invoice id>:<step>` (steps `due-7`, `due`, `due+7`, `due+14`), so a step is
 * queued once per invoice however often the command runs, from however many places.
 *
 * "Today" is each account's own date in its time zone (or `--today`). A run on any day queues,
 * per invoice, only the latest step whose day has come:
 * - a late run (a missed day, a weekend without cron) sends the missed step once, late, and
 *   never several steps at once; its words say how far the due date really is ("12 days ago");
 * - a step is not sent after a later one was (running with an earlier --today changes nothing);
 * - no step falls on or before the invoice date (with short payment terms the first reminder
 *   is the due-date one), and after `due+14` there are no more reminders;
 * - paid or fully credited invoices, and credit notes, get none; nor does an invoice automatic
 *   payment will charge, until it gives up on it (its failure email then takes the due step's
 *   place: lib/payments/autopay/emails.ts).
 * Reminders go to the account's verified Billing addresses (the same rule as invoice emails), in
 * the account's language, with the invoice's PDF attached at send time. They are sent even when
 * the account receives invoices other than by email: they are about money owed, not the invoice.
 */
import { sql, type SQL } from "drizzle-orm";
import { rows, type Database, type Transaction } from "@/db/client";
import type { Language } from "@/db/schema";
import { accountToday, todayPerTimeZone } from "@/lib/dates";
import { billingRecipientsByAccount, enqueueEmails, type OutboxMessage } from "@/lib/email/outbox";
import { reminderDedupeKey, reminderStepFor } from "@/lib/email/reminder-steps";
import { invoiceUrl, REMINDER_STEPS, reminderEmail, type ReminderStep } from "@/lib/email/templates";
import { outstandingMinorSql } from "@/lib/invoices/balance";
import { env } from "@/lib/env";
import { autopayWillChargeSql } from "@/lib/payments/autopay/due";
import type { ProviderName } from "@/lib/payments/provider";
import { PROVIDER_TIME_ZONE, providerDetails } from "@/lib/provider";

export type RemindSummary = {
  /** Outstanding invoices whose first reminder day may have come. */
  looked: number;
  queued: Record<ReminderStep, number>;
  /** The step (or a later one) was queued before: nothing new. */
  alreadySent: number;
  noBillingAddress: number;
  elapsedMs: number;
};

export type RemindOptions = {
  /** The date for every account; default: today in each account's time zone. */
  today?: string;
  /** The card provider automatic payment charges with (default: the configured one, PAYMENT_PROVIDER). */
  provider?: ProviderName;
  batchSize?: number;
  onProgress?: (p: { looked: number; queued: number; elapsedMs: number }) => void;
};

type Row = {
  id: string;
  account_id: string;
  number: string | number;
  invoice_date: string;
  due_date: string;
  currency: string;
  total_minor: string;
  outstanding: string;
  customer_name: string;
  payment_reference: string;
  account_name: string;
  language: Language;
  time_zone: string;
};

type DueReminder = { r: Row; step: ReminderStep };

export async function queueReminders(db: Database, opts: RemindOptions = {}): Promise<RemindSummary> {
  const started = performance.now();
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 500, 5000));
  // The latest date anywhere on Earth bounds which invoices can have a reminder due.
  const latest = opts.today ?? accountToday("Pacific/Kiritimati");
  const summary: RemindSummary = {
    looked: 0,
    queued: { "due-7": 0, due: 0, "due+7": 0, "due+14": 0 },
    alreadySent: 0,
    noBillingAddress: 0,
    elapsedMs: 0,
  };
  const today = todayPerTimeZone(opts.today, () => accountToday(PROVIDER_TIME_ZONE));
  let cursor: string | null = null;
  for (;;) {
    const batch = await outstandingBatch(db, { latest, today: opts.today, provider: opts.provider ?? env().PAYMENT_PROVIDER }, cursor, batchSize);
    if (batch.length === 0) break;
    cursor = batch[batch.length - 1]!.id;
    summary.looked += batch.length;

    const due = batch
      .map((r) => ({ r, step: reminderStepFor({ invoiceDate: r.invoice_date, dueDate: r.due_date }, today(r.time_zone)) }))
      .filter((x): x is DueReminder => x.step !== null);
    if (due.length > 0) await db.transaction((tx) => queueDueReminders(tx, due, today, summary));
    summary.elapsedMs = performance.now() - started;
    opts.onProgress?.({
      looked: summary.looked,
      queued: Object.values(summary.queued).reduce((a, b) => a + b, 0),
      elapsedMs: summary.elapsedMs,
    });
  }
  summary.elapsedMs = performance.now() - started;
  return summary;
}

/** The next outstanding invoices, after `cursor` in id order, whose first reminder day may have come by `latest`. */
function outstandingBatch(db: Database, at: { latest: string; today: string | undefined; provider: ProviderName }, cursor: string | null, batchSize: number): Promise<Row[]> {
  // `invoices` is not aliased: the balance fragments (lib/invoices/balance.ts) name it.
  const after: SQL = cursor === null ? sql`` : sql`and invoices.id > ${cursor}::uuid`;
  return rows<Row>(
    db,
    sql`select invoices.id::text as id, invoices.account_id::text as account_id, invoices.number,
               invoices.invoice_date::text as invoice_date, invoices.due_date::text as due_date, invoices.currency,
               invoices.total_minor::text as total_minor, (${outstandingMinorSql})::text as outstanding,
               invoices.customer->>'name' as customer_name, invoices.payment_reference,
               a.name as account_name, a.language, a.time_zone
        from invoices join accounts a on a.id = invoices.account_id
        where invoices.type = 'invoice' and invoices.due_date - 7 <= ${at.latest}::date ${after}
          and ${outstandingMinorSql} > 0 and not ${autopayWillChargeSql(at.provider, at.today)}
        order by invoices.id
        limit ${batchSize}`,
  );
}

/** Of the due reminders, those not queued before (this step or a later one), counting the others. */
async function unsentReminders(tx: Transaction, due: DueReminder[], summary: RemindSummary): Promise<DueReminder[]> {
  const stepsFrom = (step: ReminderStep) => REMINDER_STEPS.slice(REMINDER_STEPS.indexOf(step));
  const keys = due.flatMap(({ r, step }) => stepsFrom(step).map((s) => reminderDedupeKey(r.id, s)));
  const sent = new Set(
    (
      await rows<{ dedupe_key: string }>(
        tx,
        sql`select dedupe_key from email_outbox where dedupe_key = any(${`{${keys.map((k) => `"${k}"`).join(",")}}`}::text[])`,
      )
    ).map((x) => x.dedupe_key),
  );
  return due.filter(({ r, step }) => {
    const done = stepsFrom(step).some((s) => sent.has(reminderDedupeKey(r.id, s)));
    if (done) summary.alreadySent++;
    return !done;
  });
}

/** Queues the reminders due in one batch, in one transaction, to each account's Billing addresses. */
async function queueDueReminders(tx: Transaction, due: DueReminder[], today: (timeZone: string) => string, summary: RemindSummary): Promise<void> {
  const fresh = await unsentReminders(tx, due, summary);
  const recipientsOf = await billingRecipientsByAccount(tx, fresh.map(({ r }) => r.account_id));
  const provider = providerDetails();
  const messages: OutboxMessage[] = [];
  const stepOf = new Map<string, ReminderStep>();
  for (const { r, step } of fresh) {
    const recipients = recipientsOf.get(r.account_id) ?? [];
    if (recipients.length === 0) {
      summary.noBillingAddress++;
      continue;
    }
    const number = Number(r.number);
    const content = reminderEmail({
      language: r.language,
      step,
      number,
      customerName: r.customer_name,
      accountName: r.account_name,
      providerName: provider.name,
      invoiceDate: r.invoice_date,
      dueDate: r.due_date,
      today: today(r.time_zone),
      currency: r.currency,
      totalMinor: BigInt(r.total_minor),
      outstandingMinor: BigInt(r.outstanding),
      paymentReference: r.payment_reference,
      iban: provider.iban,
      bic: provider.bic,
      url: invoiceUrl(number),
    });
    const dedupeKey = reminderDedupeKey(r.id, step);
    stepOf.set(dedupeKey, step);
    messages.push({ accountId: r.account_id, kind: "reminder", recipients, ...content, invoiceId: r.id, dedupeKey });
  }
  const queued = await enqueueEmails(tx, messages);
  for (const q of queued) summary.queued[stepOf.get(q.dedupeKey!)!]++;
  // Queued meanwhile by another run: the insert skipped it.
  summary.alreadySent += messages.length - queued.length;
}
