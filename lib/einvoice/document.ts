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
import { parseParticipantId, participantIdOf, type ParticipantId } from "./participant";
import { buildUbl } from "./ubl";

/** `Cumulus-2026-10-100034.xml`: named like the invoice's PDF. */
export function ublFileName(invoice: { number: number; invoiceDate: string }): string {
  return pdfFileName(invoice).replace(/\.pdf$/, ".xml");
}

/**
 * The provider's participant id: CUMULUS_PROVIDER_PEPPOL_ID (checked like a customer's), else
 * `0007:` + a Swedish provider's organisation number as configured, else the one its
 * organisation or VAT number gives (participantIdOf), else none (docs/einvoice.md).
 */
export function sellerParticipantId(): ParticipantId | null {
  const e = env();
  if (e.CUMULUS_PROVIDER_PEPPOL_ID) {
    const parsed = parseParticipantId(e.CUMULUS_PROVIDER_PEPPOL_ID);
    if (!parsed.ok) throw new Error(`CUMULUS_PROVIDER_PEPPOL_ID: ${parsed.message}`);
    return parsed.value;
  }
  // A Swedish provider's organisation number is taken as configured (the demo's fails the Luhn check).
  const digits = e.CUMULUS_PROVIDER_ORG_NUMBER.replace(/\D/g, "");
  if (e.CUMULUS_PROVIDER_COUNTRY === "SE" && digits.length === 10) return { scheme: "0007", identifier: digits };
  return participantIdOf({ countryCode: e.CUMULUS_PROVIDER_COUNTRY, organisationNumber: e.CUMULUS_PROVIDER_ORG_NUMBER, vatNumber: e.CUMULUS_PROVIDER_VAT_NUMBER });
}

/**
 * The buyer's endpoint: the participant id the document goes to (or the account's), else the one
 * the customer's organisation or VAT number gives, else none (docs/einvoice.md: the gap).
 */
function buyerParticipantId(stored: string | null, customer: InvoiceDetail["customer"]): ParticipantId | null {
  const parsed = stored ? parseParticipantId(stored) : null;
  return parsed?.ok ? parsed.value : participantIdOf(customer);
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
