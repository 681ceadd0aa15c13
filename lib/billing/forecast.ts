/**
 * The month's forecast: spend to date plus, for each day left in the month, the average daily
 * spend of the last seven complete days (before today, the month's own days only): today is not
 * over, so counting it would pull the rate down. Before the 3rd there are too few days to
 * average, so there is no forecast.
 */
import { addDays, endOfMonth } from "@/lib/dates";
import { divRound } from "@/lib/money";

export const FORECAST_WINDOW_DAYS = 7;
/** The first day of the month with a forecast. */
export const FIRST_FORECAST_DAY = 3;

/** The days the daily rate is averaged over, both ends included: none on the 1st. */
export function forecastWindow(today: string): { from: string; to: string; days: number } {
  const dayOfMonth = Number(today.slice(8, 10));
  const days = Math.min(FORECAST_WINDOW_DAYS, dayOfMonth - 1);
  return { from: days === 0 ? today : addDays(today, -days), to: addDays(today, -1), days };
}

/** The month's projected spend in minor units (rounded half away from zero), or null when too early. */
export function forecastMonthMinor(today: string, spentMinor: bigint, windowSpentMinor: bigint): bigint | null {
  const dayOfMonth = Number(today.slice(8, 10));
  if (dayOfMonth < FIRST_FORECAST_DAY) return null;
  const daysLeft = Number(endOfMonth(today).slice(8, 10)) - dayOfMonth;
  const { days } = forecastWindow(today);
  return spentMinor + divRound(windowSpentMinor * BigInt(daysLeft), BigInt(days));
}
