import { luhnCheckDigit } from "@/lib/luhn";

/**
 * A bank-transfer payment reference: the invoice number followed by its Luhn check digit, as
 * Swedish OCR references use, so a mistyped reference is caught at import.
 */
export function paymentReferenceFor(invoiceNumber: number): string {
  const base = String(invoiceNumber);
  return base + String(luhnCheckDigit(base));
}

/** Returns the invoice number a reference stands for, or null when its check digit is wrong. */
export function parsePaymentReference(reference: string): number | null {
  const cleaned = reference.replace(/[\s-]/g, "");
  if (!/^\d{2,16}$/.test(cleaned)) return null;
  const base = cleaned.slice(0, -1);
  if (luhnCheckDigit(base) !== Number(cleaned.slice(-1))) return null;
  return Number(base);
}
