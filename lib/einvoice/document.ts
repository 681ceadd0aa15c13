/**
 * One invoice's e-invoice, read for one account: the PDF's data and bytes (stored or rendered,
 * lib/invoices/pdf.ts), each line's VAT category and the Peppol endpoints of both parties.
 */
import { eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accounts, products, type Language, type VatCategory } from "@/db/schema";
import { env } from "@/lib/env";
import { getInvoiceDetail, type InvoiceDetail } from "@/lib/invoices/detail";
import { invoicePdf, pdfData, pdfFileName } from "@/lib/invoices/pdf";
import { lineCategory } from "./codes";
import { parseParticipantId, type ParticipantId } from "./participant";
import { buildUbl } from "./ubl";

/** `Cumulus-2026-10-100034.xml`: named like the invoice's PDF. */
export function ublFileName(invoice: { number: number; invoiceDate: string }): string {
  return pdfFileName(invoice).replace(/\.pdf$/, ".xml");
}

/**
 * The provider's participant id: CUMULUS_PROVIDER_PEPPOL_ID (checked like a customer's), or a
 * Swedish provider's organisation number under 0007 as the operator configured it.
 */
export function sellerParticipantId(): ParticipantId | null {
  const e = env();
  if (e.CUMULUS_PROVIDER_PEPPOL_ID) {
    const parsed = parseParticipantId(e.CUMULUS_PROVIDER_PEPPOL_ID);
    if (!parsed.ok) throw new Error(`CUMULUS_PROVIDER_PEPPOL_ID: ${parsed.message}`);
    return parsed.value;
  }
  const digits = e.CUMULUS_PROVIDER_ORG_NUMBER.replace(/\D/g, "");
  return e.CUMULUS_PROVIDER_COUNTRY === "SE" && digits.length === 10 ? { scheme: "0007", identifier: digits } : null;
}

/**
 * The buyer's endpoint: the account's Peppol participant id when it has one, else its
 * organisation number under 0007 for a Swedish customer that gave one, else none (EN 16931
 * allows it; a Peppol delivery always has the account's id).
 */
function buyerParticipantId(stored: string | null, customer: InvoiceDetail["customer"]): ParticipantId | null {
  for (const candidate of [stored, customer.countryCode === "SE" && customer.organisationNumber ? `0007:${customer.organisationNumber}` : null]) {
    if (!candidate) continue;
    const parsed = parseParticipantId(candidate);
    if (parsed.ok) return parsed.value;
  }
  return null;
}

async function productCategories(db: Executor, codes: string[]): Promise<Map<string, VatCategory>> {
  if (codes.length === 0) return new Map();
  const found = await db.select({ code: products.code, vatCategory: products.vatCategory }).from(products).where(inArray(products.code, [...new Set(codes)]));
  return new Map(found.map((p) => [p.code, p.vatCategory]));
}

/** The account's participant id now: for a download, which is not addressed to anyone in particular. */
async function currentParticipantId(db: Executor, accountId: string): Promise<string | null> {
  const [account] = await db.select({ peppolParticipantId: accounts.peppolParticipantId }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
  return account?.peppolParticipantId ?? null;
}

/**
 * Builds the UBL of an invoice already read, in `language`. A delivery passes the participant id
 * it is addressed to (the one queued), so the buyer's EndpointID is the receiver the access
 * point is told, even when the account changed its id since.
 */
export async function eInvoiceOf(db: Executor, accountId: string, invoice: InvoiceDetail, language: Language, receiver?: string): Promise<string> {
  const [participantId, categories, pdf] = await Promise.all([
    receiver ?? currentParticipantId(db, accountId),
    productCategories(db, invoice.lines.map((l) => l.productCode)),
    invoicePdf(db, invoice, language),
  ]);
  const credited = invoice.type === "credit_note" ? invoice.related.find((r) => r.type === "invoice") : undefined;
  return buildUbl({
    document: pdfData(invoice, language),
    lineCategories: invoice.lines.map((l) => lineCategory(l.vatRateBp, invoice.vatCategory, categories.get(l.productCode) ?? null)),
    creditedInvoice: credited ? { number: credited.number, invoiceDate: credited.invoiceDate } : null,
    sellerEndpoint: sellerParticipantId(),
    buyerEndpoint: buyerParticipantId(participantId, invoice.customer),
    pdf: { bytes: pdf.bytes, fileName: pdfFileName(invoice) },
  });
}

/** The account's invoice `number` as UBL (to `receiver` when delivered), or null when it has no such invoice. */
export async function eInvoiceFor(db: Executor, accountId: string, number: number, today: string, language: Language, receiver?: string) {
  const invoice = await getInvoiceDetail(db, accountId, number, today);
  if (!invoice) return null;
  return { xml: await eInvoiceOf(db, accountId, invoice, language, receiver), fileName: ublFileName(invoice) };
}
