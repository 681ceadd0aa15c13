/**
 * The code lists and number formats an EN 16931 document takes: UN/ECE Rec 20 unit codes for
 * our units, VAT category codes (UNCL5305) with their exemption reasons (VATEX), and decimal
 * strings for amounts, prices, quantities and rates.
 */
import type { Language, VatCategory } from "@/db/schema";
import { unitName } from "@/lib/format/invoice-strings";
import { minorDigits } from "@/lib/money";
import { vatNote } from "@/lib/invoices/presentation";

/**
 * Our units (by their English term) in UN/ECE Rec 20. Rec 20 has no compound "GiB·h" or
 * "GiB·month": those lines are counted in C62 ("one") and keep the unit in the item's name.
 */
const REC20_BY_UNIT: Readonly<Record<string, string>> = {
  h: "HUR",
  month: "MON",
  GiB: "E62",
  pcs: "C62",
};
export const FALLBACK_UNIT_CODE = "C62";

/** Whether a line's unit has its own Rec 20 code (else the item name says the unit). */
export function unitCodeOf(storedUnit: string): { code: string; exact: boolean } {
  const code = REC20_BY_UNIT[unitName(storedUnit, "en")];
  return code ? { code, exact: true } : { code: FALLBACK_UNIT_CODE, exact: false };
}

export type VatCategoryCode = "S" | "AE" | "G" | "E";

/**
 * A line's VAT category: a taxed line is S; an untaxed one is what the invoice is (reverse
 * charge AE, export G), or E when the product itself is exempt or the invoice is otherwise
 * untaxed (billing gives 0 % on a standard invoice only to exempt products: lib/billing/vat.ts).
 */
export function lineCategory(vatRateBp: number, invoiceCategory: VatCategory, productCategory: VatCategory | null): VatCategoryCode {
  if (vatRateBp > 0) return "S";
  if (productCategory === "exempt") return "E";
  if (invoiceCategory === "reverse_charge") return "AE";
  if (invoiceCategory === "export") return "G";
  return "E";
}

/** VATEX codes and the reason text of an untaxed category: the PDF's own VAT note, in its language. */
export function exemptionOf(category: VatCategoryCode, language: Language): { code: string | null; reason: string } | null {
  if (category === "AE") return { code: "VATEX-EU-AE", reason: vatNote("reverse_charge", language)! };
  if (category === "G") return { code: "VATEX-EU-G", reason: vatNote("export", language)! };
  if (category === "E") return { code: null, reason: vatNote("exempt", language)! };
  return null;
}

/** Drops trailing fractional zeros: "720.000000" → "720", "0.0450" → "0.045". */
export function trimDecimal(value: string): string {
  return value.includes(".") ? value.replace(/0+$/, "").replace(/\.$/, "") : value;
}

/** A decimal string of minor units as major units, exactly: "1.9" EUR cents → "0.019". */
export function minorDecimalToMajor(value: string, currency: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new RangeError(`not a decimal number: ${value}`);
  const digits = minorDigits(currency);
  const whole = m[2]!.padStart(digits + 1, "0");
  const major = `${whole.slice(0, whole.length - digits).replace(/^0+(?=\d)/, "")}.${whole.slice(whole.length - digits)}${m[3] ?? ""}`;
  const trimmed = trimDecimal(major);
  return m[1] && trimmed !== "0" ? `-${trimmed}` : trimmed;
}

/** Basis points as a percentage: 2500 → "25", 1250 → "12.5". */
export function percentOf(rateBp: number): string {
  return trimDecimal(`${Math.trunc(rateBp / 100)}.${String(rateBp % 100).padStart(2, "0")}`);
}

/** Negates a decimal string. */
export function negateDecimal(value: string): string {
  return value.startsWith("-") ? value.slice(1) : value === "0" ? value : `-${value}`;
}
