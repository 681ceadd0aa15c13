/**
 * What a banking app reads from an invoice's payment QR code: the payee's account, the exact
 * outstanding amount and the payment reference the bank import matches on (lib/reference.ts).
 *
 * - EUR: the European Payments Council's SEPA credit-transfer QR (EPC069-12, version 002):
 *   eleven lines separated by LF, the last populated one not followed by a line break.
 * - SEK: the Swedish banks' invoice QR ("QR-kod på faktura", the JSON format with `uqr`), to
 *   the provider's bankgiro.
 * - Any other currency, a credit note, or nothing outstanding: no code (null), details in text only.
 *
 * Pure: the payload is text; lib/payments/qr-matrix.ts turns it into modules.
 */
import { BankDetailsError, compactBic, electronicIban, formatBankgiro, IBAN_MAX_LENGTH } from "@/lib/bank-details";
import { toDecimalString } from "@/lib/money";

export type PaymentQrFormat = "epc" | "se-bankgiro";

export type PaymentQr = { format: PaymentQrFormat; payload: string };

/** The payee: the provider's bank details (lib/provider.ts, one home for them). */
export type PaymentQrPayee = {
  name: string;
  iban: string;
  bic: string;
  bankgiro: string | null;
  organisationNumber: string;
};

export type PaymentQrInvoice = {
  type: "invoice" | "credit_note";
  currency: string;
  outstandingMinor: bigint;
  paymentReference: string;
  /** ISO calendar dates ("2026-12-01"). */
  invoiceDate: string;
  dueDate: string;
};

/** A provider's details the format cannot carry (e.g. too long together): an operator's configuration error. */
export class PaymentQrError extends BankDetailsError {
  override readonly name = "PaymentQrError";
}

/** EPC069-12's limits, in characters (the whole payload in bytes). */
export const EPC_LIMITS = { name: 70, iban: IBAN_MAX_LENGTH, remittance: 140, payloadBytes: 331, maxAmountMinor: 99_999_999_999n } as const;

/**
 * The code for an invoice, or null when none may be shown (see the file's comment). Bank details
 * the format cannot carry give null and one log line: a page, PDF or email never fails for a code.
 */
export function paymentQrFor(payee: PaymentQrPayee, invoice: PaymentQrInvoice): PaymentQr | null {
  try {
    return paymentQrOrThrow(payee, invoice);
  } catch (err) {
    if (!(err instanceof BankDetailsError)) throw err;
    console.error(`Cumulus: no payment QR code for reference ${invoice.paymentReference}: ${err.message}`);
    return null;
  }
}

function paymentQrOrThrow(payee: PaymentQrPayee, invoice: PaymentQrInvoice): PaymentQr | null {
  if (invoice.type !== "invoice" || invoice.outstandingMinor <= 0n) return null;
  if (invoice.currency === "EUR") {
    const payload = epcPayload(payee, invoice.outstandingMinor, invoice.paymentReference);
    return payload === null ? null : { format: "epc", payload };
  }
  if (paysToBankgiro(invoice.currency, payee.bankgiro)) {
    return { format: "se-bankgiro", payload: swedishInvoicePayload(payee, invoice) };
  }
  return null;
}

/** Kronor go to the provider's bankgiro when it has one, every other transfer to its IBAN. */
export function paysToBankgiro(currency: string, bankgiro: string | null): bankgiro is string {
  return currency === "SEK" && bankgiro !== null && bankgiro !== "";
}

/** One line of text: no line breaks (they separate the EPC fields), at most `max` characters. */
function oneLine(text: string, max: number): string {
  return Array.from(text.replace(/[\r\n]+/g, " ").trim()).slice(0, max).join("");
}

/**
 * The EPC069-12 payload, or null when the amount is outside what it carries (0.01 to
 * 999 999 999.99 EUR). The reference goes in the unstructured remittance line, as the bank
 * import reads a statement's reference.
 */
export function epcPayload(payee: PaymentQrPayee, amountMinor: bigint, reference: string): string | null {
  if (amountMinor < 1n || amountMinor > EPC_LIMITS.maxAmountMinor) return null;
  const lines = [
    "BCD",
    "002",
    "1", // UTF-8
    "SCT",
    compactBic(payee.bic), // optional in version 002: an empty line
    oneLine(payee.name, EPC_LIMITS.name),
    electronicIban(payee.iban),
    `EUR${toDecimalString(amountMinor, "EUR")}`,
    "", // purpose
    "", // structured (RF) reference: the import matches the invoice's own reference
    oneLine(reference, EPC_LIMITS.remittance),
  ];
  const payload = lines.join("\n");
  if (new TextEncoder().encode(payload).length > EPC_LIMITS.payloadBytes) throw new PaymentQrError("EPC payload longer than 331 bytes");
  return payload;
}

const compactDate = (isoDate: string) => isoDate.replaceAll("-", "");

/**
 * The Swedish banks' invoice QR (JSON, version 1, type 1 = invoice): payee name, country,
 * organisation number, reference (OCR), invoice and due dates (YYYYMMDD), amount due as a JSON
 * number in kronor, currency, and payment type BG with the bankgiro number.
 */
export function swedishInvoicePayload(payee: PaymentQrPayee, invoice: PaymentQrInvoice): string {
  if (!payee.bankgiro) throw new PaymentQrError("No bankgiro number for the Swedish invoice QR");
  return JSON.stringify({
    uqr: 1,
    tp: 1,
    nme: oneLine(payee.name, EPC_LIMITS.name),
    cc: "SE",
    cid: payee.organisationNumber,
    iref: invoice.paymentReference,
    idt: compactDate(invoice.invoiceDate),
    ddt: compactDate(invoice.dueDate),
    // Exact: a decimal of at most 15 significant digits survives the trip through a double.
    due: Number(toDecimalString(invoice.outstandingMinor, "SEK")),
    cur: "SEK",
    pt: "BG",
    acc: formatBankgiro(payee.bankgiro),
  });
}
