/**
 * CSV of invoice rows (RFC 4180 through csv-stringify): amounts as exact decimal strings in
 * major units, never floats. The same columns serve Export CSV and a ZIP's index.csv.
 */
import { csvLine } from "@/lib/csv";
import { toDecimalString } from "@/lib/money";
import { STATUS_LABEL, type InvoiceStatus } from "./balance";
import type { InvoiceRow } from "./list";

/** The Status column: the list's words, except a payment under way, which reads `processing`. */
const CSV_STATUS: Record<InvoiceStatus, string> = { ...STATUS_LABEL, processing: "processing" };

export const CSV_HEADER = ["Invoice No", "Type", "Invoice Date", "Due Date", "Net", "VAT", "Total", "Currency", "Outstanding", "Status"];

export function invoiceCsvRecord(r: InvoiceRow): string {
  return csvLine([
    r.number,
    r.type === "credit_note" ? "Credit note" : "Invoice",
    r.invoiceDate,
    r.dueDate,
    toDecimalString(r.netMinor, r.currency),
    toDecimalString(r.vatMinor, r.currency),
    toDecimalString(r.totalMinor, r.currency),
    r.currency,
    toDecimalString(r.outstandingMinor, r.currency),
    CSV_STATUS[r.status],
  ]);
}

export function invoiceCsv(rows: InvoiceRow[]): string {
  return csvLine(CSV_HEADER) + rows.map(invoiceCsvRecord).join("");
}
