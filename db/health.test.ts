import { afterEach, describe, expect, it, vi } from "vitest";
import {
  databaseHealth,
  databaseUnavailable,
  isDatabaseUnavailableError,
  noteDatabaseError,
  PROBE_INTERVAL_MS,
  registerDatabaseProbe,
} from "./health";

const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
// drizzle wraps the driver's error: "Failed query: …" with the cause.
const wrapped = Object.assign(new Error("Failed query: select 1"), { cause: refused });

afterEach(() => {
  registerDatabaseProbe(null);
  vi.useRealTimers();
});

describe("isDatabaseUnavailableError", () => {
  it("knows connection failures, also wrapped or aggregated", () => {
    expect(isDatabaseUnavailableError(refused)).toBe(true);
    expect(isDatabaseUnavailableError(wrapped)).toBe(true);
    expect(isDatabaseUnavailableError(new AggregateError([refused], "all addresses failed"))).toBe(true);
    for (const code of ["57P01", "57P03", "08006", "CONNECTION_CLOSED", "CONNECT_TIMEOUT", "ECONNRESET"]) {
      expect(isDatabaseUnavailableError({ code }), code).toBe(true);
    }
  });

  it("leaves failing queries alone", () => {
    for (const code of ["23505", "42501", "40001", "22P02", undefined]) {
      expect(isDatabaseUnavailableError(Object.assign(new Error("query failed"), { code })), String(code)).toBe(false);
    }
    expect(isDatabaseUnavailableError(null)).toBe(false);
    expect(isDatabaseUnavailableError("ECONNREFUSED")).toBe(false);
  });
});

describe("the 503 gate", () => {
  it("never marks anything without a probe (the embedded database)", async () => {
    expect(noteDatabaseError(wrapped)).toBe(false);
    expect(await databaseUnavailable()).toBe(false);
  });

  it("opens on a connection error and closes on the first probe that reaches the database", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.spyOn(console, "error").mockImplementation(() => {});
    let up = false;
    const probe = vi.fn(async () => {
      if (!up) throw refused;
    });
    registerDatabaseProbe(probe);
    expect(await databaseUnavailable()).toBe(false);
    expect(noteDatabaseError(new Error("unique violation"))).toBe(false);
    expect(noteDatabaseError(wrapped)).toBe(true);

    expect(await databaseUnavailable()).toBe(true); // probes at once: still refused
    expect(probe).toHaveBeenCalledTimes(1);
    expect(await databaseUnavailable()).toBe(true); // within the interval: no second probe
    expect(probe).toHaveBeenCalledTimes(1);

    up = true;
    vi.setSystemTime(Date.now() + PROBE_INTERVAL_MS);
    expect(await databaseUnavailable()).toBe(false);
    expect(probe).toHaveBeenCalledTimes(2);
    expect(databaseHealth().unavailableSince).toBeNull();
  });
});
