import { describe, expect, it } from "vitest";
import { lineCategory, minorDecimalToMajor, percentOf, trimDecimal, unitCodeOf } from "./codes";

describe("e-invoice codes", () => {
  it("maps our units to UN/ECE Rec 20, in either language, and compound units to C62", () => {
    expect(unitCodeOf("h")).toEqual({ code: "HUR", exact: true });
    expect(unitCodeOf("month")).toEqual({ code: "MON", exact: true });
    expect(unitCodeOf("månad")).toEqual({ code: "MON", exact: true });
    expect(unitCodeOf("GiB")).toEqual({ code: "E62", exact: true });
    expect(unitCodeOf("st")).toEqual({ code: "C62", exact: true });
    expect(unitCodeOf("GiB·month")).toEqual({ code: "C62", exact: false });
  });

  it("gives a line its VAT category from its rate, the product and the invoice", () => {
    expect(lineCategory(2500, "standard", "standard")).toBe("S");
    expect(lineCategory(0, "standard", "exempt")).toBe("E");
    expect(lineCategory(0, "reverse_charge", "standard")).toBe("AE");
    expect(lineCategory(0, "reverse_charge", "exempt")).toBe("E");
    expect(lineCategory(0, "export", null)).toBe("G");
    expect(lineCategory(0, "standard", null)).toBe("E");
  });

  it("writes decimals exactly", () => {
    expect(minorDecimalToMajor("1.9", "EUR")).toBe("0.019");
    expect(minorDecimalToMajor("19900.000000", "EUR")).toBe("199");
    expect(minorDecimalToMajor("-5000", "EUR")).toBe("-50");
    expect(minorDecimalToMajor("5", "JPY")).toBe("5");
    expect(minorDecimalToMajor("0.45", "SEK")).toBe("0.0045");
    expect(trimDecimal("720.000000")).toBe("720");
    expect(percentOf(2500)).toBe("25");
    expect(percentOf(1250)).toBe("12.5");
    expect(percentOf(0)).toBe("0");
  });
});
