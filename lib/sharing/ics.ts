/**
 * Due dates as iCalendar (RFC 5545), made with the `ics` package: one all-day event per
 * outstanding invoice on its due date. A due date is a date of the account's own calendar, so
 * it is written as a DATE (no time, no zone): every calendar shows it on that day.
 */
import { createEvents, type EventAttributes } from "ics";
import type { Executor } from "@/db/client";
import type { Language } from "@/db/schema";
import { addDays } from "@/lib/dates";
import { invoiceUrl } from "@/lib/email/templates";
import { appOrigin } from "@/lib/env";
import { allInvoices, type InvoiceRow } from "@/lib/invoices/list";
import { formatMoney } from "@/lib/money";

type DueInvoice = Pick<InvoiceRow, "number" | "dueDate" | "outstandingMinor" | "currency">;

const dateArray = (isoDate: string): [number, number, number] => {
  const [y, m, d] = isoDate.split("-").map(Number);
  return [y!, m!, d!];
};

/** The event of one invoice: stable UID (a calendar updates it), amount and a link in it. */
export function dueDateEvent(invoice: DueInvoice, language: Language): EventAttributes {
  const amount = formatMoney(invoice.outstandingMinor, invoice.currency, language);
  const url = invoiceUrl(invoice.number);
  return {
    uid: `invoice-${invoice.number}@${new URL(appOrigin()).host}`,
    start: dateArray(invoice.dueDate),
    end: dateArray(addDays(invoice.dueDate, 1)),
    title: `Invoice ${invoice.number} due: ${amount}`,
    description: `Invoice ${invoice.number}: ${amount} outstanding, due ${invoice.dueDate}.\n${url}`,
    url,
    transp: "TRANSPARENT",
  };
}

/** An iCalendar file of these events (an empty calendar when there are none). */
export function calendarFile(events: EventAttributes[]): string {
  const { error, value } = createEvents(events, { productId: "cumulus/billing", calName: "Cumulus invoices" });
  if (error || value === null) throw error ?? new Error("ics produced no calendar");
  return value;
}

/** The account's invoices with something outstanding (paid and fully credited ones are not). */
export async function outstandingInvoices(db: Executor, accountId: string, today: string): Promise<DueInvoice[]> {
  const due: DueInvoice[] = [];
  for await (const row of allInvoices(db, accountId, { status: "outstanding", q: undefined, from: undefined, to: undefined }, today)) {
    if (row.type === "invoice" && row.outstandingMinor > 0n) due.push(row);
  }
  return due;
}

/** The feed: every outstanding invoice of the account, each on its due date. */
export async function accountCalendar(db: Executor, accountId: string, today: string, language: Language): Promise<string> {
  const due = await outstandingInvoices(db, accountId, today);
  return calendarFile(due.map((invoice) => dueDateEvent(invoice, language)));
}
