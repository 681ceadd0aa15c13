/**
 * The receipt of a settled payment: one PDF per payment, whichever invoices it covered. Only a
 * succeeded payment has one; a pending, failed or cancelled attempt is not a receipt's subject.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accounts, invoices, paymentAllocations, payments, sandboxCheckouts } from "@/db/schema";
import { formatDateTime } from "@/lib/dates";
import { renderReceiptPdf } from "@/lib/pdf/render";
import type { ReceiptPdfData } from "@/lib/invoices/types";
import { providerDetails } from "@/lib/provider";
import { cardLabel, sandboxCheckoutOfPayment } from "./card";

/** `Cumulus-receipt-2026-11-25-3f2a9c1d.pdf`: the settlement date and the payment id's start. */
export function receiptFileName(r: { paymentId: string; settledOn: string }): string {
  return `Cumulus-receipt-${r.settledOn}-${r.paymentId.slice(0, 8)}.pdf`;
}

export type PaymentReceipt = { data: ReceiptPdfData; fileName: string };

/** The receipt's content for the account's succeeded payment, or null (unknown, foreign, not settled). */
export async function paymentReceiptData(db: Executor, accountId: string, paymentId: string): Promise<PaymentReceipt | null> {
  const [p] = await db
    .select({
      id: payments.id,
      method: payments.method,
      provider: payments.provider,
      providerReference: payments.providerReference,
      amountMinor: payments.amountMinor,
      currency: payments.currency,
      settledAt: payments.settledAt,
      language: accounts.language,
      timeZone: accounts.timeZone,
      cardBrand: sandboxCheckouts.cardBrand,
      cardLast4: sandboxCheckouts.cardLast4,
    })
    .from(payments)
    .innerJoin(accounts, eq(accounts.id, payments.accountId))
    .leftJoin(sandboxCheckouts, sandboxCheckoutOfPayment)
    .where(and(eq(payments.accountId, accountId), eq(payments.id, paymentId), eq(payments.state, "succeeded")))
    .limit(1);
  if (!p || !p.settledAt) return null;
  const allocations = await db
    .select({
      number: invoices.number,
      invoiceDate: invoices.invoiceDate,
      amountMinor: paymentAllocations.amountMinor,
      customer: invoices.customer,
    })
    .from(paymentAllocations)
    .innerJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId))
    .where(and(eq(paymentAllocations.paymentId, p.id), eq(invoices.accountId, accountId)))
    .orderBy(asc(invoices.number));
  // A settled payment without an invoice (all of it account credit) has no customer block to print.
  if (allocations.length === 0) return null;
  const allocatedMinor = allocations.reduce((sum, a) => sum + a.amountMinor, 0n);
  const settledOn = formatDateTime(p.settledAt, p.timeZone, "en").slice(0, 10);
  return {
    fileName: receiptFileName({ paymentId: p.id, settledOn }),
    data: {
      provider: providerDetails(),
      customer: allocations[0]!.customer,
      paymentId: p.id,
      paidAt: formatDateTime(p.settledAt, p.timeZone, p.language),
      method: p.method,
      cardLabel: cardLabel(p.cardBrand, p.cardLast4),
      providerReference: p.providerReference,
      currency: p.currency,
      language: p.language,
      amountMinor: p.amountMinor,
      allocations: allocations.map((a) => ({ number: a.number, invoiceDate: a.invoiceDate, amountMinor: a.amountMinor })),
      creditMinor: p.amountMinor - allocatedMinor,
    },
  };
}

/** The receipt PDF (rendered in the worker pool), or null when the payment has none for this account. */
export async function paymentReceiptPdf(db: Executor, accountId: string, paymentId: string) {
  const receipt = await paymentReceiptData(db, accountId, paymentId);
  if (!receipt) return null;
  return { bytes: await renderReceiptPdf(receipt.data), fileName: receipt.fileName };
}
