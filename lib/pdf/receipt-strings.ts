/** Every word printed on a payment receipt PDF, in English and Swedish. */
import type { InvoicePdfLanguage, ReceiptPdfData } from "@/lib/invoices/types";

export type ReceiptStrings = {
  receipt: string;
  receiptNumber: string;
  paidAt: string;
  method: string;
  methods: Record<ReceiptPdfData["method"], string>;
  card: string;
  reference: string;
  customer: string;
  invoice: string;
  invoiceDate: string;
  amount: string;
  creditKept: string;
  totalPaid: string;
  thanks: string;
};

const en: ReceiptStrings = {
  receipt: "Receipt",
  receiptNumber: "Receipt for payment",
  paidAt: "Paid",
  method: "Payment method",
  methods: { card: "Card payment", bank_transfer: "Bank transfer", account_credit: "Account credit" },
  card: "Card",
  reference: "Reference",
  customer: "Customer",
  invoice: "Invoice No",
  invoiceDate: "Invoice date",
  amount: "Amount",
  creditKept: "Kept as account credit",
  totalPaid: "Total paid",
  thanks: "Thank you: this payment has been received in full and applied to the invoices above.",
};

const sv: ReceiptStrings = {
  receipt: "Kvitto",
  receiptNumber: "Kvitto för betalning",
  paidAt: "Betald",
  method: "Betalningssätt",
  methods: { card: "Kortbetalning", bank_transfer: "Banköverföring", account_credit: "Kontotillgodohavande" },
  card: "Kort",
  reference: "Referens",
  customer: "Kund",
  invoice: "Fakturanummer",
  invoiceDate: "Fakturadatum",
  amount: "Belopp",
  creditKept: "Sparat som tillgodohavande",
  totalPaid: "Totalt betalt",
  thanks: "Tack: betalningen har tagits emot i sin helhet och avräknats mot fakturorna ovan.",
};

const dictionaries: Record<InvoicePdfLanguage, ReceiptStrings> = { en, sv };

export function receiptStrings(language: InvoicePdfLanguage): ReceiptStrings {
  return dictionaries[language];
}
