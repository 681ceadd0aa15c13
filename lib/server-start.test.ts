/**
 * Production refuses to start without a proper session secret, without APP_URL, with the
 * sandbox card provider unless opted in, and refuses the embedded database without the opt-in.
 */
import { afterEach, describe, expect, it } from "vitest";
import { EmbeddedInProductionError } from "@/db/client";
import { appOrigin, env, resetEnvCache } from "@/lib/env";
import { productionConfigProblems } from "./server-start";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

function withEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  return env();
}

/** A production configuration with nothing missing: each test takes one thing away. */
const COMPLETE = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), APP_URL: "https://billing.example.com", PAYMENT_PROVIDER: "stripe", CUMULUS_ALLOW_SANDBOX: undefined };

describe("productionConfigProblems", () => {
  it("refuses a missing or short AUTH_SECRET in production only", () => {
    expect(productionConfigProblems(withEnv({ ...COMPLETE, AUTH_SECRET: undefined }))).toEqual([expect.stringMatching(/AUTH_SECRET is not set/)]);
    expect(productionConfigProblems(withEnv({ ...COMPLETE, AUTH_SECRET: "short" }))).toEqual([expect.stringMatching(/too short/)]);
    expect(productionConfigProblems(withEnv(COMPLETE))).toEqual([]);
    expect(productionConfigProblems(withEnv({ NODE_ENV: "development", AUTH_SECRET: undefined, APP_URL: undefined, PAYMENT_PROVIDER: undefined }))).toEqual([]);
  });

  it("refuses the sandbox card provider in production unless CUMULUS_ALLOW_SANDBOX opts in, saying why", () => {
    for (const provider of [undefined, "sandbox"]) {
      expect(productionConfigProblems(withEnv({ ...COMPLETE, PAYMENT_PROVIDER: provider }))).toEqual([
        expect.stringMatching(/sandbox .*test cards mark invoices paid with no money received.*PAYMENT_PROVIDER=stripe.*CUMULUS_ALLOW_SANDBOX=true/),
      ]);
      for (const no of ["false", "0", ""]) {
        expect(productionConfigProblems(withEnv({ ...COMPLETE, PAYMENT_PROVIDER: provider, CUMULUS_ALLOW_SANDBOX: no }))).toHaveLength(1);
      }
      expect(productionConfigProblems(withEnv({ ...COMPLETE, PAYMENT_PROVIDER: provider, CUMULUS_ALLOW_SANDBOX: "true" }))).toEqual([]);
    }
  });

  it("refuses a production server without APP_URL, and an APP_URL that is more than an origin", () => {
    expect(productionConfigProblems(withEnv({ ...COMPLETE, APP_URL: undefined }))).toEqual([expect.stringMatching(/APP_URL is not set/)]);
    expect(productionConfigProblems(withEnv({ ...COMPLETE, APP_URL: "" }))).toEqual([expect.stringMatching(/APP_URL is not set/)]);
    expect(() => withEnv({ ...COMPLETE, APP_URL: "https://billing.example.com/panel" })).toThrow(/APP_URL: give the origin only/);
    expect(productionConfigProblems(withEnv({ ...COMPLETE, APP_URL: "https://billing.example.com/" }))).toEqual([]);
  });
});

describe("appOrigin", () => {
  it("is APP_URL's origin, else http://localhost:PORT; never anything a request says", () => {
    expect(appOrigin(withEnv({ APP_URL: "https://billing.example.com/", PORT: "4000" }))).toBe("https://billing.example.com");
    expect(appOrigin(withEnv({ APP_URL: "http://billing.example.com:8080" }))).toBe("http://billing.example.com:8080");
    expect(appOrigin(withEnv({ APP_URL: undefined, PORT: "4000" }))).toBe("http://localhost:4000");
  });
});

describe("the embedded database in production", () => {
  it("is refused without CUMULUS_ALLOW_EMBEDDED", async () => {
    withEnv({ NODE_ENV: "production", DATABASE_URL: undefined, CUMULUS_ALLOW_EMBEDDED: undefined });
    const { getDb, closeDatabase } = await import("@/db/client");
    expect(() => getDb()).toThrow(EmbeddedInProductionError);
    await closeDatabase();
  });
});
