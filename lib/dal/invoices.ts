/** Invoice reads for the current viewer: access checked here, account id always the viewer's. */
import "server-only";
import { invoiceNumberSchema } from "@/lib/invoices/numbers";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import type { Language } from "@/db/schema";
import { accountToday } from "@/lib/dates";
import { eInvoiceDeliveryOf } from "@/lib/einvoice/delivery";
import { eInvoiceFor } from "@/lib/einvoice/document";
import { getInvoiceDetail } from "@/lib/invoices/detail";
import { allInvoices, invoicesByNumbers, PAGE_SIZE, type InvoiceFilter, type ListParams } from "@/lib/invoices/list";
import { previousInvoiceNumber } from "@/lib/invoices/previous";
import { findInvoicePdf, pdfFileName, renderInvoicePdfToStore } from "@/lib/invoices/pdf";
import { cachedInvoicePage } from "@/lib/invoices/page-cache";
import { cachedInvoiceSummary } from "@/lib/invoices/summary";
import { calendarFile, dueDateEvent } from "@/lib/sharing/ics";
import { canReadInvoices, type Viewer } from "./session";

/** Throws the 404 of a missing invoice when the viewer has no invoice access. */
export function assertInvoiceReader(viewer: Viewer): void {
  if (!canReadInvoices(viewer)) notFound();
}

/** The viewer's account's date in its time zone. */
export function viewerToday(viewer: Viewer): string {
  return accountToday(viewer.account.timeZone);
}

export async function getInvoiceSummary(viewer: Viewer) {
  assertInvoiceReader(viewer);
  return cachedInvoiceSummary(getDb(), viewer.account.id, viewerToday(viewer), viewer.account.ledgerVersion);
}

export function parseInvoiceNumber(value: unknown): number | null {
  const parsed = invoiceNumberSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export async function getInvoicePage(viewer: Viewer, params: ListParams, pageSize = PAGE_SIZE) {
  assertInvoiceReader(viewer);
  // Unfiltered or filtered by status alone, the list's length is the cached summary's: no count query.
  const summary = params.q || params.from || params.to ? undefined : await getInvoiceSummary(viewer);
  return cachedInvoicePage(getDb(), viewer.account.id, viewer.account, params, viewerToday(viewer), pageSize, summary);
}

/** The viewer's invoice with this number, or null: another account's answers like a missing one. */
export async function getInvoice(viewer: Viewer, number: number) {
  if (!canReadInvoices(viewer)) return null;
  return getInvoiceDetail(getDb(), viewer.account.id, number, viewerToday(viewer));
}

/** The viewer's invoice before invoice `number` (for "Compared with last month"), or null for a first invoice. */
export async function getPreviousInvoice(viewer: Viewer, number: number) {
  if (!canReadInvoices(viewer)) return null;
  const previous = await previousInvoiceNumber(getDb(), viewer.account.id, number);
  return previous === null ? null : getInvoiceDetail(getDb(), viewer.account.id, previous, viewerToday(viewer));
}

export function streamInvoiceRows(viewer: Viewer, filter: InvoiceFilter) {
  assertInvoiceReader(viewer);
  return allInvoices(getDb(), viewer.account.id, filter, viewerToday(viewer));
}

/** All of these numbers as the viewer's invoices, or null when any is unknown or foreign. */
export async function getInvoicesByNumbers(viewer: Viewer, numbers: number[]) {
  if (!canReadInvoices(viewer)) return null;
  return invoicesByNumbers(getDb(), viewer.account.id, numbers, viewerToday(viewer));
}

/**
 * The viewer's invoice PDF (stored or freshly rendered), or null for a missing or foreign number.
 * A fresh rendering comes with `stored`, which settles once it is kept (never rejects).
 */
export async function getInvoicePdf(viewer: Viewer, number: number) {
  if (!canReadInvoices(viewer)) return null;
  return accountInvoicePdf(viewer.account, number);
}

export type InvoicePdfAnswer = { bytes: Uint8Array; etag: string; fileName: string; stored?: Promise<void> };

/** The account's invoice PDF, or null: the one path for the panel and a share link's holder. */
export async function accountInvoicePdf(account: { id: string; language: Language; timeZone: string }, number: number): Promise<InvoicePdfAnswer | null> {
  const language = account.language;
  const found = await findInvoicePdf(getDb(), account.id, number, language);
  if (!found) return null;
  const fileName = pdfFileName(found);
  if (found.stored) return { ...found.stored, fileName };
  const detail = await getInvoiceDetail(getDb(), account.id, number, accountToday(account.timeZone));
  if (!detail) return null;
  // findInvoicePdf has just found no current stored PDF: render without asking again. The bytes
  // go out while they are being stored (a failed store only means the next request renders again).
  const { stored, ...pdf } = await renderInvoicePdfToStore(getDb(), detail, language);
  return {
    ...pdf,
    fileName,
    stored: stored.catch((err: unknown) => console.error(`Cumulus: storing the PDF of invoice ${number} failed:`, err)),
  };
}

/** The viewer's invoice as a UBL e-invoice (EN 16931, Peppol BIS 3.0), or null for a missing or foreign number. */
export async function getInvoiceUbl(viewer: Viewer, number: number) {
  if (!canReadInvoices(viewer)) return null;
  return eInvoiceFor(getDb(), viewer.account.id, number, viewerToday(viewer), viewer.account.language);
}

/** The Peppol delivery of the viewer's invoice, or null (not sent by Peppol, missing or foreign). */
export async function getInvoiceEInvoiceDelivery(viewer: Viewer, number: number) {
  if (!canReadInvoices(viewer)) return null;
  return eInvoiceDeliveryOf(getDb(), viewer.account.id, number);
}

/** One outstanding invoice of the viewer's as an iCalendar file, or null (missing, foreign or nothing to pay). */
export async function getInvoiceCalendarFile(viewer: Viewer, number: number): Promise<string | null> {
  const [row] = (await getInvoicesByNumbers(viewer, [number])) ?? [];
  if (!row || row.type !== "invoice" || row.outstandingMinor <= 0n) return null;
  return calendarFile([dueDateEvent(row, viewer.account.language)]);
}
