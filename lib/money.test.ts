import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  computeTotals,
  divRound,
  formatAmount,
  formatMoney,
  formatRate,
  lineAmountMinor,
  minorDigits,
  toDecimalString,
} from "./money";

const NBSP = "\u00a0"; // Swedish group separator (CLDR sv)
const MINUS = "\u2212"; // Swedish minus sign (U+2212), not the ASCII hyphen

/** Parses "-1234.56" back to minor units, independently of money.ts; requires exactly `digits` decimals. */
function parseMinor(value: string, digits: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) throw new Error(`not a decimal: ${value}`);
  const frac = m[3] ?? "";
  if (frac.length !== digits) throw new Error(`${value} should have ${digits} decimals`);
  if (m[2]!.length > 1 && m[2]!.startsWith("0")) throw new Error(`leading zero in ${value}`);
  const abs = BigInt(m[2]! + frac);
  if (m[1] === "-" && abs === 0n) throw new Error(`negative zero: ${value}`);
  return m[1] === "-" ? -abs : abs;
}

/** Round half away from zero of n/d, written differently from divRound (truncate, then adjust). */
function roundHalfAwayOracle(n: bigint, d: bigint): bigint {
  const q = n / d; // truncates toward zero
  const r = n % d; // same sign as n
  const twiceAbsR = (r < 0n ? -r : r) * 2n;
  if (twiceAbsR >= d) return n < 0n ? q - 1n : q + 1n;
  return q;
}

describe("minorDigits", () => {
  it.each([
    ["EUR", 2],
    ["SEK", 2],
    ["USD", 2],
    ["JPY", 0],
    ["KRW", 0],
    ["BHD", 3],
    ["KWD", 3],
  ])("%s has %i minor digits", (currency, digits) => {
    expect(minorDigits(currency)).toBe(digits);
  });

  it("rejects a malformed currency code", () => {
    expect(() => minorDigits("EURO")).toThrow(RangeError);
  });
});

describe("toDecimalString", () => {
  it.each([
    [123456n, "EUR", "1234.56"],
    [5n, "EUR", "0.05"],
    [-5n, "EUR", "-0.05"],
    [-123456n, "EUR", "-1234.56"],
    [0n, "EUR", "0.00"],
    [100n, "SEK", "1.00"],
    [1234n, "JPY", "1234"],
    [-1234n, "JPY", "-1234"],
    [0n, "JPY", "0"],
    [1234567n, "BHD", "1234.567"],
    [7n, "BHD", "0.007"],
    [-7n, "BHD", "-0.007"],
    // Beyond Number.MAX_SAFE_INTEGER: no float anywhere.
    [1234567890123456789n, "EUR", "12345678901234567.89"],
  ])("%s %s → %s", (minor, currency, expected) => {
    expect(toDecimalString(minor, currency)).toBe(expected);
  });
});

describe("formatAmount", () => {
  it("English: comma groups, point decimals", () => {
    expect(formatAmount(123456n, "EUR", "en")).toBe("1,234.56");
    expect(formatAmount(-123456n, "EUR", "en")).toBe("-1,234.56");
    expect(formatAmount(5n, "EUR", "en")).toBe("0.05");
    expect(formatAmount(123456789n, "EUR", "en")).toBe("1,234,567.89");
    expect(formatAmount(1234n, "JPY", "en")).toBe("1,234");
    expect(formatAmount(1234567n, "BHD", "en")).toBe("1,234.567");
  });

  it("Svenska: no-break space groups, comma decimals, U+2212 minus", () => {
    expect(formatAmount(123456n, "EUR", "sv")).toBe(`1${NBSP}234,56`);
    expect(formatAmount(123456789n, "SEK", "sv")).toBe(`1${NBSP}234${NBSP}567,89`);
    expect(formatAmount(-123456n, "EUR", "sv")).toBe(`${MINUS}1${NBSP}234,56`);
    expect(formatAmount(5n, "SEK", "sv")).toBe("0,05");
    expect(formatAmount(1234n, "JPY", "sv")).toBe(`1${NBSP}234`);
    // The group separator is not a plain space (it must not wrap inside an amount).
    expect(formatAmount(123456n, "EUR", "sv")).not.toContain(" ");
  });

  it("is exact beyond the precision of a double", () => {
    // As a double, 12345678901234567.89 would print as 12,345,678,901,234,568.00.
    expect(formatAmount(1234567890123456789n, "EUR", "en")).toBe("12,345,678,901,234,567.89");
    expect(formatAmount(-9007199254740993n, "JPY", "en")).toBe("-9,007,199,254,740,993");
    expect(formatAmount(1234567890123456789n, "EUR", "sv")).toBe(
      ["12", "345", "678", "901", "234", "567"].join(NBSP) + ",89",
    );
  });

  it("formatMoney appends the currency code", () => {
    expect(formatMoney(123456n, "EUR", "en")).toBe("1,234.56 EUR");
    expect(formatMoney(123456n, "SEK", "sv")).toBe(`1${NBSP}234,56 SEK`);
  });

  it("formatRate shows basis points as percent", () => {
    expect(formatRate(2500, "en")).toBe("25 %");
    expect(formatRate(1250, "en")).toBe("12.5 %");
    expect(formatRate(1250, "sv")).toBe("12,5 %");
    expect(formatRate(0, "sv")).toBe("0 %");
  });
});

describe("divRound (half away from zero)", () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [4n, 2n, 2n],
    [7n, 2n, 4n],
    [-7n, 2n, -4n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [-1n, 3n, 0n],
    [-2n, 3n, -1n],
    [0n, 7n, 0n],
    [15n, 10n, 2n],
    [-15n, 10n, -2n],
    [14n, 10n, 1n],
    [-14n, 10n, -1n],
    // 0.5 of a cent of VAT rounds up, also for a credit.
    [5000n, 10_000n, 1n],
    [-5000n, 10_000n, -1n],
    [4999n, 10_000n, 0n],
  ])("%s / %s = %s", (n, d, expected) => {
    expect(divRound(n, d)).toBe(expected);
  });

  it("refuses a zero or negative denominator", () => {
    expect(() => divRound(1n, 0n)).toThrow(RangeError);
    expect(() => divRound(1n, -2n)).toThrow(RangeError);
  });

  it("agrees with an independent rounding for any numerator and denominator", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (n, d) => {
        const q = divRound(n, d);
        expect(q).toBe(roundHalfAwayOracle(n, d));
        // |q·d − n| ≤ d/2: the nearest integer.
        const err = q * d - n;
        expect((err < 0n ? -err : err) * 2n <= d).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("lineAmountMinor", () => {
  it.each([
    ["720", "1.9", 1368n],
    ["2880", "0.45", 1296n],
    ["1234.567", "0.45", 556n], // 555.55515
    ["0.001", "0.5", 0n], // 0.0005
    ["1", "-5000", -5000n],
    ["0.5", "-1", -1n], // −0.5 rounds away from zero
    ["2.5", "1", 3n], // not banker's rounding
    ["-2.5", "1", -3n],
    ["1.005", "100", 101n], // a double says 100.49999…
    ["0", "19900", 0n],
    ["12345678901234.5", "1000.1", 12346913469124623n], // a double says …624
    ["7777777777777.77", "333.3", 2592333333333331n], // a double says …330
    ["98765432109876.5", "123.45", 12192592593964254n],
    [" 720 ", "1.9", 1368n],
  ])("%s × %s = %s", (quantity, price, expected) => {
    expect(lineAmountMinor(quantity, price)).toBe(expected);
  });

  it("rejects what is not a plain decimal", () => {
    for (const bad of ["1e3", "", "1,5", "abc", "1.", ".5", "--1"]) {
      expect(() => lineAmountMinor(bad, "1"), bad).toThrow(RangeError);
    }
  });

  it("is exact for any decimal quantity and price (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.integer({ min: 0, max: 6 }),
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.integer({ min: 0, max: 6 }),
        (qScaled, qs, pScaled, ps) => {
          const dec = (v: bigint, scale: number) => {
            const abs = (v < 0n ? -v : v).toString().padStart(scale + 1, "0");
            const s = scale === 0 ? abs : `${abs.slice(0, -scale)}.${abs.slice(-scale)}`;
            return (v < 0n ? "-" : "") + s;
          };
          const expected = roundHalfAwayOracle(qScaled * pScaled, 10n ** BigInt(qs + ps));
          expect(lineAmountMinor(dec(qScaled, qs), dec(pScaled, ps))).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("computeTotals", () => {
  it("rounds VAT once per rate group, not per line", () => {
    // Three lines of 0.02 EUR at 25 %: 0.005 VAT each. Per line that would be 3 × 1 = 3 cents;
    // on the group's base of 6 cents it is 1.5 → 2 cents.
    const lines = [
      { amountMinor: 2n, vatRateBp: 2500 },
      { amountMinor: 2n, vatRateBp: 2500 },
      { amountMinor: 2n, vatRateBp: 2500 },
    ];
    const perLine = lines.reduce((sum, l) => sum + divRound(l.amountMinor * BigInt(l.vatRateBp), 10_000n), 0n);
    expect(perLine).toBe(3n);
    const t = computeTotals(lines);
    expect(t).toEqual({
      netMinor: 6n,
      vatMinor: 2n,
      totalMinor: 8n,
      vatGroups: [{ rateBp: 2500, baseMinor: 6n, vatMinor: 2n }],
    });
  });

  it("keeps one group per rate, highest rate first, and nets discounts inside their group", () => {
    const t = computeTotals([
      { amountMinor: 1001n, vatRateBp: 600 }, // 60.06
      { amountMinor: 10_002n, vatRateBp: 2500 },
      { amountMinor: 333n, vatRateBp: 1200 },
      { amountMinor: -2n, vatRateBp: 2500 }, // a discount
      { amountMinor: 1002n, vatRateBp: 600 },
      { amountMinor: 500n, vatRateBp: 0 },
    ]);
    expect(t.vatGroups).toEqual([
      { rateBp: 2500, baseMinor: 10_000n, vatMinor: 2500n },
      { rateBp: 1200, baseMinor: 333n, vatMinor: 40n }, // 39.96
      { rateBp: 600, baseMinor: 2003n, vatMinor: 120n }, // 120.18
      { rateBp: 0, baseMinor: 500n, vatMinor: 0n },
    ]);
    expect(t.netMinor).toBe(12_836n);
    expect(t.vatMinor).toBe(2660n);
    expect(t.totalMinor).toBe(15_496n);
  });

  it("gives zeros and no groups for no lines", () => {
    expect(computeTotals([])).toEqual({ netMinor: 0n, vatMinor: 0n, totalMinor: 0n, vatGroups: [] });
  });

  it("rejects a negative or fractional VAT rate", () => {
    expect(() => computeTotals([{ amountMinor: 1n, vatRateBp: -1 }])).toThrow(RangeError);
    expect(() => computeTotals([{ amountMinor: 1n, vatRateBp: 12.5 }])).toThrow(RangeError);
  });

  const RATES = [0, 600, 1200, 2500] as const;
  const CURRENCIES = ["JPY", "KRW", "EUR", "SEK", "USD", "BHD", "KWD"] as const;
  const DIGITS: Record<(typeof CURRENCIES)[number], number> = { JPY: 0, KRW: 0, EUR: 2, SEK: 2, USD: 2, BHD: 3, KWD: 3 };
  const lineArb = fc.record({
    amountMinor: fc.oneof(
      fc.bigInt({ min: 0n, max: 10n ** 9n }), // up to 10 M EUR per line
      fc.bigInt({ min: -(10n ** 7n), max: -1n }), // discounts and credits
      fc.bigInt({ min: -50n, max: 50n }), // small amounts, where rounding matters most
    ),
    vatRateBp: fc.constantFrom(...RATES),
  });

  it("totals = net + VAT per rate group, with exact sums (property)", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 60 }), fc.constantFrom(...CURRENCIES), (lines, currency) => {
        const t = computeTotals(lines);
        const net = lines.reduce((s, l) => s + l.amountMinor, 0n);
        expect(t.netMinor).toBe(net);

        const rates = [...new Set(lines.map((l) => l.vatRateBp))].sort((a, b) => b - a);
        expect(t.vatGroups.map((g) => g.rateBp)).toEqual(rates);
        let vat = 0n;
        for (const g of t.vatGroups) {
          const base = lines.filter((l) => l.vatRateBp === g.rateBp).reduce((s, l) => s + l.amountMinor, 0n);
          expect(g.baseMinor).toBe(base);
          expect(g.vatMinor).toBe(divRound(base * BigInt(g.rateBp), 10_000n));
          expect(g.vatMinor).toBe(roundHalfAwayOracle(base * BigInt(g.rateBp), 10_000n));
          vat += g.vatMinor;
        }
        expect(t.vatMinor).toBe(vat);
        expect(t.totalMinor).toBe(net + vat);
        // Group rounding is off the exact VAT by at most half a minor unit per group.
        const exactTimes10k = lines.reduce((s, l) => s + l.amountMinor * BigInt(l.vatRateBp), 0n);
        const err = t.vatMinor * 10_000n - exactTimes10k;
        expect((err < 0n ? -err : err) * 2n <= 10_000n * BigInt(t.vatGroups.length)).toBe(true);

        // Amounts survive the trip to a decimal string and back, in any currency.
        const digits = DIGITS[currency];
        expect(minorDigits(currency)).toBe(digits);
        for (const amount of [t.netMinor, t.vatMinor, t.totalMinor, ...lines.map((l) => l.amountMinor)]) {
          const text = toDecimalString(amount, currency);
          expect(parseMinor(text, digits)).toBe(amount);
          // …and the formatted amounts are the same number, only punctuated.
          expect(formatAmount(amount, currency, "en").replaceAll(",", "")).toBe(text);
          expect(
            formatAmount(amount, currency, "sv").replaceAll(NBSP, "").replace(MINUS, "-").replace(",", "."),
          ).toBe(text);
        }
      }),
      { numRuns: 500 },
    );
  });
});
