import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, addMonths, endOfMonth, formatDate, formatDateTime, formatMonth, formatShortMonth, isIsoDate, startOfMonth, accountToday } from "./dates";

describe("isIsoDate", () => {
  it.each(["2026-11-25", "2024-02-29", "2000-02-29", "2026-12-31", "2026-01-01"])("accepts %s", (d) => {
    expect(isIsoDate(d)).toBe(true);
  });

  it.each([
    "2026-02-30", // no such day
    "2026-02-29", // not a leap year
    "2100-02-29", // century, not a leap year
    "2026-04-31",
    "2026-13-01",
    "2026-00-10",
    "2026-11-00",
    "2026-1-05",
    "26-11-25",
    "2026-11-25T00:00:00Z",
    " 2026-11-25",
    "2026/11/25",
    "",
  ])("rejects %j", (d) => {
    expect(isIsoDate(d)).toBe(false);
  });
});

describe("addDays", () => {
  it.each([
    ["2026-11-25", 1, "2026-11-26"],
    ["2026-12-31", 1, "2027-01-01"],
    ["2027-01-01", -1, "2026-12-31"],
    ["2024-02-28", 1, "2024-02-29"],
    ["2024-02-29", 1, "2024-03-01"],
    ["2023-02-28", 1, "2023-03-01"],
    ["2024-03-01", -1, "2024-02-29"],
    ["2026-03-28", 3, "2026-03-31"], // across the spring DST change in Europe: calendar days, not 24 h
    ["2026-10-24", 2, "2026-10-26"],
    ["2026-01-01", 365, "2027-01-01"],
    ["2024-01-01", 366, "2025-01-01"],
    ["2026-11-25", 0, "2026-11-25"],
  ])("%s %+d days = %s", (d, n, expected) => {
    expect(addDays(d, n)).toBe(expected);
  });

  it("refuses an impossible date", () => {
    expect(() => addDays("2026-02-30", 1)).toThrow(RangeError);
  });
});

describe("addMonths (to the first of the month)", () => {
  it.each([
    ["2026-11-25", 1, "2026-12-01"],
    ["2026-11-25", 2, "2027-01-01"],
    ["2026-01-31", 1, "2026-02-01"],
    ["2026-03-15", -1, "2026-02-01"],
    ["2026-03-15", -15, "2024-12-01"],
    ["2026-11-25", -24, "2024-11-01"],
    ["2026-11-25", 0, "2026-11-01"],
    ["2024-02-29", 12, "2025-02-01"],
  ])("%s %+d months = %s", (d, n, expected) => {
    expect(addMonths(d, n)).toBe(expected);
  });
});

describe("startOfMonth / endOfMonth", () => {
  it.each([
    ["2024-02-10", "2024-02-29"],
    ["2023-02-10", "2023-02-28"],
    ["2000-02-01", "2000-02-29"],
    ["2100-02-01", "2100-02-28"],
    ["2026-12-05", "2026-12-31"],
    ["2026-04-30", "2026-04-30"],
    ["2026-01-01", "2026-01-31"],
  ])("end of the month of %s is %s", (d, expected) => {
    expect(endOfMonth(d)).toBe(expected);
  });

  it("start of the month", () => {
    expect(startOfMonth("2026-11-25")).toBe("2026-11-01");
    expect(startOfMonth("2024-02-29")).toBe("2024-02-01");
  });

  it("endOfMonth is the day before the next month starts, for every day 1900–2200 (property)", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2200-12-31T00:00:00Z"), noInvalidDate: true }), (date) => {
        const d = date.toISOString().slice(0, 10);
        const end = endOfMonth(d);
        expect(isIsoDate(end)).toBe(true);
        expect(end.slice(0, 7)).toBe(d.slice(0, 7));
        expect(addDays(end, 1)).toBe(addMonths(d, 1));
        expect(addDays(addDays(d, 40), -40)).toBe(d);
      }),
      { numRuns: 500 },
    );
  });
});

describe("accountToday", () => {
  it("follows the time zone around midnight UTC", () => {
    const lateUtc = new Date("2026-11-24T23:30:00Z");
    expect(accountToday("UTC", lateUtc)).toBe("2026-11-24");
    expect(accountToday("Europe/Stockholm", lateUtc)).toBe("2026-11-25"); // 00:30 CET
    expect(accountToday("Europe/Helsinki", lateUtc)).toBe("2026-11-25");
    expect(accountToday("America/New_York", lateUtc)).toBe("2026-11-24");

    const earlyUtc = new Date("2026-11-25T00:30:00Z");
    expect(accountToday("UTC", earlyUtc)).toBe("2026-11-25");
    expect(accountToday("America/New_York", earlyUtc)).toBe("2026-11-24"); // 19:30 the day before
    expect(accountToday("Pacific/Kiritimati", new Date("2026-11-24T10:00:00Z"))).toBe("2026-11-25"); // UTC+14
  });

  it("uses summer time and crosses the year boundary", () => {
    // 22:30 UTC is 00:30 CEST (UTC+2) in summer, but only 23:30 CET (UTC+1) in winter.
    expect(accountToday("Europe/Stockholm", new Date("2026-06-30T22:30:00Z"))).toBe("2026-07-01");
    expect(accountToday("Europe/Stockholm", new Date("2026-12-30T22:30:00Z"))).toBe("2026-12-30");
    expect(accountToday("Europe/Stockholm", new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01");
    expect(accountToday("UTC", new Date("2026-12-31T23:30:00Z"))).toBe("2026-12-31");
  });

  it("returns an ISO date for the current moment", () => {
    expect(isIsoDate(accountToday("Europe/Stockholm"))).toBe(true);
  });

  it("turns the date at local midnight on both sides of a summer-time change", () => {
    // Stockholm: CET (UTC+1) until 2026-03-29 01:00 UTC, CEST (UTC+2) until 2026-10-25 01:00 UTC.
    expect(accountToday("Europe/Stockholm", new Date("2026-03-28T22:59:00Z"))).toBe("2026-03-28");
    expect(accountToday("Europe/Stockholm", new Date("2026-03-28T23:00:00Z"))).toBe("2026-03-29");
    expect(accountToday("Europe/Stockholm", new Date("2026-03-29T21:59:00Z"))).toBe("2026-03-29"); // 23:59 CEST
    expect(accountToday("Europe/Stockholm", new Date("2026-03-29T22:00:00Z"))).toBe("2026-03-30");
    expect(accountToday("Europe/Stockholm", new Date("2026-10-24T22:00:00Z"))).toBe("2026-10-25"); // 00:00 CEST
    expect(accountToday("Europe/Stockholm", new Date("2026-10-25T22:59:00Z"))).toBe("2026-10-25"); // 23:59 CET
    expect(accountToday("Europe/Stockholm", new Date("2026-10-25T23:00:00Z"))).toBe("2026-10-26");
  });

  it("follows zones west of UTC and the southern summer", () => {
    // New York moves to EDT on 2026-03-08: local midnight is 05:00 UTC before, 04:00 UTC after.
    expect(accountToday("America/New_York", new Date("2026-03-08T04:59:00Z"))).toBe("2026-03-07");
    expect(accountToday("America/New_York", new Date("2026-03-08T05:00:00Z"))).toBe("2026-03-08");
    expect(accountToday("America/New_York", new Date("2026-03-09T03:59:00Z"))).toBe("2026-03-08");
    expect(accountToday("America/New_York", new Date("2026-03-09T04:00:00Z"))).toBe("2026-03-09");
    // Sydney leaves summer time (UTC+11 → UTC+10) on 2026-04-05.
    expect(accountToday("Australia/Sydney", new Date("2026-04-04T13:00:00Z"))).toBe("2026-04-05");
    expect(accountToday("Australia/Sydney", new Date("2026-04-05T13:59:00Z"))).toBe("2026-04-05");
    expect(accountToday("Australia/Sydney", new Date("2026-04-05T14:00:00Z"))).toBe("2026-04-06");
  });

  it("gives dates two days apart for the farthest zones at one instant, and handles half-hour offsets", () => {
    const instant = new Date("2026-11-25T10:30:00Z");
    expect(accountToday("Pacific/Kiritimati", instant)).toBe("2026-11-26"); // UTC+14
    expect(accountToday("UTC", instant)).toBe("2026-11-25");
    expect(accountToday("Pacific/Pago_Pago", instant)).toBe("2026-11-24"); // UTC−11
    expect(accountToday("Asia/Kolkata", new Date("2026-11-25T18:29:00Z"))).toBe("2026-11-25"); // UTC+5:30
    expect(accountToday("Asia/Kolkata", new Date("2026-11-25T18:30:00Z"))).toBe("2026-11-26");
  });

  it("refuses a zone that does not exist", () => {
    expect(() => accountToday("Europe/Atlantis")).toThrow(RangeError);
  });
});

describe("formatDateTime", () => {
  it("shows the instant in the given zone, with its abbreviation", () => {
    expect(formatDateTime(new Date("2026-11-25T13:03:00Z"), "Europe/Stockholm", "en")).toBe("2026-11-25 14:03 CET");
    expect(formatDateTime(new Date("2026-07-01T12:00:00Z"), "Europe/Stockholm", "en")).toBe("2026-07-01 14:00 CEST");
    expect(formatDateTime(new Date("2026-11-25T13:03:00Z"), "UTC", "en")).toBe("2026-11-25 13:03 UTC");
    expect(formatDateTime(new Date("2026-11-25T13:03:00Z"), "Europe/Stockholm", "sv")).toBe("2026-11-25 14:03 CET");
  });

  it("moves to the next day after midnight local time, on a 24-hour clock", () => {
    const instant = new Date("2026-11-24T23:30:00Z");
    expect(formatDateTime(instant, "Europe/Stockholm", "en")).toBe("2026-11-25 00:30 CET");
    expect(formatDateTime(instant, "Europe/Stockholm", "sv")).toBe("2026-11-25 00:30 CET");
    expect(formatDateTime(instant, "UTC", "en")).toBe("2026-11-24 23:30 UTC");
    expect(formatDateTime(new Date("2026-11-25T00:05:00Z"), "UTC", "en")).toBe("2026-11-25 00:05 UTC");
  });

  it("keeps the date order year-month-day in both languages", () => {
    expect(formatDateTime(new Date("2026-03-04T05:06:00Z"), "America/New_York", "en")).toMatch(/^2026-03-04 00:06 /);
  });
});

describe("formatMonth / formatDate", () => {
  it("names the month in the invoice language", () => {
    expect(formatMonth("2026-10-01", "en")).toBe("October 2026");
    expect(formatMonth("2026-10-31", "sv")).toBe("oktober 2026");
    expect(formatMonth("2027-01-01", "sv")).toBe("januari 2027");
  });

  it("shortens the month for a chart's axis, and a kept formatter gives the same text as a fresh one", () => {
    expect(formatShortMonth("2026-10-01", "en")).toBe("Oct 26");
    expect(formatShortMonth("2026-10-01", "sv")).toBe(new Intl.DateTimeFormat("sv-SE", { month: "short", year: "2-digit", timeZone: "UTC" }).format(new Date("2026-10-01T00:00:00Z")));
    // Asked again (now from the kept formatter), English and Swedish do not mix.
    expect([formatMonth("2026-10-01", "en"), formatMonth("2026-10-01", "sv"), formatMonth("2026-10-01", "en")]).toEqual(["October 2026", "oktober 2026", "October 2026"]);
  });

  it("shows calendar dates as ISO dates", () => {
    expect(formatDate("2026-11-25")).toBe("2026-11-25");
  });
});
