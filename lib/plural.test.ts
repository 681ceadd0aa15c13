import { describe, expect, it } from "vitest";
import { plural } from "./plural";

const invoicesAre = { one: "# invoice is", other: "# invoices are" };

describe("plural", () => {
  it("picks the English form by Intl.PluralRules", () => {
    expect(plural(1, invoicesAre)).toBe("1 invoice is");
    expect(plural(2, invoicesAre)).toBe("2 invoices are");
    expect(plural(0, invoicesAre)).toBe("0 invoices are");
  });

  it("formats the count for the locale", () => {
    expect(plural(1234, { one: "# invoice", other: "# invoices" })).toBe("1,234 invoices");
    expect(plural(1234, { one: "# faktura", other: "# fakturor" }, "sv")).toBe("1\u00a0234 fakturor");
  });

  it("uses the language's own categories, falling back to other", () => {
    // Polish has "few" and "many"; English has only "one" and "other".
    const pl = { one: "# faktura", few: "# faktury", many: "# faktur", other: "# faktury" };
    expect(plural(2, pl, "pl")).toBe("2 faktury");
    expect(plural(5, pl, "pl")).toBe("5 faktur");
    expect(plural(5, { one: "# faktura", other: "# fakturor" }, "pl")).toBe("5 fakturor");
  });
});
