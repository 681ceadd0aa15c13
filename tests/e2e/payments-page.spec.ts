/**
 * The Payments page as a person uses it (docs/product.md "Payments"): every payment with its
 * method, amount, invoices and status in words, filters in the URL with messages beside the
 * fields, the CSV of the filtered list, receipts, and who may see it. Keyset paging is proved in
 * tests/integration/payments-list.test.ts (the demo account has fewer payments than a page).
 */
import fs from "node:fs";
import { expect, expectNoSeriousA11yViolations, test } from "./fixtures";

const paymentRows = (page: import("@playwright/test").Page) => page.getByRole("row").filter({ has: page.getByRole("cell") });

test.describe("Payments page", () => {
  test("lists every payment with its invoices, status in words and receipt, after Invoices in the navigation", async ({ asRole }) => {
    test.slow(); // two pages, an invoice, a receipt and axe
    const page = await asRole("demo");
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link")).toContainText(["Invoices", "Payments"]);
    await nav.getByRole("link", { name: "Payments" }).click();
    await expect(page.getByRole("heading", { name: "Payments", level: 1 })).toBeVisible();
    for (const name of ["Date", "Method", "Amount", "Invoices", "Status", "Receipt"]) {
      await expect(page.getByRole("columnheader", { name, exact: true })).toBeVisible();
    }
    const total = Number(/· (\d+) payments?/.exec(await page.getByRole("navigation", { name: "Pagination" }).innerText())![1]);
    expect(total).toBeGreaterThan(10);
    const rows = paymentRows(page);
    await expect(rows).toHaveCount(Math.min(total, 25));
    const settled = rows.filter({ hasText: "Settled" }).first();
    const invoice = settled.getByRole("link", { name: /^Invoice \d+$/ }).first();
    const number = (await invoice.innerText()).replace(/\D/g, "");
    const receipt = settled.getByRole("link", { name: /^Receipt \(PDF\)/ });
    const response = await page.request.get((await receipt.getAttribute("href"))!);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
    await invoice.click();
    await expect(page.getByRole("heading", { name: `Invoice ${number}`, level: 1 })).toBeVisible();
    await page.goBack();
    await expectNoSeriousA11yViolations(page);
  });

  test("filters live in the URL, and a bad one is reported beside its field", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/payments");
    await page.getByLabel("Method").selectOption({ label: "Bank transfer" });
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/[?&]method=bank_transfer/);
    const rows = paymentRows(page);
    await expect(rows.first()).toBeVisible();
    for (const row of await rows.all()) await expect(row.getByRole("cell").nth(1)).toHaveText("Bank transfer");
    await page.getByRole("link", { name: "Settled", exact: true }).click();
    await expect(page).toHaveURL(/status=settled/);
    await expect(page).toHaveURL(/method=bank_transfer/);

    await page.goto("/payments?from=2026-02-30&method=cash");
    const from = page.getByLabel("Payment date from");
    await expect(from).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#from-error")).toHaveText("Enter a date as YYYY-MM-DD.");
    await expect(page.locator("#method-error")).toContainText("Choose Any method");
    await expect(paymentRows(page).first()).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });

  test("Export CSV downloads the filtered list", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/payments?status=settled");
    const total = Number(/· (\d+) payments?/.exec(await page.getByRole("navigation", { name: "Pagination" }).innerText())![1]);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^Cumulus-payments-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = fs.readFileSync(await download.path(), "utf8").trim().split("\r\n");
    expect(lines[0]).toBe("Date,Payment ID,Method,Card,Amount,Currency,Invoices,Status");
    expect(lines).toHaveLength(1 + total);
    expect(lines.slice(1).every((l) => l.endsWith(",Settled"))).toBe(true);
    expect((await page.request.get("/payments/export.csv?from=nope")).status()).toBe(400);
  });
});

test.describe("Who may see payments", () => {
  test("invoice access None sees no Payments link and the page and its CSV answer 404", async ({ asRole }) => {
    const page = await asRole("noaccess");
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Payments" })).toHaveCount(0);
    for (const path of ["/payments", "/payments?status=settled", "/payments/export.csv"]) {
      expect((await page.request.get(path)).status(), path).toBe(404);
    }
  });

  test("invoice access Read sees the list and its receipts", async ({ asRole }) => {
    const page = await asRole("reader");
    await page.goto("/payments");
    await expect(page.getByRole("heading", { name: "Payments", level: 1 })).toBeVisible();
    const receipt = paymentRows(page).getByRole("link", { name: /^Receipt \(PDF\)/ }).first();
    expect((await page.request.get((await receipt.getAttribute("href"))!)).status()).toBe(200);
  });
});
