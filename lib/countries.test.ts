/**
 * The Country list: every ISO 3166-1 country, named in the page's or document's language and
 * sorted the way that language sorts, and accepted by the Customer Info form.
 */
import { describe, expect, it } from "vitest";
import { customerInfoSchema, ZIP_FORMATS } from "@/lib/account/validation";
import { COUNTRY_CODES, countryName, countryOptions } from "./countries";

const customer = {
  firstName: "Ada", lastName: "Lindqvist", companyName: "Ada AB", street: "Gatan 1", city: "Stad",
  zipCode: "12345", vatNumber: "", purchaseOrder: "", careOf: "", separateBilling: "",
};

describe("countries", () => {
  it("lists every officially assigned ISO 3166-1 alpha-2 code once, each one Intl can name", () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(new Set(COUNTRY_CODES).size).toBe(249);
    for (const code of COUNTRY_CODES) expect(countryName(code, "en")).not.toBe(code);
    for (const code of ["AX", "GS", "IO", "KI", "TF", "UM", "VA", "ZW"]) expect(COUNTRY_CODES).toContain(code);
    // Not countries: groupings, withdrawn, reserved and user-assigned codes Intl also names.
    for (const code of ["EU", "UN", "YU", "AN", "AC", "XK", "ZZ"]) expect(COUNTRY_CODES).not.toContain(code);
  });

  it("names a country in the given language", () => {
    expect(countryName("SE", "en")).toBe("Sweden");
    expect(countryName("SE", "sv")).toBe("Sverige");
    expect(countryName("FI", "sv")).toBe("Finland");
    expect(countryName("DE", "sv")).toBe("Tyskland");
    expect(countryName("se", "en")).toBe("Sweden");
    expect(countryName("not a code", "sv")).toBe("not a code");
  });

  it.each(["en", "sv"] as const)("sorts the list by name as %s sorts", (language) => {
    const options = countryOptions(language);
    expect(options.map((o) => o.code).sort()).toEqual([...COUNTRY_CODES].sort());
    const collator = new Intl.Collator(language === "sv" ? "sv-SE" : "en-GB");
    for (let i = 1; i < options.length; i++) expect(collator.compare(options[i - 1]!.name, options[i]!.name)).toBeLessThanOrEqual(0);
    for (const o of options) expect(o.name).toBe(countryName(o.code, language));
  });

  it("sorts Å, Ä and Ö after Z in Swedish, and with A and O in English", () => {
    const sv = countryOptions("sv").map((o) => o.name);
    expect(sv.slice(sv.indexOf("Zimbabwe") + 1)).toEqual(["Åland", "Österrike", "Östtimor"]);
    const en = countryOptions("en").map((o) => o.name);
    expect(en.slice(0, 3)).toEqual(["Afghanistan", "Åland Islands", "Albania"]);
  });

  it("the Customer Info form accepts every listed country and refuses anything else", () => {
    for (const code of COUNTRY_CODES) {
      const zipCode = ZIP_FORMATS[code]?.example ?? customer.zipCode;
      expect(customerInfoSchema.safeParse({ ...customer, countryCode: code, zipCode }).success, code).toBe(true);
    }
    for (const code of ["XK", "EU", "se", ""]) expect(customerInfoSchema.safeParse({ ...customer, countryCode: code }).success).toBe(false);
  });

  it("asks a Greek VAT number to start with EL, as VIES writes it", () => {
    expect(customerInfoSchema.safeParse({ ...customer, countryCode: "GR", vatNumber: "EL123456789" }).success).toBe(true);
    const wrong = customerInfoSchema.safeParse({ ...customer, countryCode: "GR", vatNumber: "GR123456789" });
    expect(wrong.error?.issues.map((i) => i.message)).toEqual(["A VAT number for this country starts with EL."]);
  });
});
