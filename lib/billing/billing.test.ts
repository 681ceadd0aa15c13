/** The billing run's pure rules: VAT by customer, periods and invoice dates, reminder steps, credit splits, progress. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeTotals } from "@/lib/money";
import { splitCredit } from "./credit";
import { BillingInputError, parsePeriod, previousPeriod } from "./period";
import { progressLine } from "./progress";
import { reminderStepFor } from "@/lib/email/reminder-steps";
import { invoiceDates } from "./draft";
import { EU_COUNTRIES, lineVatRateBp, vatFor } from "./vat";

describe("VAT by customer", () => {
  it("Sweden 25 %; EU with a VAT number reverse charge; EU without one 25 %; outside the EU export", () => {
    expect(vatFor({ countryCode: "SE", vatNumber: "SE556677889901" })).toEqual({ category: "standard", rateBp: 2500 });
    expect(vatFor({ countryCode: "SE", vatNumber: null })).toEqual({ category: "standard", rateBp: 2500 });
    expect(vatFor({ countryCode: "FI", vatNumber: "FI12345678" })).toEqual({ category: "reverse_charge", rateBp: 0 });
    expect(vatFor({ countryCode: "de", vatNumber: "DE123456789" })).toEqual({ category: "reverse_charge", rateBp: 0 });
    expect(vatFor({ countryCode: "DE", vatNumber: null })).toEqual({ category: "standard", rateBp: 2500 });
    expect(vatFor({ countryCode: "DE", vatNumber: "  " })).toEqual({ category: "standard", rateBp: 2500 });
    expect(vatFor({ countryCode: "NO", vatNumber: "NO123456789MVA" })).toEqual({ category: "export", rateBp: 0 });
    expect(vatFor({ countryCode: "GB", vatNumber: null })).toEqual({ category: "export", rateBp: 0 });
    expect(vatFor({ countryCode: "US", vatNumber: null })).toEqual({ category: "export", rateBp: 0 });
    expect(EU_COUNTRIES.size).toBe(27);
    expect(lineVatRateBp({ category: "standard", rateBp: 2500 }, "exempt")).toBe(0);
    expect(lineVatRateBp({ category: "standard", rateBp: 2500 }, "standard")).toBe(2500);
  });
});

describe("periods and invoice dates", () => {
  it("reads a month and refuses anything else", () => {
    expect(parsePeriod("2026-10")).toEqual({ label: "2026-10", start: "2026-10-01", end: "2026-10-31" });
    expect(parsePeriod("2028-02-01")).toEqual({ label: "2028-02", start: "2028-02-01", end: "2028-02-29" });
    for (const bad of ["2026-13", "2026-1", "october", "2026-10-15", ""]) expect(() => parsePeriod(bad)).toThrow(BillingInputError);
    expect(previousPeriod("2026-01-15").label).toBe("2025-12");
  });

  it("dates an invoice the day it is issued, never before the month has ended unless asked, due after the terms", () => {
    const oct = parsePeriod("2026-10");
    expect(invoiceDates(oct, "2026-11-01", 30, false)).toEqual({ invoiceDate: "2026-11-01", dueDate: "2026-12-01" });
    expect(invoiceDates(oct, "2026-11-09", 10, false)).toEqual({ invoiceDate: "2026-11-09", dueDate: "2026-11-19" });
    // An account whose time zone is still on the 31st when the provider's month has ended.
    expect(invoiceDates(oct, "2026-10-31", 30, false)).toEqual({ invoiceDate: "2026-11-01", dueDate: "2026-12-01" });
    expect(invoiceDates(oct, "2026-10-20", 0, true)).toEqual({ invoiceDate: "2026-10-20", dueDate: "2026-10-20" });
  });
});

describe("reminder steps", () => {
  const inv = { invoiceDate: "2026-11-01", dueDate: "2026-12-01" };
  it("is the latest step whose day has come", () => {
    const at = (today: string) => reminderStepFor(inv, today);
    expect(at("2026-11-23")).toBeNull();
    expect(at("2026-11-24")).toBe("due-7");
    expect(at("2026-11-30")).toBe("due-7");
    expect(at("2026-12-01")).toBe("due");
    expect(at("2026-12-07")).toBe("due");
    expect(at("2026-12-08")).toBe("due+7");
    expect(at("2026-12-15")).toBe("due+14");
    expect(at("2027-06-01")).toBe("due+14");
  });
  it("has no step on or before the invoice date", () => {
    expect(reminderStepFor({ invoiceDate: "2026-11-01", dueDate: "2026-11-05" }, "2026-11-03")).toBeNull();
    expect(reminderStepFor({ invoiceDate: "2026-11-01", dueDate: "2026-11-08" }, "2026-11-03")).toBeNull(); // due-7 is the invoice date
    expect(reminderStepFor({ invoiceDate: "2026-11-01", dueDate: "2026-11-01" }, "2026-11-01")).toBeNull();
    expect(reminderStepFor({ invoiceDate: "2026-11-01", dueDate: "2026-11-01" }, "2026-11-08")).toBe("due+7");
  });
});

describe("splitting a credit over VAT rates", () => {
  const total = (split: { rateBp: number; netMinor: bigint }[]) =>
    computeTotals(split.map((s) => ({ amountMinor: s.netMinor, vatRateBp: s.rateBp }))).totalMinor;

  it("adds up exactly, VAT rounded per rate as on every invoice, or says it cannot", () => {
    expect(splitCredit(1_250n, [{ rateBp: 2500, weightMinor: 100n }])).toEqual([{ rateBp: 2500, netMinor: 1_000n }]);
    // With 25 %, net n gives n + round(n / 4): 5k + 2 is never reached.
    expect(splitCredit(1_252n, [{ rateBp: 2500, weightMinor: 100n }])).toBeNull();
    expect(splitCredit(1_251n, [{ rateBp: 2500, weightMinor: 100n }])).toEqual([{ rateBp: 2500, netMinor: 1_001n }]);
    expect(splitCredit(500n, [{ rateBp: 0, weightMinor: 1n }])).toEqual([{ rateBp: 0, netMinor: 500n }]);
    expect(splitCredit(0n, [{ rateBp: 2500, weightMinor: 1n }])).toBeNull();
  });

  it("property: any amount with a zero-rate group, and 25 % amounts not ≡ 2 (mod 5), split exactly in proportion", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.constantFrom(600, 1200, 2500),
        (amount, w1, w2, rate) => {
          const mixed = splitCredit(amount, [
            { rateBp: rate, weightMinor: w1 },
            { rateBp: 0, weightMinor: w2 },
          ]);
          expect(mixed).not.toBeNull();
          expect(total(mixed!)).toBe(amount);
          const single = splitCredit(amount, [{ rateBp: 2500, weightMinor: w1 }]);
          if (amount % 5n === 2n) expect(single).toBeNull();
          else expect(total(single!)).toBe(amount);
        },
      ),
    );
  });
});

describe("progress", () => {
  it("shows done / total, the rate and the time left", () => {
    expect(progressLine({ done: 2_500, total: 10_000, elapsedMs: 5_000 })).toBe("2,500 / 10,000 accounts (25 %), 500/s, about 15 s left");
    expect(progressLine({ done: 10_000, total: 10_000, elapsedMs: 20_000, extra: "10,000 invoices issued" })).toBe(
      "10,000 / 10,000 accounts (100 %), 500/s, done; 10,000 invoices issued",
    );
    expect(progressLine({ done: 3, total: 1_000, elapsedMs: 2_000 })).toBe("3 / 1,000 accounts (0 %), 1.5/s, about 11 min 05 s left");
  });
});
