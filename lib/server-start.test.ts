/** Production refuses to start without a proper session secret, and refuses the embedded database without the opt-in. */
import { afterEach, describe, expect, it } from "vitest";
import { EmbeddedInProductionError } from "@/db/client";
import { env, resetEnvCache } from "@/lib/env";
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

describe("productionConfigProblems", () => {
  it("refuses a missing or short AUTH_SECRET in production only", () => {
    expect(productionConfigProblems(withEnv({ NODE_ENV: "production", AUTH_SECRET: undefined }))).toEqual([expect.stringMatching(/AUTH_SECRET is not set/)]);
    expect(productionConfigProblems(withEnv({ NODE_ENV: "production", AUTH_SECRET: "short" }))).toEqual([expect.stringMatching(/too short/)]);
    expect(productionConfigProblems(withEnv({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32) }))).toEqual([]);
    expect(productionConfigProblems(withEnv({ NODE_ENV: "development", AUTH_SECRET: undefined }))).toEqual([]);
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
