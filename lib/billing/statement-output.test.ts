import { describe, expect, it } from "vitest";
import { parseStatementParams, statementPeriod } from "./statement-output";

const TODAY = "2026-11-25";

describe("parseStatementParams", () => {
  it("refuses a range that starts after today, on the from field", () => {
    const parsed = parseStatementParams({ period: "range", from: "2026-12-01", to: "2026-12-31" }, TODAY);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? null : parsed.errors.from).toBe("The first day is after today.");
  });

  it("accepts a range starting today or earlier, its end capped to today", () => {
    for (const from of [TODAY, "2026-01-01"]) {
      const parsed = parseStatementParams({ period: "range", from, to: "2026-12-31" }, TODAY);
      expect(parsed.ok).toBe(true);
      expect(statementPeriod(parsed.params, TODAY)).toEqual({ from, to: TODAY });
    }
  });
});
