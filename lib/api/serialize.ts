/**
 * The API's JSON for invoices and payments: amounts as exact decimal strings with their currency
 * (from bigint minor units, never through a float), dates as ISO 8601. Typed by the schemas the
 * OpenAPI document is made of.
 */
import type { InvoiceDetail } from "@/lib/invoices/detail";
import type { InvoiceRow } from "@/lib/invoices/list";
import type { KeysetPage } from "@/lib/keyset";
import { minorToMajorDecimal } from "@/lib/format/decimal";
import { minorDigits, toDecimalString } from "@/lib/money";
import type { PaymentRow } from "@/lib/payments/list";
import { encodeApiCursor, type ApiInvoice, type ApiInvoiceSummary, type ApiPayment } from "./schemas";

const money = (minor: bigint, currency: string) => ({ amount: toDecimalString(minor, currency), currency });

export function invoiceSummaryJson(row: InvoiceRow): ApiInvoiceSummary {
  return {
    number: row.number,
    type: row.type,
    invoiceDate: row.invoiceDate,
    dueDate: row.dueDate,
    status: row.status,
    net: money(row.netMinor, row.currency),
    vat: money(row.vatMinor, row.currency),
    total: money(row.totalMinor, row.currency),
    outstanding: money(row.outstandingMinor, row.currency),
  };
}

/** A unit price keeps its extra decimals (a fraction of a cent) and has at least the currency's. */
function unitPrice(unitPriceMinor: string, currency: string) {
  const [whole, fraction = ""] = minorToMajorDecimal(unitPriceMinor, currency).split(".");
  const digits = Math.max(minorDigits(currency), fraction.length);
  return { amount: digits === 0 ? whole! : `${whole}.${fraction.padEnd(digits, "0")}`, currency };
}

/** Basis points as a percentage without trailing zeros: 2500 → "25", 1250 → "12.5". */
const percentOf = (rateBp: number) => minorToMajorDecimal(String(rateBp), "EUR");

export function invoiceJson(d: InvoiceDetail): ApiInvoice {
  const c = d.currency;
  return {
    number: d.number,
    type: d.type,
    invoiceDate: String(d.invoiceDate),
    dueDate: String(d.dueDate),
    status: d.status,
    periodStart: String(d.periodStart),
    periodEnd: String(d.periodEnd),
    creditReason: d.creditReason,
    paymentReference: d.paymentReference,
    net: money(d.netMinor, c),
    vat: money(d.vatMinor, c),
    total: money(d.totalMinor, c),
    paid: money(d.settledMinor, c),
    credited: money(d.creditedMinor, c),
    outstanding: money(d.outstandingMinor, c),
    lines: d.lines.map((l) => ({
      service: l.service,
      description: l.label,
      region: l.region,
      quantity: l.quantity,
      unit: l.unit,
      unitPrice: unitPrice(l.unitPriceMinor, c),
      amount: money(l.amountMinor, c),
      vatRatePercent: percentOf(l.vatRateBp),
    })),
    related: d.related.map((r) => ({ number: r.number, type: r.type, invoiceDate: String(r.invoiceDate), total: money(r.totalMinor, c) })),
  };
}

export function paymentJson(row: PaymentRow): ApiPayment {
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    method: row.method,
    card: row.card,
    state: row.state,
    amount: money(row.amountMinor, row.currency),
    invoiceNumbers: row.invoiceNumbers,
  };
}

/** A page of the API: the items and the opaque cursor of the next (older) page, or null at the end. */
export function pageJson<Row, Item>(page: KeysetPage<Row>, toItem: (row: Row) => Item) {
  return { data: page.rows.map(toItem), nextCursor: page.next === null ? null : encodeApiCursor(page.next) };
}
