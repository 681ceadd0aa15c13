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
  return dateFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/**
 * One Intl.DateTimeFormat per locale and options, kept: making one costs far more than
 * formatting with one, and a page formats many dates (the Dashboard's chart and table ~130,
 * every panel request the account's day; docs/performance.md). The options are this file's own
 * and the time zones real ones (an unknown zone throws when made, so it is never kept); a bound
 * keeps spellings of zone names (they ignore case) from growing the map.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const MAX_DATE_FORMATS = 1_000;
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    if (dateFormats.size >= MAX_DATE_FORMATS) dateFormats.clear();
    dateFormats.set(key, format);
  }
  return format;
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
  return dateFormat(localeOf(language), { month: "long", year: "numeric", timeZone: "UTC" }).format(toUtc(isoDate));
}

/** "Oct 26" / "okt. 26": a chart's axis. */
export function formatShortMonth(isoDate: string, language: Language): string {
  return dateFormat(localeOf(language), { month: "short", year: "2-digit", timeZone: "UTC" }).format(toUtc(isoDate));
}

/** An instant in the account's time zone: "2026-11-25 14:03 CET". */
export function formatDateTime(instant: Date, timeZone: string, language: Language): string {
  const parts = dateFormat(localeOf(language), {
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
