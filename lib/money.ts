/**
 * Money is an integer number of minor units (bigint) with an ISO 4217 currency. Every total on
 * screen, in PDFs, CSV and email comes from `computeTotals`, so they can never disagree.
 */
import type { Language } from "@/db/schema";

const digitsCache = new Map<string, number>();

/** Number of minor-unit digits of a currency (EUR 2, JPY 0, BHD 3), from ICU. */
export function minorDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, d);
  }
  return d;
}

/** Exact decimal string of a minor amount: 123456n EUR → "1234.56", -5n → "-0.05". */
export function toDecimalString(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const negative = minor < 0n;
  const abs = (negative ? -minor : minor).toString().padStart(digits + 1, "0");
  const whole = abs.slice(0, abs.length - digits);
  const frac = abs.slice(abs.length - digits);
  return (negative ? "-" : "") + whole + (digits > 0 ? "." + frac : "");
}

export function localeOf(language: Language): string {
  return language === "sv" ? "sv-SE" : "en-GB";
}

const formatters = new Map<string, Intl.NumberFormat>();
function numberFormat(language: Language, digits: number): Intl.NumberFormat {
  const key = `${language}:${digits}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(localeOf(language), {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, f);
  }
  return f;
}

/** "1,234.56" (English) or "1 234,56" (Svenska); exact, no float in between. */
export function formatAmount(minor: bigint, currency: string, language: Language): string {
  // Intl formats decimal strings exactly (no conversion to a double).
  return numberFormat(language, minorDigits(currency)).format(toDecimalString(minor, currency) as unknown as number);
}

/** "1,234.56 EUR". */
export function formatMoney(minor: bigint, currency: string, language: Language): string {
  return `${formatAmount(minor, currency, language)} ${currency}`;
}

/** A plain decimal amount as files and forms carry it: "1234", "1234.5". */
export const PLAIN_AMOUNT = /^(\d{1,15})(?:\.(\d{1,6}))?$/;

/** A positive plain decimal amount in minor units of `currency`, exactly; null when it is not one (or has more decimals than the currency). */
export function parsePositiveMinor(amount: string, currency: string): bigint | null {
  const m = PLAIN_AMOUNT.exec(amount);
  if (!m) return null;
  const digits = minorDigits(currency);
  const frac = (m[2] ?? "").replace(/0+$/, "");
  if (frac.length > digits) return null;
  const minor = BigInt(m[1]!) * 10n ** BigInt(digits) + BigInt(frac.padEnd(digits, "0") || "0");
  return minor > 0n ? minor : null;
}

/** Divides and rounds half away from zero: the rounding of invoices and VAT. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError("denominator must be positive");
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = (abs * 2n + denominator) / (denominator * 2n);
  return negative ? -q : q;
}

/** Parses a non-negative or negative decimal string into [integer scaled value, scale]. */
function parseDecimal(value: string): [bigint, number] {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new RangeError(`not a decimal number: ${value}`);
  const frac = m[3] ?? "";
  const scaled = BigInt((m[2] ?? "0") + frac);
  return [m[1] === "-" ? -scaled : scaled, frac.length];
}

/** round(quantity × unit price) in minor units, exactly: quantities and prices are decimals. */
export function lineAmountMinor(quantity: string, unitPriceMinor: string): bigint {
  const [q, qs] = parseDecimal(quantity);
  const [p, ps] = parseDecimal(unitPriceMinor);
  return divRound(q * p, 10n ** BigInt(qs + ps));
}

export type VatGroup = { rateBp: number; baseMinor: bigint; vatMinor: bigint };
export type Totals = { netMinor: bigint; vatMinor: bigint; totalMinor: bigint; vatGroups: VatGroup[] };

/** Net, VAT per rate group (rounded once per group, not per line) and total. */
export function computeTotals(lines: ReadonlyArray<{ amountMinor: bigint; vatRateBp: number }>): Totals {
  const bases = new Map<number, bigint>();
  let netMinor = 0n;
  for (const line of lines) {
    if (!Number.isInteger(line.vatRateBp) || line.vatRateBp < 0) throw new RangeError("invalid VAT rate");
    netMinor += line.amountMinor;
    bases.set(line.vatRateBp, (bases.get(line.vatRateBp) ?? 0n) + line.amountMinor);
  }
  const vatGroups = [...bases.entries()]
    .sort(([a], [b]) => b - a)
    .map(([rateBp, baseMinor]) => ({ rateBp, baseMinor, vatMinor: divRound(baseMinor * BigInt(rateBp), 10_000n) }));
  const vatMinor = vatGroups.reduce((sum, g) => sum + g.vatMinor, 0n);
  return { netMinor, vatMinor, totalMinor: netMinor + vatMinor, vatGroups };
}

/** "25 %" / "25 %" — VAT rates are basis points. */
export function formatRate(rateBp: number, language: Language): string {
  return `${new Intl.NumberFormat(localeOf(language), { maximumFractionDigits: 2 }).format(rateBp / 100)} %`;
}

/** A change of money with its sign always written: "+312.40 EUR", "−5.00 EUR", "0.00 EUR". */
export function formatMoneyChange(minor: bigint, currency: string, language: Language): string {
  const sign = minor > 0n ? "+" : minor < 0n ? "−" : "";
  return sign + formatMoney(minor < 0n ? -minor : minor, currency, language);
}

/** A change in hundredths of a percent (4800 → "+48 %", -125 → "−1.3 %"): whole percent from 10 % up. */
export function formatPercentChange(changeBp: number, language: Language): string {
  const percent = changeBp / 100;
  const digits = Math.abs(percent) >= 10 ? 0 : 1;
  const text = new Intl.NumberFormat(localeOf(language), { maximumFractionDigits: digits }).format(Math.abs(percent));
  const sign = text === "0" ? "" : changeBp > 0 ? "+" : changeBp < 0 ? "−" : "";
  return `${sign}${text} %`;
}
