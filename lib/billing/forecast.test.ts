import { describe, expect, it } from "vitest";
import { forecastMonthMinor, forecastWindow } from "./forecast";

describe("forecastMonthMinor", () => {
  it("is too early before the 3rd of the month", () => {
    expect(forecastMonthMinor("2026-12-01", 5000n, 5000n)).toBeNull();
    expect(forecastMonthMinor("2026-12-02", 9000n, 9000n)).toBeNull();
    // The 3rd: the 1st and 2nd averaged, 28 days left.
    expect(forecastMonthMinor("2026-12-03", 9000n, 9000n)).toBe(9000n + 4500n * 28n);
  });

  it("projects an empty month as nothing", () => {
    expect(forecastMonthMinor("2026-12-15", 0n, 0n)).toBe(0n);
  });

  it("averages the last 7 complete days, today not included, over each day left", () => {
    // 10 December: 7 days averaged, 21 days left of 31.
    expect(forecastMonthMinor("2026-12-10", 100_00n, 70_00n)).toBe(100_00n + 10_00n * 21n);
  });

  it("averages only the month's own days in its first week", () => {
    // 4 April: the 1st to the 3rd averaged, 26 days left of 30.
    expect(forecastWindow("2026-04-04")).toEqual({ from: "2026-04-01", to: "2026-04-03", days: 3 });
    expect(forecastMonthMinor("2026-04-04", 400n, 300n)).toBe(400n + 100n * 26n);
  });

  it("follows each month's length, leap February included", () => {
    expect(forecastMonthMinor("2026-02-14", 0n, 7n)).toBe(14n);
    expect(forecastMonthMinor("2028-02-14", 0n, 7n)).toBe(15n);
    expect(forecastMonthMinor("2026-04-30", 3000n, 700n)).toBe(3000n);
    expect(forecastMonthMinor("2026-12-31", 3000n, 700n)).toBe(3000n);
  });

  it("rounds to whole minor units, half away from zero, in a currency without decimals as in EUR", () => {
    // JPY has no minor digits: 10 yen over the last 7 days, 21 days left: 30 yen more.
    expect(forecastMonthMinor("2026-12-10", 1000n, 10n)).toBe(1030n);
    // 1 cent a week over 23 days left (8 December, 31 days): 23/7 = 3.29 → 3.
    expect(forecastMonthMinor("2026-12-08", 0n, 1n)).toBe(3n);
    // 3 April: 1 minor unit over 2 days, 27 days left: 13.5 → 14, and a net credit -13.5 → -14.
    expect(forecastMonthMinor("2026-04-03", 0n, 1n)).toBe(14n);
    expect(forecastMonthMinor("2026-04-03", 0n, -1n)).toBe(-14n);
  });
});

describe("forecastWindow", () => {
  it("crosses no month boundary and ends yesterday, the last complete day", () => {
    expect(forecastWindow("2026-03-10")).toEqual({ from: "2026-03-03", to: "2026-03-09", days: 7 });
    expect(forecastWindow("2026-03-03")).toEqual({ from: "2026-03-01", to: "2026-03-02", days: 2 });
    expect(forecastWindow("2026-03-01").days).toBe(0);
  });
});
