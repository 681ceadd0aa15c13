/** Every word an invoice shows, on its PDF and its page, in English and Swedish. */
import type { InvoicePdfLanguage } from "@/lib/invoices/types";

export type PdfStrings = {
  invoice: string;
  creditNote: string;
  invoiceNumber: string;
  creditNoteNumber: string;
  creditsInvoice: string;
  invoiceDate: string;
  dueDate: string;
  period: string;
  customer: string;
  careOf: string;
  organisationNumber: string;
  vatNumber: string;
  purchaseOrder: string;
  paymentReference: string;
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  vat: string;
  amount: string;
  subtotal: (service: string) => string;
  continued: string;
  sum: string;
  vatOn: (rate: string, base: string) => string;
  vatTotal: string;
  total: string;
  paid: string;
  outstanding: string;
  payment: string;
  payInstruction: (amount: string, dueDate: string) => string;
  nothingToPay: string;
  /** Under the payment QR code. */
  scanToPay: string;
  creditNoteInstruction: (invoiceNumber: string) => string;
  creditNoteNothingToPay: string;
  creditReason: (reason: string) => string;
  iban: string;
  bic: string;
  bankgiro: string;
  email: string;
  web: string;
  page: (page: number, total: number) => string;
  reverseChargeNote: string;
  exportNote: string;
  exemptNote: string;
  /** The groups a line is listed under: the price list's services, and a credit note's. */
  services: Record<ServiceKey, string>;
  /** The units of the price list, and a credit note's. */
  units: Record<UnitKey, string>;
  /** The one line of a credit note. */
  creditLine: (invoiceNumber: number) => string;
};

type ServiceKey = "compute" | "storage" | "network" | "support" | "discount" | "credit";
type UnitKey = "hour" | "gibHour" | "gibMonth" | "gib" | "month" | "piece";

const en: PdfStrings = {
  invoice: "Invoice",
  creditNote: "Credit note",
  invoiceNumber: "Invoice No",
  creditNoteNumber: "Credit note No",
  creditsInvoice: "Credits invoice No",
  invoiceDate: "Invoice date",
  dueDate: "Due date",
  period: "Period",
  customer: "Customer",
  careOf: "c/o",
  organisationNumber: "Org. no.",
  vatNumber: "VAT no.",
  purchaseOrder: "Purchase order",
  paymentReference: "Payment reference",
  description: "Description",
  quantity: "Quantity",
  unit: "Unit",
  unitPrice: "Unit price",
  vat: "VAT",
  amount: "Amount",
  subtotal: (service) => `Subtotal ${service}`,
  continued: "continued",
  sum: "Sum excl. VAT",
  vatOn: (rate, base) => `VAT ${rate} of ${base}`,
  vatTotal: "VAT",
  total: "Total",
  paid: "Paid",
  outstanding: "Outstanding amount",
  payment: "Payment",
  payInstruction: (amount, dueDate) => `Please pay ${amount} by ${dueDate}, quoting the payment reference.`,
  nothingToPay: "Paid in full: there is nothing to pay.",
  scanToPay: "Scan with your banking app",
  creditNoteInstruction: (n) => `This credit note lowers the amount to pay on invoice ${n}.`,
  creditNoteNothingToPay: "There is nothing to pay on a credit note.",
  creditReason: (reason) => `Reason: ${reason}`,
  iban: "IBAN",
  bic: "BIC",
  bankgiro: "Bankgiro",
  email: "Email",
  web: "Web",
  page: (page, total) => `Page ${page} of ${total}`,
  reverseChargeNote: "Reverse charge: VAT to be accounted for by the recipient, Article 196 Council Directive 2006/112/EC.",
  exportNote: "Export of services outside the EU: no VAT charged, the place of supply is outside the EU.",
  exemptNote: "VAT exempt supply.",
  services: { compute: "Compute", storage: "Storage", network: "Network", support: "Support", discount: "Discount", credit: "Credit" },
  units: { hour: "h", gibHour: "GiB·h", gibMonth: "GiB·month", gib: "GiB", month: "month", piece: "pcs" },
  creditLine: (n) => `Credit on invoice ${n}`,
};

const sv: PdfStrings = {
  invoice: "Faktura",
  creditNote: "Kreditfaktura",
  invoiceNumber: "Fakturanummer",
  creditNoteNumber: "Kreditfakturanummer",
  creditsInvoice: "Krediterar faktura",
  invoiceDate: "Fakturadatum",
  dueDate: "Förfallodatum",
  period: "Period",
  customer: "Kund",
  careOf: "c/o",
  organisationNumber: "Org.nr",
  vatNumber: "Momsreg.nr",
  purchaseOrder: "Inköpsorder",
  paymentReference: "Betalningsreferens",
  description: "Beskrivning",
  quantity: "Antal",
  unit: "Enhet",
  unitPrice: "À-pris",
  vat: "Moms",
  amount: "Belopp",
  subtotal: (service) => `Delsumma ${service}`,
  continued: "forts.",
  sum: "Summa exkl. moms",
  vatOn: (rate, base) => `Moms ${rate} på ${base}`,
  vatTotal: "Moms",
  total: "Totalt",
  paid: "Betalt",
  outstanding: "Kvar att betala",
  payment: "Betalning",
  payInstruction: (amount, dueDate) => `Betala ${amount} senast ${dueDate} och ange betalningsreferensen.`,
  nothingToPay: "Betald i sin helhet: inget att betala.",
  scanToPay: "Skanna med din bankapp",
  creditNoteInstruction: (n) => `Denna kreditfaktura minskar beloppet att betala på faktura ${n}.`,
  creditNoteNothingToPay: "Det finns inget att betala på en kreditfaktura.",
  creditReason: (reason) => `Orsak: ${reason}`,
  iban: "IBAN",
  bic: "BIC",
  bankgiro: "Bankgiro",
  email: "E-post",
  web: "Webb",
  page: (page, total) => `Sida ${page} av ${total}`,
  reverseChargeNote:
    "Omvänd skattskyldighet: köparen redovisar mervärdesskatten, artikel 196 i rådets direktiv 2006/112/EG.",
  exportNote: "Export av tjänster utanför EU: ingen moms debiteras, omsättningen sker utanför EU.",
  exemptNote: "Momsfri omsättning.",
  services: { compute: "Beräkning", storage: "Lagring", network: "Nätverk", support: "Support", discount: "Rabatt", credit: "Kredit" },
  units: { hour: "h", gibHour: "GiB·h", gibMonth: "GiB·månad", gib: "GiB", month: "månad", piece: "st" },
  creditLine: (n) => `Kredit på faktura ${n}`,
};

const dictionaries: Record<InvoicePdfLanguage, PdfStrings> = { en, sv };

export function pdfStrings(language: InvoicePdfLanguage): PdfStrings {
  return dictionaries[language];
}

/**
 * A line's service or unit in `language`. Lines keep the words they were issued with, in the
 * language of the day (the price list's English "GiB·month", or a Swedish credit note's "st"),
 * while a document is printed in the account's language now: a known word in either language
 * becomes the same word in `language`; a word this dictionary does not know prints as stored.
 */
function termIn<K extends "services" | "units">(kind: K, stored: string, language: InvoicePdfLanguage): string {
  for (const dictionary of Object.values(dictionaries)) {
    const terms = dictionary[kind] as Record<string, string>;
    const key = Object.keys(terms).find((k) => terms[k] === stored);
    if (key) return (dictionaries[language][kind] as Record<string, string>)[key]!;
  }
  return stored;
}

export const serviceName = (stored: string, language: InvoicePdfLanguage) => termIn("services", stored, language);
export const unitName = (stored: string, language: InvoicePdfLanguage) => termIn("units", stored, language);
