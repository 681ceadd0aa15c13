/**
 * The Dashboard's spend insight (docs/product.md "Dashboard"): this month so far, the forecast
 * and how it is made, by service and region largest first, the 24-month chart and its table
 * alternative, by keyboard, at phone and desktop widths, with axe; invoice access None sees none.
 */
import { expect, expectNoSeriousA11yViolations, test } from "./fixtures";

const amountOf = (text: string) => BigInt(text.replace(/[^\d-−]/g, "").replace("−", "-"));
/** The demo account's today (Europe/Stockholm), as the server computes it. */
const dayOfMonth = () => Number(new Intl.DateTimeFormat("en-GB", { day: "numeric", timeZone: "Europe/Stockholm" }).format(new Date()));

for (const size of [{ name: "phone", width: 390, height: 844 }, { name: "desktop", width: 1440, height: 900 }]) {
  test(`spend insight on the Dashboard (${size.name})`, async ({ asRole }) => {
    test.slow(); // axe twice
    const page = await asRole("demo");
    await page.setViewportSize(size);
    await page.goto("/");
    const spend = page.getByRole("region", { name: "Spend", exact: true });
    const valueOf = (label: string) => spend.getByText(label, { exact: true }).locator("xpath=following-sibling::dd[1]");

    const soFar = await valueOf("This month so far").innerText();
    expect(soFar).toMatch(/^[\d,]+\.\d{2} EUR$/);
    expect(amountOf(soFar)).toBeGreaterThan(0n);
    if (dayOfMonth() < 3) {
      await expect(valueOf("Forecast for the month")).toHaveText("Too early to forecast");
    } else {
      const forecast = await valueOf("Forecast for the month").innerText();
      expect(amountOf(forecast)).toBeGreaterThanOrEqual(amountOf(soFar));
      await expect(spend.getByText(/average daily spend of the last 7 complete days \(before today\)/)).toBeVisible();
    }

    const byServiceRegion = spend.getByRole("table", { name: /by service and region/ });
    const amounts = (await byServiceRegion.getByRole("row").allInnerTexts()).slice(1).map((row) => amountOf(row.split("\t")[2] ?? row));
    expect(amounts.length).toBeGreaterThan(3);
    expect(amounts).toEqual([...amounts].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));

    const chart = spend.getByRole("img", { name: /Spend per month by service/ });
    await expect(chart).toBeVisible();
    await expect(spend.getByRole("list", { name: "Services" }).getByRole("listitem")).toContainText(["Compute", "Storage", "Network"]);
    const history = spend.getByRole("table", { name: /Spend per month by service/ });
    await expect(history).toBeHidden();
    const toggle = spend.getByRole("button", { name: "Show as table" });
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await toggle.focus();
    await page.keyboard.press("Enter");
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await expect(history).toBeVisible();
    await expect(history.getByRole("row")).toHaveCount(25);
    await expect(history.getByRole("columnheader", { name: "Compute" })).toBeVisible();

    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await expectNoSeriousA11yViolations(page);
  });
}

test("invoice access Read sees the spend insight too", async ({ asRole }) => {
  const page = await asRole("reader");
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Spend", exact: true }).getByText("This month so far", { exact: true })).toBeVisible();
});

test("invoice access None sees nothing of spend on the Dashboard", async ({ asRole }) => {
  const page = await asRole("noaccess");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Spend" })).toHaveCount(0);
  for (const text of ["This month so far", "Forecast for the month", "By service and region", "The last 24 months"]) {
    await expect(page.getByText(text)).toHaveCount(0);
  }
});
