/**
 * Invoice PDFs: rendered once from the database and kept. The stored bytes are keyed by
 * invoice, template version and language; since the PDF prints the outstanding amount, a
 * payment or credit note after the rendering makes the next request render it anew. While a card
 * payment is under way the PDF has no payment QR code: it is rendered for each request and never
 * stored, and a stored one (with its code) is not used.
 */
import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { preparedQuery, type Database, type Executor } from "@/db/client";
import { invoicePdfs, invoices, type Language } from "@/db/schema";
import { renderInvoicePdf, TEMPLATE_VERSION } from "@/lib/pdf/render";
import type { InvoicePdfData } from "@/lib/invoices/types";
import { providerDetails } from "@/lib/provider";
import { outstandingMinorSql, paymentUnderWaySql } from "./balance";
import type { InvoiceDetail } from "./detail";
import { localizedLines } from "./presentation";

/** `Cumulus-2026-10-100034.pdf`: the invoice month and number. */
export function pdfFileName(invoice: { number: number; invoiceDate: string }): string {
  return `Cumulus-${invoice.invoiceDate.slice(0, 7)}-${invoice.number}.pdf`;
}

export function pdfData(invoice: InvoiceDetail, language: Language): InvoicePdfData {
  const credited = invoice.type === "credit_note" ? invoice.related.find((r) => r.type === "invoice") : undefined;
  return {
    provider: providerDetails(),
    customer: invoice.customer,
    number: invoice.number,
    type: invoice.type,
    creditedInvoiceNumber: credited?.number ?? null,
    creditReason: invoice.type === "credit_note" ? (invoice.creditReason ?? null) : null,
    invoiceDate: invoice.invoiceDate,
    dueDate: invoice.dueDate,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    currency: invoice.currency,
    language,
    vatCategory: invoice.vatCategory,
    lines: localizedLines(invoice, language).map((l) => ({
      service: l.service,
      label: l.label,
      region: l.region,
      quantity: l.quantity,
      unit: l.unit,
      unitPriceMinor: l.unitPriceMinor,
      amountMinor: l.amountMinor,
      vatRateBp: l.vatRateBp,
    })),
    totals: invoice.totals,
    paidMinor: invoice.settledMinor + invoice.creditedMinor,
    outstandingMinor: invoice.outstandingMinor,
    paymentReference: invoice.paymentReference,
    paymentUnderWay: paymentUnderWay(invoice),
  };
}

const paymentUnderWay = (invoice: InvoiceDetail) => invoice.status === "processing";

export type StoredPdf = { bytes: Uint8Array; etag: string };

/** The invoice's PDF, from storage when it is current, else rendered (off the main thread) and stored. */
export async function invoicePdf(db: Executor, invoice: InvoiceDetail, language: Language): Promise<StoredPdf> {
  const key = and(
    eq(invoicePdfs.invoiceId, invoice.id),
    eq(invoicePdfs.templateVersion, TEMPLATE_VERSION),
    eq(invoicePdfs.language, language),
  );
  const [stored] = await db
    .select({ bytes: invoicePdfs.bytes, etag: invoicePdfs.etag, outstandingMinor: invoicePdfs.outstandingMinor })
    .from(invoicePdfs)
    .where(key)
    .limit(1);
  if (stored && stored.outstandingMinor === invoice.outstandingMinor && !paymentUnderWay(invoice)) return { bytes: stored.bytes, etag: stored.etag };
  const { stored: storing, ...pdf } = await renderInvoicePdfToStore(db, invoice, language);
  await storing;
  return pdf;
}

/**
 * Renders the invoice's PDF and starts storing it (replacing a stale one), for a caller that
 * knows none is current. `stored` settles once the bytes are kept: a route can answer first.
 * A PDF drawn while a card payment is under way is not kept (see the file's comment).
 */
export async function renderInvoicePdfToStore(
  db: Executor,
  invoice: InvoiceDetail,
  language: Language,
): Promise<StoredPdf & { stored: Promise<void> }> {
  const bytes = await renderInvoicePdf(pdfData(invoice, language));
  const etag = `"${crypto.createHash("sha256").update(bytes).digest("base64url").slice(0, 32)}"`;
  if (paymentUnderWay(invoice)) return { bytes, etag, stored: Promise.resolve() };
  const stored = db
    .insert(invoicePdfs)
    .values({ invoiceId: invoice.id, templateVersion: TEMPLATE_VERSION, language, outstandingMinor: invoice.outstandingMinor, etag, bytes })
    .onConflictDoUpdate({
      target: [invoicePdfs.invoiceId, invoicePdfs.templateVersion, invoicePdfs.language],
      set: { bytes, etag, outstandingMinor: invoice.outstandingMinor, createdAt: sql`now()` },
    })
    .then(() => undefined);
  return { bytes, etag, stored };
}

/**
 * The fast path of the PDF route, in one query: the account's invoice by number with its
 * current outstanding amount and, when stored for this template and language, the PDF.
 */
const invoicePdfQuery = (db: Database) =>
  db
    .select({
      id: invoices.id,
      number: invoices.number,
      invoiceDate: invoices.invoiceDate,
      outstanding: sql<string>`${outstandingMinorSql}`,
      paymentUnderWay: sql<boolean>`${paymentUnderWaySql}`,
      storedOutstanding: invoicePdfs.outstandingMinor,
      etag: invoicePdfs.etag,
      bytes: invoicePdfs.bytes,
    })
    .from(invoices)
    .leftJoin(
      invoicePdfs,
      and(
        eq(invoicePdfs.invoiceId, invoices.id),
        eq(invoicePdfs.templateVersion, TEMPLATE_VERSION),
        eq(invoicePdfs.language, sql.placeholder("language")),
      ),
    )
    .where(and(eq(invoices.accountId, sql.placeholder("accountId")), eq(invoices.number, sql.placeholder("number"))))
    .limit(1)
    .prepare("invoice_pdf");

export async function findInvoicePdf(db: Database, accountId: string, number: number, language: Language) {
  const [row] = await preparedQuery(db, "invoices.pdf", invoicePdfQuery).execute({ accountId, number, language });
  if (!row) return null;
  const current = row.bytes !== null && row.etag !== null && row.storedOutstanding === BigInt(row.outstanding) && row.paymentUnderWay !== true;
  return {
    id: row.id,
    number: row.number,
    invoiceDate: row.invoiceDate,
    stored: current ? { bytes: row.bytes!, etag: row.etag! } : null,
  };
}
