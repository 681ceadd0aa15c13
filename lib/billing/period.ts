/** A billing period is a calendar month, written "2026-10" on the command line. */
import { addDays, addMonths, endOfMonth, isIsoDate } from "@/lib/dates";

export type Period = { label: string; start: string; end: string };

export class BillingInputError extends Error {
  override readonly name = "BillingInputError";
}

/** "2026-10" (or "2026-10-01") → the month's first and last day; anything else is refused. */
export function parsePeriod(value: string): Period {
  const m = /^(\d{4})-(\d{2})(?:-01)?$/.exec(value.trim());
  const start = m ? `${m[1]}-${m[2]}-01` : "";
  if (!m || !isIsoDate(start)) throw new BillingInputError(`--period must be a month like 2026-10, not "${value}".`);
  return { label: start.slice(0, 7), start, end: endOfMonth(start) };
}

export function periodOf(isoDate: string): Period {
  return parsePeriod(isoDate.slice(0, 7));
}

/** The month before the one holding `today`: what a monthly run bills by default. */
export function previousPeriod(today: string): Period {
  return periodOf(addMonths(today, -1));
}

/** A usable `--today`: an ISO date. */
export function parseToday(value: string): string {
  if (!isIsoDate(value.trim())) throw new BillingInputError(`--today must be a date like 2026-11-01, not "${value}".`);
  return value.trim();
}

/** The day after the period: the invoice date of a run made on time. */
export function dayAfter(period: Period): string {
  return addDays(period.end, 1);
}
