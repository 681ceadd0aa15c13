/** CSV of payment rows: amounts as exact decimal strings in major units, never floats. */
import type { Language } from "@/db/schema";
import { csvLine } from "@/lib/csv";
import { formatDateTime } from "@/lib/dates";
import { toDecimalString } from "@/lib/money";
import type { PaymentRow } from "./list";
import { PAYMENT_METHOD_LABEL, PAYMENT_STATE_LABEL } from "./states";

export const PAYMENT_CSV_HEADER = ["Date", "Payment ID", "Method", "Card", "Amount", "Currency", "Invoices", "Status"];

export function paymentCsvRecord(r: PaymentRow, timeZone: string, language: Language): string {
  return csvLine([
    formatDateTime(r.createdAt, timeZone, language),
    r.id,
    PAYMENT_METHOD_LABEL[r.method],
    r.card ?? "",
    toDecimalString(r.amountMinor, r.currency),
    r.currency,
    r.invoiceNumbers.join(" "),
    PAYMENT_STATE_LABEL[r.state],
  ]);
}
