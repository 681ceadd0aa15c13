/**
 * The provider's bank details, checked: lib/env.ts refuses a bad value at start, and the payment
 * QR code (lib/payments/payment-qr.ts) writes the forms checked here. Pure; imports nothing that
 * reads the environment, so env.ts can use it.
 */
import { luhnValid } from "@/lib/luhn";

/** Bank details a transfer or a payment code cannot carry: an operator's configuration error. */
export class BankDetailsError extends Error {
  override readonly name: string = "BankDetailsError";
}

/** The longest IBAN ISO 13616 allows. */
export const IBAN_MAX_LENGTH = 34;

/** An IBAN in its electronic form (no spaces, upper case), checked with ISO 13616's mod 97. */
export function electronicIban(iban: string): string {
  const compact = iban.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/.test(compact) || compact.length > IBAN_MAX_LENGTH) {
    throw new BankDetailsError(`Not an IBAN: ${iban}`);
  }
  const digits = (compact.slice(4) + compact.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  if (BigInt(digits) % 97n !== 1n) throw new BankDetailsError(`IBAN check digits are wrong: ${iban}`);
  return compact;
}

/** A BIC (ISO 9362, 8 or 11 characters) in its compact form; "" stays "" (EPC version 002 makes it optional). */
export function compactBic(bic: string): string {
  const compact = bic.replace(/\s+/g, "").toUpperCase();
  if (compact !== "" && !/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(compact)) throw new BankDetailsError(`Not a BIC: ${bic}`);
  return compact;
}

/** A bankgiro number as "NNN-NNNN" or "NNNN-NNNN", checked with its Luhn check digit. */
export function formatBankgiro(bankgiro: string): string {
  const digits = bankgiro.replace(/[\s-]/g, "");
  if (!/^\d{7,8}$/.test(digits) || !luhnValid(digits)) throw new BankDetailsError(`Not a bankgiro number: ${bankgiro}`);
  return `${digits.slice(0, -4)}-${digits.slice(-4)}`;
}

/** The problem with a value, or null when `check` accepts it: for zod's refinements. */
export function bankDetailsProblem(check: (value: string) => unknown, value: string): string | null {
  try {
    check(value);
    return null;
  } catch (err) {
    if (err instanceof BankDetailsError) return err.message;
    throw err;
  }
}
