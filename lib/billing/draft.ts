/**
 * One account's invoice for a month, drafted from its summed usage before it is numbered:
 * lines in print order, prices, VAT, totals, dates and the customer block.
 *
 * Totals come from lib/money.ts (lineAmountMinor per line, computeTotals per invoice): the same
 * computation as the invoice page, the PDF, the CSV and the email.
 */
import type { IssuedCustomer, Language, PostalAddress, VatCategory } from "@/db/schema";
import { addDays } from "@/lib/dates";
import { issuedCustomerOf } from "@/lib/invoices/customer";
import type { InvoicePdfLine } from "@/lib/invoices/types";
import { computeTotals, lineAmountMinor } from "@/lib/money";
import type { Period } from "./period";
import { lineVatRateBp, vatFor } from "./vat";

/** What the run reads of an account still to bill. */
export type BillableAccount = {
  id: string;
  name: string;
  countryCode: string;
  currency: string;
  language: Language;
  timeZone: string;
  organisationNumber: string | null;
  vatNumber: string | null;
  purchaseOrder: string | null;
  careOf: string | null;
  street: string;
  zipCode: string;
  city: string;
  billingAddress: PostalAddress | null;
  paymentTermsDays: number;
};

/** One product and region of an account's month, summed, with its price in the account's currency. */
export type UsageRow = {
  account_id: string;
  product_code: string;
  region: string | null;
  quantity: string;
  units_match: boolean;
  service: string;
  label_en: string;
  label_sv: string;
  unit: string;
  vat_category: VatCategory;
  price: string | null;
};

/** A line as the PDF shows it, plus its place and the product it bills. */
export type DraftLine = InvoicePdfLine & { position: number; productCode: string };

export type Draft = {
  accountId: string;
  currency: string;
  language: Language;
  vatCategory: VatCategory;
  invoiceDate: string;
  dueDate: string;
  customer: IssuedCustomer;
  lines: DraftLine[];
  netMinor: bigint;
  vatMinor: bigint;
  totalMinor: bigint;
};

/** The run's options that decide an invoice's dates. */
export type DraftOptions = {
  period: Period;
  /** The date for every account (tests, operators); default: today in each account's time zone. */
  today?: string;
  /** Bill a month that has not ended yet; its invoices are dated the day they are issued. */
  allowOpenPeriod?: boolean;
};

/**
 * The invoice date: the day the invoice is issued in the account's time zone, but never before
 * the first day after the month (an account in a zone behind the provider's) unless the run
 * bills an open month on purpose. The due date follows the account's payment terms.
 */
export function invoiceDates(period: Period, today: string, termsDays: number, allowOpenPeriod: boolean) {
  const invoiceDate = today > period.end || allowOpenPeriod ? (today < period.start ? period.start : today) : addDays(period.end, 1);
  return { invoiceDate, dueDate: addDays(invoiceDate, Math.max(0, termsDays)) };
}

/** Lines in print order: by service, product and region, discounts (negative prices) last. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
function lineOrder(a: UsageRow, b: UsageRow): number {
  const isDiscount = (r: UsageRow) => (r.price !== null && r.price.startsWith("-") ? 1 : 0);
  return (
    isDiscount(a) - isDiscount(b) ||
    compareText(a.service, b.service) ||
    compareText(a.product_code, b.product_code) ||
    compareText(a.region ?? "", b.region ?? "")
  );
}

/** Why the usage cannot be billed as it is, or null. */
function unbillableReason(account: BillableAccount, lines: UsageRow[]): string | null {
  if (lines.length === 0) return "its usage for the month adds up to nothing";
  const unpriced = lines.filter((l) => l.price === null).map((l) => l.product_code);
  if (unpriced.length > 0) return `no price in ${account.currency} for ${[...new Set(unpriced)].join(", ")}`;
  const wrongUnit = lines.filter((l) => !l.units_match).map((l) => l.product_code);
  if (wrongUnit.length > 0) return `usage recorded in another unit than the price list's for ${[...new Set(wrongUnit)].join(", ")}`;
  return null;
}

/** A usage row the run bills, with its amount excl. VAT (null when the product has no price). */
export type PricedUsageRow = UsageRow & { amountMinor: bigint | null };

/**
 * The billing run's pricing, on its own so that the month-to-date preview (month-spend.ts) is
 * the same computation: zero quantities dropped, lines in print order, each line rounded once.
 */
export function priceUsage(usage: UsageRow[]): PricedUsageRow[] {
  return usage
    .filter((u) => !/^-?0*(\.0*)?$/.test(u.quantity))
    .sort(lineOrder)
    .map((u) => ({ ...u, amountMinor: u.price === null ? null : lineAmountMinor(u.quantity, u.price) }));
}

/** An account's invoice for the month, or why it gets none. */
export function draftInvoice(account: BillableAccount, usage: UsageRow[], today: string, opts: DraftOptions): Draft | string {
  const lines = priceUsage(usage);
  const reason = unbillableReason(account, lines);
  if (reason !== null) return reason;
  const vat = vatFor({ countryCode: account.countryCode, vatNumber: account.vatNumber });
  const draftLines: DraftLine[] = lines.map((l, i) => {
    const label = account.language === "sv" ? l.label_sv : l.label_en;
    return {
      position: i + 1,
      service: l.service,
      productCode: l.product_code,
      label: l.region ? `${label} (${l.region})` : label,
      region: l.region,
      quantity: l.quantity,
      unit: l.unit,
      unitPriceMinor: l.price!,
      amountMinor: l.amountMinor!,
      vatRateBp: lineVatRateBp(vat, l.vat_category),
    };
  });
  const totals = computeTotals(draftLines);
  if (totals.totalMinor < 0n) {
    return `its total would be negative (${totals.totalMinor} minor units of ${account.currency}): credit it with a credit note instead`;
  }
  const { invoiceDate, dueDate } = invoiceDates(opts.period, today, account.paymentTermsDays, opts.allowOpenPeriod ?? false);
  return {
    accountId: account.id,
    currency: account.currency.trim(),
    language: account.language,
    vatCategory: vat.category,
    invoiceDate,
    dueDate,
    customer: issuedCustomerOf(account),
    lines: draftLines,
    netMinor: totals.netMinor,
    vatMinor: totals.vatMinor,
    totalMinor: totals.totalMinor,
  };
}
