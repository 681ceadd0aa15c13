import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUDGET_THRESHOLDS, budgetSharePercent, crossedThresholds, parseBudgetInput } from "./budget";

describe("crossedThresholds", () => {
  it("reaches 80 % and 100 % of the budget exactly at those shares", () => {
    expect(crossedThresholds(100_000n, 79_999n, null)).toEqual([]);
    expect(crossedThresholds(100_000n, 80_000n, null)).toEqual([80]);
    expect(crossedThresholds(100_000n, 99_999n, null)).toEqual([80]);
    expect(crossedThresholds(100_000n, 100_000n, null)).toEqual([80, 100]);
  });

  it("counts the forecast when it is higher than the spend, and the spend when there is no forecast", () => {
    expect(crossedThresholds(100_000n, 10_000n, 85_000n)).toEqual([80]);
    expect(crossedThresholds(100_000n, 10_000n, 120_000n)).toEqual([80, 100]);
    expect(crossedThresholds(100_000n, 90_000n, 50_000n)).toEqual([80]);
  });

  it("never loses a threshold the higher of spend and forecast has reached", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.option(fc.bigInt({ min: 0n, max: 10n ** 13n })), (budget, spent, forecast) => {
        const crossed = crossedThresholds(budget, spent, forecast);
        const highest = forecast !== null && forecast > spent ? forecast : spent;
        for (const percent of BUDGET_THRESHOLDS) expect(crossed.includes(percent)).toBe(highest * 100n >= budget * BigInt(percent));
      }),
    );
  });

  it("refuses a budget that is not positive", () => {
    expect(() => crossedThresholds(0n, 1n, null)).toThrow(RangeError);
  });
});

describe("budgetSharePercent", () => {
  it("rounds down to whole percent, so a share below a threshold never shows as it, and may pass 100", () => {
    expect(budgetSharePercent(80_000n, 100_000n)).toBe(80);
    expect(budgetSharePercent(79_500n, 100_000n)).toBe(79);
    expect(crossedThresholds(100_000n, 79_500n, null)).toEqual([]);
    expect(budgetSharePercent(99_999n, 100_000n)).toBe(99);
    expect(budgetSharePercent(1_005n, 2_000n)).toBe(50);
    expect(budgetSharePercent(-1n, 100_000n)).toBe(-1);
    expect(budgetSharePercent(250_000n, 100_000n)).toBe(250);
  });
});

describe("parseBudgetInput", () => {
  it("reads amounts in the account's number format and currency", () => {
    expect(parseBudgetInput("1000", "EUR", "en")).toEqual({ ok: true, budgetMinor: 100_000n });
    expect(parseBudgetInput("1,000.50", "EUR", "en")).toEqual({ ok: true, budgetMinor: 100_050n });
    expect(parseBudgetInput("1 000,5", "SEK", "sv")).toEqual({ ok: true, budgetMinor: 100_050n });
    expect(parseBudgetInput("1500", "JPY", "en")).toEqual({ ok: true, budgetMinor: 1_500n });
    expect(parseBudgetInput("1.125", "BHD", "en")).toEqual({ ok: true, budgetMinor: 1_125n });
  });

  it("clears the budget when the field is empty", () => {
    expect(parseBudgetInput("  ", "EUR", "en")).toEqual({ ok: true, budgetMinor: null });
  });

  it("refuses wrong decimals, zero, negative amounts and text with a message", () => {
    expect(parseBudgetInput("10.005", "EUR", "en")).toEqual({ ok: false, message: "EUR amounts have at most 2 decimals." });
    expect(parseBudgetInput("10.5", "JPY", "en")).toEqual({ ok: false, message: "JPY amounts have no decimals." });
    expect(parseBudgetInput("0", "EUR", "en")).toEqual({ ok: false, message: "A budget is more than 0. Leave the field empty to remove the budget." });
    expect(parseBudgetInput("0.00", "EUR", "en")).toMatchObject({ ok: false });
    expect(parseBudgetInput("-100", "EUR", "en")).toEqual({ ok: false, message: "A budget is more than 0. Leave the field empty to remove the budget." });
    expect(parseBudgetInput("lots", "EUR", "en")).toEqual({ ok: false, message: "Enter the budget as an amount in EUR, e.g. 1000 or 1000.50." });
    expect(parseBudgetInput("1,00", "EUR", "en")).toMatchObject({ ok: false });
    expect(parseBudgetInput("1e3", "EUR", "en")).toMatchObject({ ok: false });
  });
});
