// next-auth re-exports these; its index needs Next's runtime, which a unit test does not load.
import { CredentialsSignin } from "@auth/core/errors";
import { afterEach, describe, expect, it, vi } from "vitest";
import { authLogger } from "./logger";

class Throttled extends CredentialsSignin {
  override code = "throttled";
}

/** Everything written to the console while `run` runs, as the lines a log would show. */
function logged(run: () => void): string[] {
  const lines: string[] = [];
  const capture = (...args: unknown[]) => lines.push(...args.map((a) => (a instanceof Error ? String(a.stack) : String(a))).join(" ").split("\n"));
  for (const level of ["log", "info", "warn", "error"] as const) vi.spyOn(console, level).mockImplementation(capture);
  run();
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe("authLogger", () => {
  it("a wrong email or password is one line, without a stack trace", () => {
    expect(logged(() => authLogger.error(new CredentialsSignin()))).toEqual(["[auth] sign-in refused: wrong email or password"]);
  });

  it("a locked sign-in is one line that says so", () => {
    expect(logged(() => authLogger.error(new Throttled()))).toEqual(["[auth] sign-in refused: too many failed attempts (locked)"]);
  });

  it("any other error keeps its stack", () => {
    const lines = logged(() => authLogger.error(new Error("the database is gone")));
    expect(lines[0]).toContain("the database is gone");
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join("\n")).toMatch(/at .*logger\.test\.ts/);
  });
});
