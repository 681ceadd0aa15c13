/**
 * Exact decimal formatting for documents and pages alike: quantities and unit prices are decimal strings from
 * `numeric` columns (a unit price may be a fraction of a minor unit, e.g. 1.9 cents), so they
 * are shifted and grouped as strings, never through a float.
 */
import type { Language } from "@/db/schema";
import { localeOf, minorDigits } from "@/lib/money";

const DECIMAL = /^(-?)(\d+)(?:\.(\d*))?$/;

type Parts = { negative: boolean; whole: string; frac: string };

function parse(value: string): Parts {
  const m = DECIMAL.exec(value.trim());
  if (!m) throw new RangeError(`not a decimal number: ${value}`);
  const whole = (m[2] ?? "0").replace(/^0+(?=\d)/, "");
  const frac = (m[3] ?? "").replace(/0+$/, "");
  const negative = m[1] === "-" && (/[1-9]/.test(whole) || frac.length > 0);
  return { negative, whole, frac };
}

/** "1.9" minor units of EUR → "0.019"; "-250" → "-2.5". Trailing zeros are dropped. */
export function minorToMajorDecimal(minor: string, currency: string): string {
  const { negative, whole, frac } = parse(minor);
  const shift = minorDigits(currency);
  const digits = whole.padStart(shift + 1, "0");
  const newWhole = digits.slice(0, digits.length - shift).replace(/^0+(?=\d)/, "");
  const newFrac = (digits.slice(digits.length - shift) + frac).replace(/0+$/, "");
  return (negative ? "-" : "") + newWhole + (newFrac ? "." + newFrac : "");
}

type Symbols = { group: string; decimal: string; minus: string; groupsFourDigits: boolean };
const symbolsCache = new Map<Language, Symbols>();

/** The locale's separators and minus sign, read once from ICU so they match formatAmount. */
function symbols(language: Language): Symbols {
  let s = symbolsCache.get(language);
  if (!s) {
    const parts = new Intl.NumberFormat(localeOf(language), { useGrouping: true }).formatToParts(-12345.5);
    const find = (type: Intl.NumberFormatPartTypes, fallback: string) =>
      parts.find((p) => p.type === type)?.value ?? fallback;
    // Some locales (e.g. es) leave four-digit numbers ungrouped; follow ICU, as formatAmount does.
    const groupsFourDigits = new Intl.NumberFormat(localeOf(language)).formatToParts(1234).some((p) => p.type === "group");
    s = { group: find("group", ","), decimal: find("decimal", "."), minus: find("minusSign", "-"), groupsFourDigits };
    symbolsCache.set(language, s);
  }
  return s;
}

/**
 * Formats a decimal string for a language with at least `minFraction` and otherwise exactly as
 * many fraction digits as it has: ("1234.5", "sv", 2) → "1 234,50"; ("0.019", "en", 2) → "0.019".
 */
export function formatDecimal(value: string, language: Language, minFraction = 0): string {
  const { negative, whole, frac } = parse(value);
  const { group, decimal, minus, groupsFourDigits } = symbols(language);
  let grouped = whole;
  if (whole.length > 4 || (whole.length === 4 && groupsFourDigits)) {
    grouped = "";
    for (let i = whole.length; i > 0; i -= 3) {
      const chunk = whole.slice(Math.max(0, i - 3), i);
      grouped = grouped ? chunk + group + grouped : chunk;
    }
  }
  const fraction = frac.padEnd(minFraction, "0");
  return (negative ? minus : "") + grouped + (fraction ? decimal + fraction : "");
}

/** Unit price in major units with as many decimals as needed, at least the currency's. */
export function formatUnitPrice(unitPriceMinor: string, currency: string, language: Language): string {
  return formatDecimal(minorToMajorDecimal(unitPriceMinor, currency), language, minorDigits(currency));
}

/** Quantity without trailing zeros: "720.000000" → "720", "1.500000" → "1,5" (sv). */
export function formatQuantity(quantity: string, language: Language): string {
  return formatDecimal(quantity, language, 0);
}
