/** The demo's bank account stands in only while the operator has set none of their own. */
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "./env";
import { providerDetails } from "./provider";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

function bankWith(vars: Record<string, string>) {
  for (const key of ["CUMULUS_PROVIDER_IBAN", "CUMULUS_PROVIDER_BIC", "CUMULUS_PROVIDER_BANKGIRO"]) delete process.env[key];
  Object.assign(process.env, vars);
  resetEnvCache();
  const { iban, bic, bankgiro } = providerDetails();
  return { iban, bic, bankgiro };
}

describe("the provider's bank account", () => {
  it("is the demo's, bankgiro included, when none is configured", () => {
    expect(bankWith({})).toEqual({ iban: "SE45 5000 0000 0583 9825 7466", bic: "ESSESESS", bankgiro: "5050-1055" });
  });

  it("has no bankgiro or BIC of the demo's once the operator sets their IBAN", () => {
    expect(bankWith({ CUMULUS_PROVIDER_IBAN: "DE89 3704 0044 0532 0130 00" })).toEqual({ iban: "DE89 3704 0044 0532 0130 00", bic: "", bankgiro: null });
    expect(bankWith({ CUMULUS_PROVIDER_IBAN: "DE89 3704 0044 0532 0130 00", CUMULUS_PROVIDER_BIC: "COBADEFFXXX", CUMULUS_PROVIDER_BANKGIRO: "505-1057" })).toEqual({
      iban: "DE89 3704 0044 0532 0130 00",
      bic: "COBADEFFXXX",
      bankgiro: "505-1057",
    });
  });
});
