/**
 * What the Bank transfer panel shows for one invoice, made on the server: the amount formatted
 * and as plain digits to copy, and the payment QR code for what is outstanding now (none in a
 * currency without a format, on a credit note, or when nothing is outstanding).
 */
import type { InvoicePdfLanguage as Language } from "@/lib/invoices/types";
import { formatAmount, toDecimalString } from "@/lib/money";
import { paymentQrFor, type PaymentQrInvoice } from "@/lib/payments/payment-qr";
import { qrSvgPath } from "@/lib/payments/qr-matrix";
import { providerDetails } from "@/lib/provider";
import type { BankAccount, BankTransferInvoice } from "./bank-transfer";

const FORMAT_NAME = { epc: "SEPA credit transfer", "se-bankgiro": "bankgiro payment" } as const;

/** The provider's account that bank transfers go to (lib/provider.ts). */
export function providerBankAccount(): BankAccount {
  const provider = providerDetails();
  return { name: provider.name, iban: provider.iban, bic: provider.bic, bankgiro: provider.bankgiro, organisationNumber: provider.organisationNumber };
}

export function bankTransferInvoice(bank: BankAccount, invoice: PaymentQrInvoice & { number: number }, language: Language): BankTransferInvoice {
  const qr = paymentQrFor(bank, invoice);
  const outstanding = formatAmount(invoice.outstandingMinor, invoice.currency, language);
  return {
    number: invoice.number,
    outstanding,
    outstandingPlain: toDecimalString(invoice.outstandingMinor, invoice.currency),
    paymentReference: invoice.paymentReference,
    qr: qr && {
      ...qrSvgPath(qr.payload),
      label: `QR code for a ${FORMAT_NAME[qr.format]} of ${outstanding} ${invoice.currency} for invoice ${invoice.number}, reference ${invoice.paymentReference}`,
    },
  };
}
