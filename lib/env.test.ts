/** Yes/no settings: what each spelling means, and what unset means for each setting. */
import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "./env";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

function read(name: "DATABASE_PREPARE" | "CUMULUS_ALLOW_EMBEDDED", value: string | undefined): boolean {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  resetEnvCache();
  return env()[name];
}

describe("yes/no settings", () => {
  it("DATABASE_PREPARE is on unless turned off", () => {
    expect(read("DATABASE_PREPARE", undefined)).toBe(true);
    expect(read("DATABASE_PREPARE", "")).toBe(true);
    for (const yes of ["1", "true", "yes"]) expect(read("DATABASE_PREPARE", yes)).toBe(true);
    for (const no of ["0", "false", "no"]) expect(read("DATABASE_PREPARE", no)).toBe(false);
  });

  it("CUMULUS_ALLOW_EMBEDDED is off unless turned on", () => {
    expect(read("CUMULUS_ALLOW_EMBEDDED", undefined)).toBe(false);
    expect(read("CUMULUS_ALLOW_EMBEDDED", "")).toBe(false);
    for (const yes of ["1", "true", "yes"]) expect(read("CUMULUS_ALLOW_EMBEDDED", yes)).toBe(true);
    for (const no of ["0", "false", "no"]) expect(read("CUMULUS_ALLOW_EMBEDDED", no)).toBe(false);
  });

  it("refuses any other spelling", () => {
    expect(() => read("DATABASE_PREPARE", "off")).toThrow();
  });
});

describe("the provider's bank details", () => {
  function withBank(vars: { IBAN?: string; BIC?: string; BANKGIRO?: string }) {
    for (const key of ["IBAN", "BIC", "BANKGIRO"] as const) {
      const value = vars[key];
      if (value === undefined) delete process.env[`CUMULUS_PROVIDER_${key}`];
      else process.env[`CUMULUS_PROVIDER_${key}`] = value;
    }
    resetEnvCache();
  }

  it("refuses a bad IBAN, BIC or bankgiro at start, naming the setting", () => {
    withBank({ IBAN: "SE45 5000 0000 0583 9825 7467" });
    expect(() => env()).toThrow(/CUMULUS_PROVIDER_IBAN: IBAN check digits are wrong/);
    withBank({ IBAN: "SE45 5000 0000 0583 9825 7466", BIC: "ESSE" });
    expect(() => env()).toThrow(/CUMULUS_PROVIDER_BIC: Not a BIC/);
    withBank({ IBAN: "SE45 5000 0000 0583 9825 7466", BANKGIRO: "5050-1056" });
    expect(() => env()).toThrow(/CUMULUS_PROVIDER_BANKGIRO: Not a bankgiro number/);
  });

  it("refuses a BIC or bankgiro without the IBAN they belong with", () => {
    withBank({ BANKGIRO: "5050-1055" });
    expect(() => env()).toThrow(/CUMULUS_PROVIDER_IBAN/);
  });

  it("takes an empty or unset BIC and bankgiro", () => {
    withBank({ IBAN: "DE89 3704 0044 0532 0130 00", BIC: "", BANKGIRO: "" });
    expect(env().CUMULUS_PROVIDER_BIC).toBeUndefined();
    expect(env().CUMULUS_PROVIDER_BANKGIRO).toBeUndefined();
  });
});
