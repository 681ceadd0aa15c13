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
    for (const bad of ["", "europe/stockholm", "Europe/STOCKHOLM", "Europe/Atlantis", "GMT+1", "+01:00", "Europe/Stockholm ", "../etc/passwd"]) {
      expect(isTimeZone(bad), bad).toBe(false);
    }
  });

  it("accepts current IANA names the runtime's list of suggestions may lack", () => {
    for (const zone of ["Asia/Kolkata", "Europe/Kyiv", "Etc/UTC", "Etc/GMT+1"]) expect(isTimeZone(zone), zone).toBe(true);
    for (const bad of ["asia/kolkata", "ASIA/KOLKATA", "Europe/Kyyiv"]) expect(isTimeZone(bad), bad).toBe(false);
  });
});
