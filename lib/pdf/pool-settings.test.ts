import { describe, expect, it } from "vitest";
import { sourceWorkerEnv } from "./pool-settings";

describe("render threads started from source (npm run worker and the other scripts)", () => {
  it("load React's production build, with the rest of the process's environment", () => {
    const parent = { NODE_ENV: "development", DATABASE_URL: "postgres://x", CUMULUS_PDF_NICE: "10" };
    expect(sourceWorkerEnv(parent)).toEqual({ NODE_ENV: "production", DATABASE_URL: "postgres://x", CUMULUS_PDF_NICE: "10" });
    expect(sourceWorkerEnv({})).toEqual({ NODE_ENV: "production" });
    // The process's own environment is left as it was.
    expect(parent.NODE_ENV).toBe("development");
  });
});
