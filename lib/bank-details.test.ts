import { describe, expect, it } from "vitest";
import { BankDetailsError, bankDetailsProblem, compactBic, electronicIban, formatBankgiro } from "./bank-details";

describe("the provider's bank details", () => {
  it("writes an IBAN in its electronic form and refuses wrong check digits", () => {
    expect(electronicIban("de89 3704 0044 0532 0130 00")).toBe("DE89370400440532013000");
    expect(() => electronicIban("SE45 5000 0000 0583 9825 7467")).toThrow(BankDetailsError);
    expect(() => electronicIban("not an iban")).toThrow(BankDetailsError);
  });

  it("takes a BIC of 8 or 11 characters, or none", () => {
    expect(compactBic("esse se ss")).toBe("ESSESESS");
    expect(compactBic("")).toBe("");
    expect(() => compactBic("ESSE")).toThrow(BankDetailsError);
  });

  it("writes the bankgiro number as NNN-NNNN or NNNN-NNNN and refuses a wrong check digit", () => {
    expect(formatBankgiro("50501055")).toBe("5050-1055");
    expect(formatBankgiro("505 1057")).toBe("505-1057");
    expect(() => formatBankgiro("5050-1056")).toThrow(BankDetailsError);
    expect(() => formatBankgiro("12-34")).toThrow(BankDetailsError);
  });

  it("names the problem for a refinement, or none", () => {
    expect(bankDetailsProblem(formatBankgiro, "5050-1055")).toBeNull();
    expect(bankDetailsProblem(formatBankgiro, "5050-1056")).toMatch(/bankgiro/);
  });
});
