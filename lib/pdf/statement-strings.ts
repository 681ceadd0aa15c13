/** Every word of an account statement (PDF and CSV), in English and Swedish. */
import type { InvoicePdfLanguage, StatementPdfData } from "@/lib/invoices/types";

export type StatementStrings = {
  statement: string;
  period: string;
  created: string;
  customer: string;
  date: string;
  description: string;
  amount: string;
  balance: string;
  opening: string;
  closing: string;
  accountCredit: string;
  kinds: Record<StatementPdfData["rows"][number]["kind"], string>;
  methods: Record<NonNullable<StatementPdfData["rows"][number]["method"]>, string>;
  /** "for invoice 100012" / "for invoices 100012, 100013" */
  forInvoices: (numbers: number[]) => string;
  creditsInvoice: (number: number) => string;
  noEntries: string;
  balanceNote: string;
};

const en: StatementStrings = {
  statement: "Account statement",
  period: "Period",
  created: "Created",
  customer: "Customer",
  date: "Date",
  description: "Description",
  amount: "Amount",
  balance: "Balance",
  opening: "Opening balance",
  closing: "Closing balance",
  accountCredit: "Account credit",
  kinds: { invoice: "Invoice", credit_note: "Credit note", payment: "Payment" },
  methods: { card: "card", bank_transfer: "bank transfer", account_credit: "account credit" },
  forInvoices: (numbers) => (numbers.length === 1 ? `for invoice ${numbers[0]}` : `for invoices ${numbers.join(", ")}`),
  creditsInvoice: (number) => `crediting invoice ${number}`,
  noEntries: "No invoices, credit notes or payments in this period.",
  balanceNote: "A positive balance is owed to us; a negative one is yours, kept as account credit.",
};

const sv: StatementStrings = {
  statement: "Kontoutdrag",
  period: "Period",
  created: "Skapat",
  customer: "Kund",
  date: "Datum",
  description: "Beskrivning",
  amount: "Belopp",
  balance: "Saldo",
  opening: "Ingående saldo",
  closing: "Utgående saldo",
  accountCredit: "Tillgodohavande",
  kinds: { invoice: "Faktura", credit_note: "Kreditnota", payment: "Betalning" },
  methods: { card: "kort", bank_transfer: "banköverföring", account_credit: "tillgodohavande" },
  forInvoices: (numbers) => (numbers.length === 1 ? `för faktura ${numbers[0]}` : `för fakturor ${numbers.join(", ")}`),
  creditsInvoice: (number) => `krediterar faktura ${number}`,
  noEntries: "Inga fakturor, kreditnotor eller betalningar under perioden.",
  balanceNote: "Ett positivt saldo är skuld till oss; ett negativt är ditt och sparas som tillgodohavande.",
};

const dictionaries: Record<InvoicePdfLanguage, StatementStrings> = { en, sv };

export function statementStrings(language: InvoicePdfLanguage): StatementStrings {
  return dictionaries[language];
}

/** A row's description: "Invoice 100012", "Credit note 100020, crediting invoice 100012", "Payment by card for invoice 100012". */
export function describeStatementRow(row: StatementPdfData["rows"][number], strings: StatementStrings): string {
  if (row.kind === "payment") {
    const how = row.method ? ` (${strings.methods[row.method]})` : "";
    return `${strings.kinds.payment}${how}${row.invoiceNumbers.length > 0 ? ` ${strings.forInvoices(row.invoiceNumbers)}` : ""}`;
  }
  const credits = row.kind === "credit_note" && row.invoiceNumbers[0] !== undefined ? `, ${strings.creditsInvoice(row.invoiceNumbers[0])}` : "";
  return `${strings.kinds[row.kind]} ${row.number}${credits}`;
}
