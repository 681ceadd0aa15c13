/**
 * The monthly budget: what a person may type as one, and which of its alert thresholds a
 * month's spend has reached. Pure, so the form, the check and their tests agree.
 */
import type { Language } from "@/db/schema";
import { minorDigits, parsePositiveMinor } from "@/lib/money";

/** Percent of the budget at which the Billing contacts are told, in the order they are reached. */
export const BUDGET_THRESHOLDS = [80, 100] as const;
export type BudgetThreshold = (typeof BUDGET_THRESHOLDS)[number];

/**
 * The thresholds reached by the month's spend to date or by its forecast, whichever is higher:
 * a forecast over the budget is worth knowing before the money is spent. No forecast (too early
 * in the month) counts the spend alone.
 */
export function crossedThresholds(budgetMinor: bigint, spentMinor: bigint, forecastMinor: bigint | null): BudgetThreshold[] {
  if (budgetMinor <= 0n) throw new RangeError("a budget is positive");
  const highestMinor = forecastMinor !== null && forecastMinor > spentMinor ? forecastMinor : spentMinor;
  return BUDGET_THRESHOLDS.filter((percent) => highestMinor * 100n >= budgetMinor * BigInt(percent));
}

/**
 * A part of the budget in whole percent, rounded down (may exceed 100): 79.5 % shows as 79, so
 * no share reads as a threshold (80, 100) that `crossedThresholds` has not reached.
 */
export function budgetSharePercent(partMinor: bigint, budgetMinor: bigint): number {
  const scaled = partMinor * 100n;
  const truncated = scaled / budgetMinor;
  return Number(scaled % budgetMinor < 0n ? truncated - 1n : truncated);
}

export type BudgetInput = { ok: true; budgetMinor: bigint | null } | { ok: false; message: string };

/** English groups with commas ("1,000.50"), Swedish with spaces and a decimal comma ("1 000,50"). */
function plainDecimal(text: string, language: Language): string | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, "");
  if (language === "sv") return compact.replace(",", ".");
  if (!compact.includes(",")) return compact;
  return /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(compact) ? compact.replace(/,/g, "") : null;
}

/**
 * A budget as typed in Settings: empty clears it; otherwise a positive amount in the account's
 * currency with no more decimals than the currency has. The message is what the field shows.
 */
export function parseBudgetInput(text: string, currency: string, language: Language): BudgetInput {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, budgetMinor: null };
  const digits = minorDigits(currency);
  const example = digits === 0 ? "1000" : language === "sv" ? `1000 or 1000,${"5".padEnd(digits, "0")}` : `1000 or 1000.${"5".padEnd(digits, "0")}`;
  const decimal = plainDecimal(trimmed, language);
  if (decimal !== null && /^-/.test(decimal)) return { ok: false, message: "A budget is more than 0. Leave the field empty to remove the budget." };
  const fraction = decimal?.split(".")[1];
  if (decimal !== null && fraction !== undefined && /^\d+\.\d+$/.test(decimal) && fraction.replace(/0+$/, "").length > digits) {
    return { ok: false, message: digits === 0 ? `${currency} amounts have no decimals.` : `${currency} amounts have at most ${digits} decimals.` };
  }
  if (decimal === null || !/^\d+(\.\d+)?$/.test(decimal)) return { ok: false, message: `Enter the budget as an amount in ${currency}, e.g. ${example}.` };
  const budgetMinor = parsePositiveMinor(decimal, currency);
  if (budgetMinor === null) {
    return /^0+(\.0+)?$/.test(decimal)
      ? { ok: false, message: "A budget is more than 0. Leave the field empty to remove the budget." }
      : { ok: false, message: `Enter the budget as an amount in ${currency}, e.g. ${example}.` };
  }
  return { ok: true, budgetMinor };
}
