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
