/**
 * One batch of a billing run, in one transaction: the batch is staged first (accounts, usage
 * summed per product and region, prices, VAT, totals), then the `invoice` row of
 * number_sequences is locked, the batch's accounts are checked again for an invoice of the month
 * (a new statement under READ COMMITTED sees whatever another run committed while this one
 * waited for the lock), the survivors get consecutive numbers, and invoices, lines, their emails
 * (outbox) and the run's progress are written with set-based INSERTs before the sequence is
 * advanced and the transaction commits.
 */
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { rows, type Executor } from "@/db/client";
import type { PostalAddress } from "@/db/schema";
import { todayPerTimeZone } from "@/lib/dates";
import { queueEInvoices } from "@/lib/einvoice/delivery";
import { queueInvoiceEmails, type InvoiceEmailSkipReason } from "@/lib/email/outbox";
import { paymentReferenceFor } from "@/lib/reference";
import { draftInvoice, type BillableAccount, type Draft, type DraftOptions } from "./draft";
import type { Period } from "./period";
import { summedUsage } from "./usage";

export type NotBilled = { accountId: string; accountName: string; reason: string };

export class BillingRunError extends Error {
  override readonly name = "BillingRunError";
}

const uuidArray = (ids: readonly string[]) => `{${ids.join(",")}}`;

export type BatchResult = {
  issued: { number: number; currency: string; totalMinor: bigint }[];
  alreadyInvoiced: number;
  notBilled: NotBilled[];
  emailsQueued: number;
  emailsSkipped: Record<InvoiceEmailSkipReason, number>;
};

/** One batch of accounts, in one transaction (see the top of this file). */
export async function billBatch(tx: Executor, runId: string, ids: string[], opts: DraftOptions, runToday: string): Promise<BatchResult> {
  const result: BatchResult = {
    issued: [],
    alreadyInvoiced: 0,
    notBilled: [],
    emailsQueued: 0,
    emailsSkipped: { no_billing_address: 0, email_turned_off: 0, duplicate: 0 },
  };
  // Stage: the accounts still without an invoice for the month, and their drafts.
  const accountRows = await accountsWithoutInvoice(tx, ids, opts.period);
  result.alreadyInvoiced = ids.length - accountRows.length;
  if (accountRows.length === 0) return result;
  const usageByAccount = await summedUsage(tx, accountRows.map((a) => a.id), opts.period);
  const todayOf = todayPerTimeZone(opts.today, () => runToday);
  const drafts: Draft[] = [];
  for (const a of accountRows) {
    const draft = draftInvoice(a, usageByAccount.get(a.id) ?? [], todayOf(a.timeZone), opts);
    if (typeof draft === "string") result.notBilled.push({ accountId: a.id, accountName: a.name, reason: draft });
    else drafts.push(draft);
  }
  if (drafts.length === 0) return result;

  // Issue: under the sequence lock, check again, number, write.
  const { issued, alreadyInvoiced, nextNumber } = await numberUnderLock(tx, drafts, opts.period);
  result.alreadyInvoiced += alreadyInvoiced;
  if (issued.length === 0) return result;
  await insertInvoices(tx, issued, opts.period, runId);
  await insertInvoiceLines(tx, issued);
  await tx.execute(sql`update number_sequences set next_value = ${nextNumber} where name = 'invoice'`);

  const emails = await queueInvoiceEmails(tx, issued.map((d) => d.id));
  await queueEInvoices(tx, issued.map((d) => d.id));
  for (const e of emails.values()) {
    if (e.status === "queued") result.emailsQueued++;
    else result.emailsSkipped[e.reason]++;
  }
  await tx.execute(sql`update billing_runs set invoices_issued = invoices_issued + ${issued.length} where id = ${runId}`);
  result.issued = issued.map((d) => ({ number: d.number, currency: d.currency, totalMinor: d.totalMinor }));
  return result;
}

/** Of `ids`, the accounts with no invoice for the month yet. */
async function accountsWithoutInvoice(tx: Executor, ids: string[], period: Period): Promise<BillableAccount[]> {
  const found = await rows<Omit<BillableAccount, "billingAddress" | "paymentTermsDays"> & { billingAddress: PostalAddress | string | null; paymentTermsDays: number | string }>(
    tx,
    sql`select a.id::text as id, a.name, a.country_code as "countryCode", a.currency, a.language, a.time_zone as "timeZone",
               a.organisation_number as "organisationNumber", a.vat_number as "vatNumber", a.purchase_order as "purchaseOrder",
               a.care_of as "careOf", a.street, a.zip_code as "zipCode", a.city, a.billing_address as "billingAddress",
               a.payment_terms_days as "paymentTermsDays"
        from accounts a
        where a.id = any(${uuidArray(ids)}::uuid[])
          and not exists (select 1 from invoices i
                          where i.account_id = a.id and i.type = 'invoice' and i.period_start = ${period.start}::date)
        order by a.id`,
  );
  // PGlite may hand jsonb back as text.
  return found.map((a) => ({
    ...a,
    billingAddress: typeof a.billingAddress === "string" ? (JSON.parse(a.billingAddress) as PostalAddress | null) : a.billingAddress,
    paymentTermsDays: Number(a.paymentTermsDays),
  }));
}

type NumberedDraft = Draft & { id: string; number: number };

/**
 * Locks the invoice sequence, drops the drafts of accounts another run invoiced meanwhile, and
 * numbers the rest consecutively; the caller writes `nextNumber` back after inserting them.
 */
async function numberUnderLock(
  tx: Executor,
  drafts: Draft[],
  period: Period,
): Promise<{ issued: NumberedDraft[]; alreadyInvoiced: number; nextNumber: number }> {
  const [seq] = await rows<{ next: string }>(tx, sql`select next_value::text as next from number_sequences where name = 'invoice' for update`);
  if (!seq) throw new BillingRunError("number_sequences has no 'invoice' row");
  const taken = new Set(
    (
      await rows<{ account_id: string }>(
        tx,
        sql`select account_id::text as account_id from invoices
            where account_id = any(${uuidArray(drafts.map((d) => d.accountId))}::uuid[])
              and type = 'invoice' and period_start = ${period.start}::date`,
      )
    ).map((r) => r.account_id),
  );
  let next = Number(seq.next);
  const issued = drafts.filter((d) => !taken.has(d.accountId)).map((d) => ({ ...d, id: crypto.randomUUID(), number: next++ }));
  return { issued, alreadyInvoiced: taken.size, nextNumber: next };
}

/** The batch's invoices in one set-based INSERT. */
async function insertInvoices(tx: Executor, issued: NumberedDraft[], period: Period, runId: string): Promise<void> {
  await tx.execute(sql`
    insert into invoices (id, account_id, number, type, period_start, period_end, invoice_date, due_date, currency, language,
                          vat_category, net_minor, vat_minor, total_minor, customer, payment_reference, billing_run_id)
    select x.id, x.account_id, x.number, 'invoice', ${period.start}::date, ${period.end}::date, x.invoice_date, x.due_date,
           x.currency, x.language::invoice_language, x.vat_category::vat_category, x.net_minor, x.vat_minor, x.total_minor,
           x.customer, x.payment_reference, ${runId}::uuid
    from json_to_recordset(${JSON.stringify(
      issued.map((d) => ({
        id: d.id,
        account_id: d.accountId,
        number: d.number,
        invoice_date: d.invoiceDate,
        due_date: d.dueDate,
        currency: d.currency,
        language: d.language,
        vat_category: d.vatCategory,
        net_minor: d.netMinor.toString(),
        vat_minor: d.vatMinor.toString(),
        total_minor: d.totalMinor.toString(),
        customer: d.customer,
        payment_reference: paymentReferenceFor(d.number),
      })),
    )}::json) as x(id uuid, account_id uuid, number bigint, invoice_date date, due_date date, currency text, language text,
                     vat_category text, net_minor bigint, vat_minor bigint, total_minor bigint, customer jsonb, payment_reference text)`);
}

/** The lines of the batch's invoices in one set-based INSERT. */
async function insertInvoiceLines(tx: Executor, issued: NumberedDraft[]): Promise<void> {
  await tx.execute(sql`
    insert into invoice_lines (invoice_id, position, service, product_code, label, region, quantity, unit, unit_price_minor,
                               amount_minor, vat_rate_bp)
    select x.invoice_id, x.position, x.service, x.product_code, x.label, x.region, x.quantity, x.unit, x.unit_price_minor,
           x.amount_minor, x.vat_rate_bp
    from json_to_recordset(${JSON.stringify(
      issued.flatMap((d) =>
        d.lines.map((l) => ({
          invoice_id: d.id,
          position: l.position,
          service: l.service,
          product_code: l.productCode,
          label: l.label,
          region: l.region,
          quantity: l.quantity,
          unit: l.unit,
          unit_price_minor: l.unitPriceMinor,
          amount_minor: l.amountMinor.toString(),
          vat_rate_bp: l.vatRateBp,
        })),
      ),
    )}::json) as x(invoice_id uuid, position int, service text, product_code text, label text, region text, quantity numeric,
                     unit text, unit_price_minor numeric, amount_minor bigint, vat_rate_bp int)`);
}
