/** Invoice reads for the current viewer: access checked here, account id always the viewer's. */
import "server-only";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { todayIn } from "@/lib/dates";
import { invoiceSummary } from "@/lib/invoices/summary";
import { canReadInvoices, type Viewer } from "./session";

/** Throws the 404 of a missing invoice when the viewer has no invoice access. */
export function assertInvoiceReader(viewer: Viewer): void {
  if (!canReadInvoices(viewer)) notFound();
}

export function accountToday(viewer: Viewer): string {
  return todayIn(viewer.account.timeZone);
}

export async function getInvoiceSummary(viewer: Viewer) {
  assertInvoiceReader(viewer);
  return invoiceSummary(getDb(), viewer.account.id, accountToday(viewer));
}
