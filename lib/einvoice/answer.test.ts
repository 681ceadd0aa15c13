import { describe, expect, it } from "vitest";
import { isPermanentRefusal, MAX_RETRY_AFTER_MS, retryAfterMs } from "./answer";

describe("isPermanentRefusal", () => {
  it("gives up on a 4xx except timeout, conflict, too early and too many requests; never on 5xx", () => {
    expect([400, 401, 403, 404, 410, 422].map(isPermanentRefusal)).toEqual([true, true, true, true, true, true]);
    expect([408, 409, 425, 429, 500, 503].map(isPermanentRefusal)).toEqual([false, false, false, false, false, false]);
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("2026-11-01T12:00:00Z");
  it("reads seconds and HTTP dates, never negative nor longer than a day", () => {
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("Sun, 01 Nov 2026 12:05:00 GMT", now)).toBe(300_000);
    expect(retryAfterMs("Sun, 01 Nov 2026 11:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs("9999999", now)).toBe(MAX_RETRY_AFTER_MS);
  });
  it("is null when absent or unreadable", () => {
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs("soon", now)).toBeNull();
  });
});
