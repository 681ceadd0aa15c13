/**
 * The invoice's Payment attempts: a card declined on the sandbox's hosted page shows as a
 * failed attempt with its card, channel and reason, at 1440 and 390 px, for Full and (on the
 * demo account, read-only) for Read. Paid on Other Tenant Oy's account, as payments.spec does.
 */
import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, test } from "./fixtures";

async function firstUnpaid(page: Page): Promise<string> {
  await page.goto("/invoices?status=outstanding");
  const label = await page.getByRole("checkbox", { name: /^Select invoice \d+$/ }).first().getAttribute("aria-label");
  return label!.replace("Select invoice ", "");
}

async function expectNoSidewaysScroll(page: Page, widthPx: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(widthPx);
}

test("a declined card shows as a failed attempt with its reason", async ({ asRole }) => {
  const page = await asRole("other");
  await page.setViewportSize({ width: 1440, height: 900 });
  const number = await firstUnpaid(page);
  await page.goto(`/invoices/${number}`);
  await page.getByRole("button", { name: "Pay this invoice" }).click();
  await page.getByRole("dialog", { name: `Invoice no: ${number}` }).getByRole("button", { name: /^Pay .+ EUR$/ }).click();
  await expect(page.getByRole("heading", { name: "Pay Cumulus" })).toBeVisible();
  await page.getByLabel("Card number").fill("4000 0000 0000 0002");
  await page.getByLabel("Expiry").fill("12/30");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page).toHaveURL(new RegExp(`/invoices/${number}\\?payment=`));

  await page.goto(`/invoices/${number}`);
  const section = page.getByRole("region", { name: "Payment attempts" });
  await expect(section.getByRole("heading", { name: "Payment attempts" })).toBeVisible();
  const attempt = section.getByRole("row").filter({ hasText: "Failed" }).first();
  await expect(attempt).toContainText("Visa •••• 0002");
  await expect(attempt).toContainText("Card payment");
  await expect(attempt).toContainText("Reason: Your card was declined.");
  await expect(attempt).toContainText("No receipt: not settled");
  await expectNoSeriousA11yViolations(page);
  await expectNoSidewaysScroll(page, 1440);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(section.getByRole("row").filter({ hasText: "Reason: Your card was declined." }).first()).toBeVisible();
  await expectNoSidewaysScroll(page, 390);
  await expectNoSeriousA11yViolations(page);
});

test("Read sees the attempts of the demo account's partly paid invoice; None gets 404", async ({ asRole }) => {
  const reader = await asRole("reader");
  await reader.goto("/invoices?status=overdue");
  const numbers = await reader.getByRole("checkbox", { name: /^Select invoice \d+$/ }).evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")!.replace("Select invoice ", "")));
  let seen = false;
  for (const number of numbers) {
    await reader.goto(`/invoices/${number}`);
    const rows = reader.getByRole("region", { name: "Payment attempts" }).getByRole("row").filter({ hasText: "Settled" });
    if ((await rows.count()) > 0) {
      await expect(rows.first()).toContainText(/Bank transfer|Card/);
      seen = true;
      break;
    }
  }
  expect(seen, "the demo's partly paid invoice has a settled payment").toBe(true);
  const none = await asRole("noaccess");
  expect((await none.request.get(`/invoices/${numbers[0]}`)).status()).toBe(404);
});
