/** One invoice with everything its page and PDF show, read for one account only. */
import { and, asc, desc, eq, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { emailDeliveries, invoiceLines, invoices, products } from "@/db/schema";
import { computeTotals } from "@/lib/money";
import { creditedMinorSql, paymentUnderWaySql, settledMinorSql, statusOf } from "./balance";

export async function getInvoiceDetail(db: Executor, accountId: string, number: number, today: string) {
  // All four reads at once (one round trip instead of two): the others find the invoice by number themselves.
  const invoiceId = sql`(select ${invoices.id} from ${invoices} where ${invoices.accountId} = ${accountId} and ${invoices.number} = ${number})`;
  const creditedId = sql`(select ${invoices.creditsInvoiceId} from ${invoices} where ${invoices.accountId} = ${accountId} and ${invoices.number} = ${number})`;
  const [[invoice], lines, deliveries, related] = await Promise.all([
    db
    .select({
      id: invoices.id,
      number: invoices.number,
      type: invoices.type,
      creditsInvoiceId: invoices.creditsInvoiceId,
      creditReason: invoices.creditReason,
      periodStart: invoices.periodStart,
      periodEnd: invoices.periodEnd,
      invoiceDate: invoices.invoiceDate,
      dueDate: invoices.dueDate,
      currency: invoices.currency,
      language: invoices.language,
      vatCategory: invoices.vatCategory,
      netMinor: invoices.netMinor,
      vatMinor: invoices.vatMinor,
      totalMinor: invoices.totalMinor,
      customer: invoices.customer,
      paymentReference: invoices.paymentReference,
      issuedAt: invoices.issuedAt,
      settled: sql<string>`${settledMinorSql}`,
      credited: sql<string>`${creditedMinorSql}`,
      paymentUnderWay: sql<boolean>`${paymentUnderWaySql}`,
    })
    .from(invoices)
    .where(and(eq(invoices.accountId, accountId), eq(invoices.number, number)))
    .limit(1),
    db
      .select({
        position: invoiceLines.position,
        service: invoiceLines.service,
        productCode: invoiceLines.productCode,
        label: invoiceLines.label,
        region: invoiceLines.region,
        quantity: invoiceLines.quantity,
        unit: invoiceLines.unit,
        unitPriceMinor: invoiceLines.unitPriceMinor,
        amountMinor: invoiceLines.amountMinor,
        vatRateBp: invoiceLines.vatRateBp,
        // The price list's label in each language: a document prints the line in its own language.
        productLabelEn: products.labelEn,
        productLabelSv: products.labelSv,
      })
      .from(invoiceLines)
      .leftJoin(products, eq(products.code, invoiceLines.productCode))
      .where(eq(invoiceLines.invoiceId, invoiceId))
      .orderBy(asc(invoiceLines.position)),
    db
      .select({ recipient: emailDeliveries.recipient, status: emailDeliveries.status, error: emailDeliveries.error, at: emailDeliveries.at })
      .from(emailDeliveries)
      .where(eq(emailDeliveries.invoiceId, invoiceId))
      .orderBy(desc(emailDeliveries.at)),
    // Credit notes against this invoice, or the invoice a credit note credits.
    db
      .select({ number: invoices.number, type: invoices.type, totalMinor: invoices.totalMinor, invoiceDate: invoices.invoiceDate })
      .from(invoices)
      .where(
        and(
          eq(invoices.accountId, accountId),
          or(eq(invoices.id, creditedId), eq(invoices.creditsInvoiceId, invoiceId)),
        ),
      )
      .orderBy(asc(invoices.number)),
  ]);
  if (!invoice) return null;

  const settledMinor = BigInt(invoice.settled);
  const creditedMinor = BigInt(invoice.credited);
  const outstandingMinor =
    invoice.type === "credit_note" ? 0n : [invoice.totalMinor - settledMinor - creditedMinor, 0n].reduce((a, b) => (a > b ? a : b));
  // The stored totals were computed from the lines when issued; recomputing gives the VAT per rate.
  const totals = computeTotals(lines);
  if (totals.totalMinor !== invoice.totalMinor) {
    throw new Error(`Invoice ${invoice.number}: stored total does not match its lines`);
  }
  const { settled: _s, credited: _c, paymentUnderWay, ...rest } = invoice;
  return {
    ...rest,
    lines,
    totals,
    settledMinor,
    creditedMinor,
    outstandingMinor,
    status: statusOf(outstandingMinor, invoice.dueDate, today, paymentUnderWay === true),
    deliveries,
    related,
  };
}

export type InvoiceDetail = NonNullable<Awaited<ReturnType<typeof getInvoiceDetail>>>;
