/**
 * Invoice detail, "Compared with last month": the three biggest movers named above a table of
 * each line's change against the previous invoice, with the status in words; it fits at 390 px
 * (the table becomes a list) and 1440 px, and passes axe. Reads the demo account only.
 */
import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, test } from "./fixtures";

async function latestInvoiceNumber(page: Page): Promise<string> {
  await page.goto("/invoices");
  const label = await page.getByRole("checkbox", { name: /^Select invoice \d+$/ }).first().getAttribute("aria-label");
  return label!.replace("Select invoice ", "");
}

for (const size of [{ width: 390, height: 844 }, { width: 1440, height: 900 }]) {
  test(`Compared with last month at ${size.width} px: movers, each line's change, by keyboard`, async ({ asRole }) => {
    test.slow(); // three pages and axe
    const page = await asRole("demo");
    await page.setViewportSize(size);
    const number = await latestInvoiceNumber(page);
    await page.goto(`/invoices/${number}`);
    const section = page.getByRole("region", { name: "Compared with last month" });
    await expect(section).toBeVisible();

    // "vCPU (fra1) +312.40 EUR, +48 %": a label, a signed amount in the account's format, a signed percentage or "new".
    const movers = section.getByRole("list", { name: "Biggest changes" }).getByRole("listitem");
    const count = await movers.count();
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(3);
    for (const text of await movers.allTextContents()) expect(text).toMatch(/^.+ [+−][\d,]+\.\d{2} EUR, ([+−]?[\d.]+ %|new|no percentage \(was 0\))$/);

    const table = section.getByRole("table", { name: /Each line against the previous invoice/ });
    const rows = table.getByRole("row");
    expect(await rows.count()).toBeGreaterThan(1);
    // Status in words, never colour alone.
    for (const status of await table.locator("tbody td[data-label='Status']").allTextContents()) expect(["New", "Gone", "Changed", "Unchanged"]).toContain(status);

    // The previous invoice is one keyboard step away.
    const previous = section.getByRole("link", { name: /^invoice \d+$/ });
    const previousNumber = (await previous.textContent())!.replace("invoice ", "");
    await previous.focus();
    await expect(previous).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: `Invoice ${previousNumber}` })).toBeVisible();
    await page.goto(`/invoices/${number}`);

    await expect(section).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    await expectNoSeriousA11yViolations(page);
  });
}

test("Invoice access None gets 404 on the invoice, comparison and all", async ({ asRole }) => {
  const demo = await asRole("demo");
  const number = await latestInvoiceNumber(demo);
  const page = await asRole("noaccess");
  const response = await page.goto(`/invoices/${number}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("region", { name: "Compared with last month" })).toHaveCount(0);
});
