/** The Luhn (mod 10) check digit of a string of digits. */
export function luhnCheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new RangeError("digits only");
  let sum = 0;
  // Double every second digit from the right, starting with the rightmost.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

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
