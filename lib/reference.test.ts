import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { luhnCheckDigit } from "./luhn";
import { parsePaymentReference, paymentReferenceFor } from "./reference";

/** Whether a full number (payload + check digit) passes the Luhn check, written independently. */
function luhnValid(number: string): boolean {
  let sum = 0;
  [...number].reverse().forEach((ch, i) => {
    const d = Number(ch);
    sum += i % 2 === 1 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][d]! : d;
  });
  return sum % 10 === 0;
}

describe("luhnCheckDigit", () => {
  it.each([
    ["7992739871", 3], // the textbook example
    ["411111111111111", 1], // the 4111 1111 1111 1111 test card
    ["100001", 7],
    ["100036", 3],
    ["123456789", 7],
    ["0", 0],
  ])("%s → %i", (digits, check) => {
    expect(luhnCheckDigit(digits)).toBe(check);
  });

  it("accepts only digits", () => {
    for (const bad of ["", "12a4", "-123", "1 2", "１２"]) expect(() => luhnCheckDigit(bad), bad).toThrow(RangeError);
  });

  it("always yields a number that passes the Luhn check (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,20}$/), (digits) => {
        const check = luhnCheckDigit(digits);
        expect(check).toBeGreaterThanOrEqual(0);
        expect(check).toBeLessThanOrEqual(9);
        expect(luhnValid(digits + String(check))).toBe(true);
      }),
    );
  });
});

describe("payment references", () => {
  it("is the invoice number followed by its check digit", () => {
    expect(paymentReferenceFor(7992739871)).toBe("79927398713");
    expect(paymentReferenceFor(100001)).toBe("1000017");
    expect(paymentReferenceFor(100036)).toBe("1000363");
  });

  it("parses a reference back to its invoice number, ignoring spaces and dashes", () => {
    expect(parsePaymentReference("79927398713")).toBe(7992739871);
    expect(parsePaymentReference("1000017")).toBe(100001);
    expect(parsePaymentReference(" 1000 017 ")).toBe(100001);
    expect(parsePaymentReference("7992-7398-713")).toBe(7992739871);
  });

  it("rejects a wrong check digit", () => {
    for (let d = 0; d <= 9; d++) {
      if (d === 3) continue;
      expect(parsePaymentReference(`7992739871${d}`)).toBeNull();
    }
    expect(parsePaymentReference("1000010")).toBeNull();
  });

  it("rejects a reference with one digit changed", () => {
    expect(parsePaymentReference("79927398813")).toBeNull();
    expect(parsePaymentReference("1000117")).toBeNull();
  });

  it("rejects what is not a reference", () => {
    for (const bad of ["", "7", "abc", "1000017x", "100001.7", "12345678901234567" /* 17 digits */]) {
      expect(parsePaymentReference(bad), bad).toBeNull();
    }
  });

  it("round-trips every invoice number and catches every single-digit typo (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999_999_999_999_999 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (invoiceNumber, position, delta) => {
          const ref = paymentReferenceFor(invoiceNumber);
          expect(ref).toMatch(/^\d+$/);
          expect(ref.slice(0, -1)).toBe(String(invoiceNumber));
          expect(parsePaymentReference(ref)).toBe(invoiceNumber);
          // Change one digit (any position, including the check digit) to another digit.
          const i = position % ref.length;
          const typo = ref.slice(0, i) + String((Number(ref[i]) + delta) % 10) + ref.slice(i + 1);
          expect(typo).not.toBe(ref);
          expect(parsePaymentReference(typo)).toBeNull();
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("catches swapped neighbouring digits (except 0↔9, Luhn's blind spot) (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 999_999_999_999 }), fc.nat(), (invoiceNumber, position) => {
        const ref = paymentReferenceFor(invoiceNumber);
        const i = position % (ref.length - 1);
        const [a, b] = [ref[i]!, ref[i + 1]!];
        fc.pre(a !== b && !(a + b === "09" || a + b === "90"));
        const swapped = ref.slice(0, i) + b + a + ref.slice(i + 2);
        expect(parsePaymentReference(swapped)).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });
});
