import { describe, expect, it } from "vitest";
import { budgetAlertEmail, type BudgetAlertData } from "./budget-templates";

const base: BudgetAlertData = {
  language: "en",
  thresholdPercent: 80,
  month: "2026-12-01",
  currency: "EUR",
  budgetMinor: 100_000n,
  spentMinor: 60_000n,
  forecastMinor: 85_050n,
  accountName: "Example <Cloud> AB",
  providerName: "Cumulus Cloud AB",
};

describe("budget alert emails", () => {
  it("names the threshold, month, budget, spend and forecast with their shares, and escapes the HTML", () => {
    const m = budgetAlertEmail(base);
    expect(m.subject).toBe("Budget alert: 80 % of your monthly budget for December 2026");
    for (const body of [m.textBody, m.htmlBody]) {
      expect(body).toContain("1,000.00 EUR");
      expect(body).toContain("600.00 EUR (60 % of the budget)");
      expect(body).toContain("850.50 EUR (85 % of the budget)");
    }
    expect(m.htmlBody).toContain("Example &lt;Cloud&gt; AB");
    expect(m.htmlBody).not.toContain("<Cloud>");
  });

  it("is written in Swedish with Swedish numbers, and says when it is too early to forecast", () => {
    const m = budgetAlertEmail({ ...base, language: "sv", thresholdPercent: 100, spentMinor: 123_456n, forecastMinor: null });
    expect(m.subject).toBe("Budgetvarning: 100 % av månadsbudgeten för december 2026");
    expect(m.textBody).toContain("1\u00a0234,56 EUR (123 % av budgeten)");
    expect(m.textBody).toContain("För tidigt för en prognos");
  });
});
