import { describe, expect, it } from "vitest";
import { isTimeZone, timeZoneOptions } from "./time-zones";

describe("time zones", () => {
  it("offers the IANA zones, UTC included, sorted and each once", () => {
    const zones = timeZoneOptions();
    expect(zones).toContain("Europe/Stockholm");
    expect(zones).toContain("America/New_York");
    expect(zones).toContain("UTC");
    expect([...zones].sort()).toEqual(zones);
    expect(new Set(zones).size).toBe(zones.length);
  });

  it("accepts a known zone and nothing else", () => {
    expect(isTimeZone("Europe/Helsinki")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    for (const bad of ["", "europe/stockholm", "Europe/Atlantis", "GMT+1", "Europe/Stockholm ", "../etc/passwd"]) expect(isTimeZone(bad)).toBe(false);
  });
});
