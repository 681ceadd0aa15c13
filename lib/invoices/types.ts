/**
 * Everything an invoice PDF shows, as plain data. It crosses the worker-thread boundary by
 * structured clone, so it holds only strings, numbers, bigints, arrays and plain objects (no
 * Dates, no class instances, no functions).
 */
import type { IssuedCustomer, Language } from "@/db/schema";
import type { StatementRow } from "@/lib/billing/statement";
import type { Totals } from "@/lib/money";

export type InvoicePdfLanguage = Language;
export type InvoicePdfType = "invoice" | "credit_note";
export type InvoicePdfVatCategory = "standard" | "reverse_charge" | "export" | "exempt";

/** The seller: the cloud provider operating the panel. */
export type InvoicePdfProvider = {
  name: string;
  /** Postal address without the country, one line each ("Box 123", "111 22 Stockholm"). */
  addressLines: string[];
  /** ISO 3166-1 alpha-2: each document names the country in its own language. */
  countryCode: string;
  organisationNumber: string;
  vatNumber: string;
  iban: string;
  bic: string;
  /** Swedish Bankgiro number, when the provider has one. */
  bankgiro: string | null;
  email: string;
  web: string | null;
};

/** The customer block as it was when the invoice was issued (never today's address): the invoice row's own type. */
export type InvoicePdfCustomer = IssuedCustomer;

export type InvoicePdfLine = {
  /** Group heading the line is shown under, e.g. "Compute". */
  service: string;
  label: string;
  region: string | null;
  /** Decimal string, e.g. "720.000000". */
  quantity: string;
  unit: string;
  /** Price of one unit in minor units, a decimal string that may be fractional ("1.9"). */
  unitPriceMinor: string;
  amountMinor: bigint;
  /** Basis points: 2500 = 25 %. */
  vatRateBp: number;
};

export type InvoicePdfData = {
  provider: InvoicePdfProvider;
  customer: InvoicePdfCustomer;
  number: number;
  type: InvoicePdfType;
  /** For a credit note: the number of the invoice it credits. */
  creditedInvoiceNumber: number | null;
  /** For a credit note: why the customer is credited, printed with the credited invoice. */
  creditReason: string | null;
  /** ISO calendar dates ("2026-11-01"). */
  invoiceDate: string;
  dueDate: string;
  periodStart: string;
  periodEnd: string;
  currency: string;
  language: InvoicePdfLanguage;
  vatCategory: InvoicePdfVatCategory;
  /** In the order they are printed; lines of one service are grouped under its first line. */
  lines: InvoicePdfLine[];
  /** From computeTotals(lines) in lib/money.ts: the same numbers as on screen, CSV and email. */
  totals: Totals;
  paidMinor: bigint;
  outstandingMinor: bigint;
  paymentReference: string;
  /** A card payment of the invoice is under way: no payment QR code then, as in the panel. */
  paymentUnderWay: boolean;
};

/** A settled payment's receipt: what was paid, when, how, and which invoices it settled. */
export type ReceiptPdfData = {
  provider: InvoicePdfProvider;
  /** The customer block of the first invoice the payment covers, as issued. */
  customer: InvoicePdfCustomer;
  /** The payment id: receipts are numbered by the payment they acknowledge. */
  paymentId: string;
  /** When the payment settled, already formatted in the account's time zone. */
  paidAt: string;
  method: "card" | "bank_transfer" | "account_credit";
  /** "Visa •••• 4242" when the provider told us; never more of a card than that. */
  cardLabel: string | null;
  /** The provider's reference of the charge, or the bank statement's reference. */
  providerReference: string | null;
  currency: string;
  language: InvoicePdfLanguage;
  amountMinor: bigint;
  /** The invoices settled, in invoice-number order. */
  allocations: { number: number; invoiceDate: string; amountMinor: bigint }[];
  /** What was left over and kept as account credit (amount minus allocations). */
  creditMinor: bigint;
};

/** An account statement for a period (lib/billing/statement.ts), with who it is for. */
export type StatementPdfData = {
  provider: InvoicePdfProvider;
  /** The account's name and address as they are today. */
  customer: { name: string; addressLines: string[] };
  currency: string;
  language: InvoicePdfLanguage;
  /** ISO calendar dates, both included. */
  from: string;
  to: string;
  /** When it was made, already formatted in the account's time zone. */
  createdAt: string;
  openingMinor: bigint;
  rows: StatementRow[];
  accountCreditMinor: bigint;
  closingMinor: bigint;
};
