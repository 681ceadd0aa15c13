/** What a Pay dialog shows: per invoice its lines, sum, VAT, total, what was paid, and what is outstanding now. */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { invoiceLines, invoices, payments } from "@/db/schema";
import { creditedMinorSql, outstandingMinorSql, settledMinorSql } from "@/lib/invoices/balance";
import { OPEN_STATES, paymentInvoiceNumbers } from "./engine";

export type QuoteInvoice = {
  number: number;
  currency: string;
  paymentReference: string;
  invoiceDate: string;
  dueDate: string;
  netMinor: bigint;
  vatMinor: bigint;
  totalMinor: bigint;
  paidMinor: bigint;
  outstandingMinor: bigint;
  lines: { label: string; amountMinor: bigint }[];
  openPaymentId: string | null;
};

/** The account's outstanding invoices among `numbers` (or all outstanding when null), oldest first. */
export async function paymentQuote(db: Executor, accountId: string, numbers: number[] | null): Promise<QuoteInvoice[]> {
  const conditions = [eq(invoices.accountId, accountId), eq(invoices.type, "invoice"), sql`${outstandingMinorSql} > 0`];
  if (numbers) conditions.push(inArray(invoices.number, numbers.length ? numbers : [-1]));
  const found = await db
    .select({
      id: invoices.id,
      number: invoices.number,
      currency: invoices.currency,
      paymentReference: invoices.paymentReference,
      invoiceDate: invoices.invoiceDate,
      dueDate: invoices.dueDate,
      netMinor: invoices.netMinor,
      vatMinor: invoices.vatMinor,
      totalMinor: invoices.totalMinor,
      paid: sql<string>`${settledMinorSql} + ${creditedMinorSql}`,
      outstanding: sql<string>`${outstandingMinorSql}`,
      openPaymentId: sql<string | null>`(select p.id from payments p join payment_allocations pa on pa.payment_id = p.id
        where pa.invoice_id = ${invoices.id} and p.state in ('pending', 'processing', 'requires_action') limit 1)`,
    })
    .from(invoices)
    .where(and(...conditions))
    .orderBy(asc(invoices.invoiceDate), asc(invoices.number))
    .limit(500);
  if (found.length === 0) return [];
  const lines = await db
    .select({ invoiceId: invoiceLines.invoiceId, label: invoiceLines.label, amountMinor: invoiceLines.amountMinor })
    .from(invoiceLines)
    .where(inArray(invoiceLines.invoiceId, found.map((f) => f.id)))
    .orderBy(asc(invoiceLines.position));
  return found.map((f) => ({
    number: f.number,
    currency: f.currency,
    paymentReference: f.paymentReference,
    invoiceDate: f.invoiceDate,
    dueDate: f.dueDate,
    netMinor: f.netMinor,
    vatMinor: f.vatMinor,
    totalMinor: f.totalMinor,
    paidMinor: BigInt(f.paid),
    outstandingMinor: BigInt(f.outstanding),
    lines: lines.filter((l) => l.invoiceId === f.id).map((l) => ({ label: l.label, amountMinor: l.amountMinor })),
    openPaymentId: f.openPaymentId,
  }));
}

/** One payment of the account with the invoices it covers (the return page and the detail page). */
export async function accountPayment(db: Executor, accountId: string, paymentId: string) {
  const [p] = await db
    .select({ id: payments.id, state: payments.state, amountMinor: payments.amountMinor, currency: payments.currency, failureReason: payments.failureReason, provider: payments.provider, providerReference: payments.providerReference })
    .from(payments)
    .where(and(eq(payments.accountId, accountId), eq(payments.id, paymentId)))
    .limit(1);
  if (!p) return null;
  return { ...p, invoiceNumbers: await paymentInvoiceNumbers(db, p.id), open: (OPEN_STATES as readonly string[]).includes(p.state) };
}
