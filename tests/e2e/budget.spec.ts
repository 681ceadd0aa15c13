/**
 * The Monthly budget in Settings: Full sets and clears it; an amount that is not a positive
 * amount in the account's currency gets a message next to the field and saves nothing. Read
 * sees it without a way to change it; None sees nothing of it. Set on Other Tenant Oy's account
 * (EUR, English) and removed again, so the demo account's dashboard stays as other specs read it.
 */
import { openSettings } from "./card-steps";
import { accountSettingsButton, expect, expectAccountSettingsOpen, expectNoSeriousA11yViolations, test } from "./fixtures";

for (const size of [{ width: 390, height: 844 }, { width: 1440, height: 900 }]) {
  test(`Full sets the monthly budget at ${size.width} px; bad amounts are refused next to the field`, async ({ asRole }) => {
    test.slow(); // four refused amounts, three reloads, the Dashboard, axe three times
    const page = await asRole("other");
    await page.setViewportSize(size);
    let dialog = await openSettings(page);
    const section = dialog.getByRole("region", { name: "Monthly budget" });
    const field = section.getByRole("textbox", { name: "Monthly budget" });
    await expect(field).toHaveValue("");
    await expect(section.getByText("None this month.")).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // No two in a row with the same message: a step waits for its message, so it must be new,
    // or the step's answer could arrive after the next amount was typed and put its own back.
    const refusals: [string, string][] = [
      ["0", "A budget is more than 0. Leave the field empty to remove the budget."],
      ["12.345", "EUR amounts have at most 2 decimals."],
      ["-100", "A budget is more than 0. Leave the field empty to remove the budget."],
      ["a lot", "Enter the budget as an amount in EUR, e.g. 1000 or 1000.50."],
    ];
    for (const [typed, message] of refusals) {
      await field.fill(typed);
      await field.press("Enter");
      await expect(field).toHaveAttribute("aria-invalid", "true");
      await expect(field).toHaveAccessibleDescription(new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      await expect(field).toHaveValue(typed);
    }
    await expectNoSeriousA11yViolations(page);
    await page.reload();
    dialog = await expectAccountSettingsOpen(page);
    await expect(dialog.getByRole("textbox", { name: "Monthly budget" })).toHaveValue("");

    await dialog.getByRole("textbox", { name: "Monthly budget" }).fill("1,500.5");
    await dialog.getByRole("button", { name: "Save budget" }).click();
    await expect(dialog.getByRole("status").filter({ hasText: "Monthly budget saved: 1,500.50 EUR." })).toBeVisible();
    await page.reload();
    dialog = await expectAccountSettingsOpen(page);
    await expect(dialog.getByRole("textbox", { name: "Monthly budget" })).toHaveValue("1500.50");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);

    // The Dashboard's spend section shows the budget as a share of the month so far and of the forecast, in words.
    await page.goto("/");
    const share = page.getByRole("region", { name: "Monthly budget" });
    await expect(share).toContainText("1,500.50 EUR excluding VAT");
    await expect(share.getByRole("definition").first()).toHaveText(/^[\d,]+\.\d{2} EUR, \d+ % of the budget( \(over budget\))?$/);
    await expect(share).toContainText("Forecast for the month");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    await expectNoSeriousA11yViolations(page);

    // Empty removes it, and the Dashboard shows no budget. Opened from the Dashboard's top bar, where the person is.
    await accountSettingsButton(page).click();
    dialog = await expectAccountSettingsOpen(page);
    await dialog.getByRole("tab", { name: "Settings" }).click();
    await dialog.getByRole("textbox", { name: "Monthly budget" }).fill("");
    await dialog.getByRole("button", { name: "Save budget" }).click();
    await expect(dialog.getByRole("status").filter({ hasText: "Monthly budget removed." })).toBeVisible();
    await page.reload();
    dialog = await expectAccountSettingsOpen(page);
    await expect(dialog.getByRole("textbox", { name: "Monthly budget" })).toHaveValue("");
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Spend" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Monthly budget" })).toHaveCount(0);
  });
}

test("Read sees the monthly budget and cannot change it; None sees nothing of it", async ({ asRole }) => {
  const reader = await asRole("reader");
  const dialog = await openSettings(reader);
  const section = dialog.getByRole("region", { name: "Monthly budget" });
  await expect(section).toContainText("No monthly budget is set.");
  await expect(section.getByRole("textbox")).toHaveCount(0);
  await expect(dialog.getByRole("button", { name: "Save budget" })).toHaveCount(0);

  const none = await asRole("noaccess");
  await none.goto("/?settings=settings");
  const noneDialog = await expectAccountSettingsOpen(none);
  await expect(noneDialog.getByText("Monthly budget")).toHaveCount(0);
});
