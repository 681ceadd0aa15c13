/**
 * Calendar dates are ISO strings ("2026-11-25") from `date` columns; instants are Dates from
 * `timestamptz` columns, always formatted with the account's explicit time zone.
 */
import type { Language } from "@/db/schema";
import { localeOf } from "./money";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/**
 * The account's calendar date ("2026-11-25") at `now` in its time zone: the one answer to "what
 * day is it" for due dates, reminders, card notices and automatic payment. Throws a RangeError
 * for a zone the runtime does not know.
 */
export function accountToday(timeZone: string, now: Date = new Date()): string {
  return dayFormatter(timeZone).format(now);
}

/**
 * One formatter per time zone, kept: making an Intl.DateTimeFormat costs far more than formatting
 * with one, and every panel request asks for the day (docs/performance.md). Unknown zones throw
 * when made; a bound keeps spellings of the real ones (zone names ignore case) from growing it.
 */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();
const MAX_DAY_FORMATTERS = 1_000;
function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    if (dayFormatters.size >= MAX_DAY_FORMATTERS) dayFormatters.clear();
    dayFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Today in each account's time zone, worked out once per zone: `fixedToday` for every zone when
 * given (tests, operators), and `fallbackToday` for a zone the runtime does not know.
 */
export function todayPerTimeZone(fixedToday: string | undefined, fallbackToday: () => string): (timeZone: string) => string {
  const todayOf = new Map<string, string>();
  return (timeZone) => {
    if (fixedToday !== undefined) return fixedToday;
    let today = todayOf.get(timeZone);
    if (today === undefined) {
      try {
        today = accountToday(timeZone);
      } catch {
        today = fallbackToday();
      }
      todayOf.set(timeZone, today);
    }
    return today;
  };
}

function toUtc(isoDate: string): Date {
  if (!isIsoDate(isoDate)) throw new RangeError(`not a date: ${isoDate}`);
  return new Date(`${isoDate}T00:00:00Z`);
}

export function addDays(isoDate: string, days: number): string {
  const d = toUtc(isoDate);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** First day of the month `months` away from the month holding `isoDate`. */
export function addMonths(isoDate: string, months: number): string {
  const d = toUtc(isoDate);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)).toISOString().slice(0, 10);
}

export function startOfMonth(isoDate: string): string {
  return isoDate.slice(0, 8) + "01";
}

export function endOfMonth(isoDate: string): string {
  return addDays(addMonths(isoDate, 1), -1);
}

/** Calendar dates are shown as ISO dates in both languages: unambiguous in a table. */
export function formatDate(isoDate: string): string {
  return isoDate;
}

/** "October 2026" / "oktober 2026". */
export function formatMonth(isoDate: string, language: Language): string {
  return new Intl.DateTimeFormat(localeOf(language), { month: "long", year: "numeric", timeZone: "UTC" }).format(
    toUtc(isoDate),
  );
}

/** An instant in the account's time zone: "2026-11-25 14:03 CET". */
export function formatDateTime(instant: Date, timeZone: string, language: Language): string {
  const parts = new Intl.DateTimeFormat(localeOf(language), {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).formatToParts(instant);
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")} ${get("timeZoneName")}`;
}
