/**
 * The invoice list and detail as a person walks through them (docs/product.md "Invoices" and
 * "Invoice detail"): status icons with names, the row menu by keyboard, PDFs, ZIP of a
 * selection, filters that live in the URL, and who may see what.
 */
import fs from "node:fs";
import { unzipSync, strFromU8 } from "fflate";
import { expect, expectNoSeriousA11yViolations, liveOptionsButton, test } from "./fixtures";

test.describe("Invoices list", () => {
  test("shows the columns, paid rows with the green tick and 0.00, and the overdue alert", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/invoices");
    await expect(page.getByRole("heading", { name: "Invoices", level: 1 })).toBeVisible();
    for (const name of ["Status", "Type", "Invoice No", "Amount", "Outstanding Amount", "Invoice Date", "Due Date"]) {
      await expect(page.getByRole("columnheader", { name, exact: true })).toBeVisible();
    }
    await expect(page.getByText("Total outstanding")).toBeVisible();
    const alert = page.getByRole("main").getByRole("alert");
    await expect(alert).toContainText("overdue");
    await expect(alert.getByRole("button", { name: "Pay all outstanding" })).toBeVisible();

    const rows = page.getByRole("row").filter({ has: page.getByRole("checkbox", { name: /^Select invoice \d+$/ }) });
    await expect(rows).toHaveCount(24);
    // Newest first: last month's invoice is outstanding (not yet due), the next two overdue.
    await expect(rows.nth(0).getByRole("img", { name: "Outstanding" })).toBeVisible();
    await expect(rows.nth(1).getByRole("img", { name: "Overdue" })).toBeVisible();
    await expect(rows.nth(2).getByRole("img", { name: "Overdue" })).toBeVisible();
    const paid = rows.nth(5);
    await expect(paid.getByRole("img", { name: "Paid" })).toBeVisible();
    await expect(paid.getByRole("cell", { name: "0.00", exact: true })).toBeVisible();
    await expect(paid.getByRole("cell", { name: "Invoice", exact: true })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });

  test("the row menu works by keyboard and returns focus", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/invoices");
    const first = await liveOptionsButton(page.getByRole("button", { name: /^Options for invoice \d+$/ }).first());
    const name = (await first.getAttribute("aria-label"))!;
    const number = name.replace("Options for invoice ", "");
    await first.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu");
    await expect(menu).toBeVisible();
    // The newest invoice is outstanding: its menu offers to pay it.
    await expect(menu.getByRole("menuitem")).toHaveText(["View PDF", "Download PDF", "Pay this invoice", "Copy invoice number", "Download e-invoice (XML)"]);
    await expect(menu.getByRole("menuitem", { name: "View PDF" })).toHaveAttribute("href", `/invoices/${number}/pdf`);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Escape");
    await expect(menu).toBeHidden();
    await expect(first).toBeFocused();

    // A paid invoice's menu has nothing to pay.
    const paidButton = page.getByRole("button", { name: /^Options for invoice \d+$/ }).nth(6);
    await paidButton.click();
    await expect(page.getByRole("menu").getByRole("menuitem")).toHaveText(["View PDF", "Download PDF", "Copy invoice number", "Download e-invoice (XML)"]);
    await page.keyboard.press("Escape");

    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await first.click();
    await page.getByRole("menuitem", { name: "Copy invoice number" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Invoice number ${number} copied` })).toBeAttached();
    // Seen by everyone, not only said to screen readers.
    await expect(page.getByText("Copied", { exact: true })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(number);
  });

  test("View PDF opens the PDF in a new tab and Download PDF saves it under its file name", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/invoices");
    const row = page.getByRole("row").filter({ has: page.getByRole("checkbox", { name: /^Select invoice/ }) }).nth(3);
    const button = row.getByRole("button", { name: /^Options for invoice \d+$/ });
    const number = (await button.getAttribute("aria-label"))!.replace("Options for invoice ", "");
    const invoiceDate = await row.getByRole("cell").nth(6).innerText();

    await button.click();
    const [popup] = await Promise.all([page.waitForEvent("popup"), page.getByRole("menuitem", { name: "View PDF" }).click()]);
    const response = await popup.request.get(`/invoices/${number}/pdf`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
    expect(response.headers()["content-disposition"]).toMatch(/^inline;/);
    expect(response.headers()["cache-control"]).toContain("no-store");
    // Stored bytes: the same ETag again, and 304 Not Modified to a matching If-None-Match.
    const etag = response.headers()["etag"]!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await popup.request.get(`/invoices/${number}/pdf`);
    expect(again.headers()["etag"]).toBe(etag);
    expect(Buffer.compare(await again.body(), await response.body())).toBe(0);
    const notModified = await popup.request.get(`/invoices/${number}/pdf`, { headers: { "If-None-Match": etag } });
    expect(notModified.status()).toBe(304);
    expect((await notModified.body()).length).toBe(0);
    await popup.close();

    await button.click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("menuitem", { name: "Download PDF" }).click()]);
    expect(download.suggestedFilename()).toBe(`Cumulus-${invoiceDate.slice(0, 7)}-${number}.pdf`);
    const bytes = fs.readFileSync(await download.path());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  });

  test("select three and download them as one ZIP with index.csv", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/invoices");
    const boxes = page.getByRole("checkbox", { name: /^Select invoice \d+$/ });
    const numbers: string[] = [];
    for (const i of [0, 4, 9]) {
      const box = boxes.nth(i);
      await box.check();
      numbers.push((await box.getAttribute("aria-label"))!.replace("Select invoice ", ""));
    }
    const button = page.getByRole("button", { name: "Download selected (3)" });
    await expect(button).toBeVisible();
    const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
    const files = unzipSync(new Uint8Array(fs.readFileSync(await download.path())));
    const names = Object.keys(files).sort();
    expect(names).toHaveLength(4);
    expect(names).toContain("index.csv");
    for (const n of numbers) expect(names.some((f) => f.endsWith(`-${n}.pdf`))).toBe(true);
    const csv = strFromU8(files["index.csv"]!).trim().split("\r\n");
    expect(csv[0]).toBe("Invoice No,Type,Invoice Date,Due Date,Net,VAT,Total,Currency,Outstanding,Status");
    expect(csv.slice(1).map((l) => l.split(",")[0]).sort()).toEqual([...numbers].sort());
  });

  test("Select all selects every row on the page", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/invoices?status=overdue");
    await page.getByRole("checkbox", { name: "Select all" }).check();
    await expect(page.getByRole("button", { name: "Download selected (2)" })).toBeVisible();
    await page.getByRole("checkbox", { name: "Select all" }).uncheck();
    await expect(page.getByRole("button", { name: /Download selected/ })).toHaveCount(0);
  });

  test("the Overdue filter lives in the URL and survives a reload", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/invoices");
    await page.getByRole("navigation", { name: "Filter by status" }).getByRole("link", { name: "Overdue" }).click();
    await expect(page).toHaveURL(/status=overdue/);
    const rows = page.getByRole("row").filter({ has: page.getByRole("checkbox", { name: /^Select invoice/ }) });
    await expect(rows).toHaveCount(2);
    await page.reload();
    await expect(rows).toHaveCount(2);
    await expect(page.getByRole("link", { name: "Overdue" })).toHaveAttribute("aria-current", "page");
    for (const row of await rows.all()) await expect(row.getByRole("img", { name: "Overdue" })).toBeVisible();
  });

  test("search, date range and paging, with clear messages for bad input", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/invoices?q=12ab");
    await expect(page.getByText("Search by invoice number: digits only.")).toBeVisible();
    await page.goto("/invoices?from=2026-02-30");
    await expect(page.getByText("Enter a date as YYYY-MM-DD.")).toBeVisible();
    await page.goto("/invoices?status=bogus&after=nonsense&page=-1");
    await expect(page.getByRole("heading", { name: "Invoices" })).toBeVisible();

    await page.goto("/invoices");
    await expect(page.getByText("Page 1 of 1")).toBeVisible();
    await page.getByLabel("Invoice date from").fill("2026-01-01");
    await page.getByLabel("Invoice date to").fill("2026-03-31");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/from=2026-01-01/);
    const rows = page.getByRole("row").filter({ has: page.getByRole("checkbox", { name: /^Select invoice/ }) });
    await expect(rows).toHaveCount(3);
    await page.goto("/invoices?q=999999999");
    await expect(page.getByText("No invoices match these filters.")).toBeVisible();
  });

  test("a reversed date range keeps what was typed, says why next to the field, and filters nothing", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/invoices");
    await page.getByLabel("Invoice date from").fill("2026-03-31");
    await page.getByLabel("Invoice date to").fill("2026-01-01");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/from=2026-03-31&to=2026-01-01/);
    await expect(page.getByLabel("Invoice date from")).toHaveValue("2026-03-31");
    const to = page.getByLabel("Invoice date to");
    await expect(to).toHaveValue("2026-01-01");
    await expect(to).toHaveAttribute("aria-invalid", "true");
    await expect(to).toHaveAccessibleDescription("The end date is before the start date.");
    const rows = page.getByRole("row").filter({ has: page.getByRole("checkbox", { name: /^Select invoice/ }) });
    await expect(rows).toHaveCount(24);
    await expectNoSeriousA11yViolations(page);
  });

  test("Export CSV downloads the filtered list", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/invoices?status=paid");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    const lines = fs.readFileSync(await download.path(), "utf8").trim().split("\r\n");
    expect(lines).toHaveLength(1 + 21);
    expect(lines.slice(1).every((l) => l.endsWith(",0.00,Paid"))).toBe(true);
  });
});

test("the panel has an icon: no page asks for anything that answers 404", async ({ asRole }) => {
  const page = await asRole("demo");
  const failed: string[] = [];
  page.on("response", (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  for (const path of ["/", "/invoices", "/login"]) {
    await page.goto(path);
    await page.waitForLoadState("load");
  }
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute("href", /^\/icon\.svg/);
  expect(failed).toEqual([]);
  const favicon = await page.request.get("/favicon.ico");
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()["content-type"]).toContain("image/svg+xml");
});

test.describe("Invoice detail", () => {
  test("shows the invoice as issued, its lines, totals and delivery log", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/invoices");
    const link = page.getByRole("row").nth(2).getByRole("link");
    const number = await link.innerText();
    await link.click();
    await expect(page.getByRole("heading", { name: `Invoice ${number}`, level: 1 })).toBeVisible();
    await expect(page.getByRole("main").getByText("Example Cloud Customer AB")).toBeVisible();
    await expect(page.getByRole("rowheader", { name: "Compute" })).toBeVisible();
    await expect(page.getByRole("main").getByText("Outstanding Amount")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Delivery log" })).toBeVisible();
    await expect(page.getByRole("link", { name: "View PDF" })).toHaveAttribute("href", `/invoices/${number}/pdf`);
    await expect(page.getByRole("link", { name: "Download PDF" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });

  test("a PDF, receipt or ZIP a browser may not see opens the styled 404 page, with one main landmark", async ({ asRole }) => {
    const demo = await asRole("demo");
    await demo.goto("/invoices");
    const number = await demo.getByRole("row").nth(1).getByRole("link").innerText();
    const other = await asRole("other");
    for (const path of [`/invoices/${number}/pdf`, `/invoices/download?n=${number}`, "/payments/00000000-0000-0000-0000-000000000000/receipt", "/invoices/99999999"]) {
      const response = await other.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(other.getByRole("heading", { name: "Page not found" }), path).toBeVisible();
      await expect(other.getByRole("main"), path).toHaveCount(1);
    }
    await expectNoSeriousA11yViolations(other);
    // Not a browser navigation: the plain 404 as before.
    const plain = await other.request.get(`/invoices/${number}/pdf`);
    expect(plain.status()).toBe(404);
    expect(plain.headers()["content-type"]).toContain("text/plain");
  });

  test("unknown, malformed and foreign numbers answer 404", async ({ asRole }) => {
    const demo = await asRole("demo");
    await demo.goto("/invoices");
    const number = await demo.getByRole("row").nth(1).getByRole("link").innerText();
    const other = await asRole("other");
    for (const path of [`/invoices/${number}`, `/invoices/${number}/pdf`, `/invoices/download?n=${number}`]) {
      const res = await other.request.get(path);
      expect(res.status(), path).toBe(404);
      expect(res.headers()["content-type"] ?? "").not.toContain("pdf");
    }
    for (const path of ["/invoices/99999999", "/invoices/abc", "/invoices/-1/pdf", "/invoices/1e9/pdf"]) {
      expect((await demo.request.get(path)).status(), path).toBe(404);
    }
  });
});

test.describe("Who may see invoices", () => {
  test("invoice access None sees no Invoices link and every invoice URL answers 404", async ({ asRole }) => {
    const demo = await asRole("demo");
    await demo.goto("/invoices");
    const number = await demo.getByRole("row").nth(1).getByRole("link").innerText();
    const page = await asRole("noaccess");
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invoices" })).toHaveCount(0);
    for (const path of ["/invoices", `/invoices/${number}`, `/invoices/${number}/pdf`, `/invoices/download?n=${number}`, "/invoices/export.csv"]) {
      expect((await page.request.get(path)).status(), path).toBe(404);
    }
  });

  test("invoice access Read is offered no Pay, and the invoice page gives the bank-transfer details", async ({ asRole }) => {
    const page = await asRole("reader");
    await page.goto("/invoices");
    const alert = page.getByRole("main").getByRole("alert");
    await expect(alert).toContainText("2 invoices are overdue");
    await expect(page.getByRole("button", { name: "Pay all outstanding" })).toHaveCount(0);
    const newest = page.getByRole("row").nth(1);
    const number = await newest.getByRole("link").innerText();
    const outstanding = await newest.getByRole("cell").nth(5).innerText();
    await page.getByRole("button", { name: `Options for invoice ${number}` }).click();
    await expect(page.getByRole("menu").getByRole("menuitem")).toHaveText(["View PDF", "Download PDF", "Copy invoice number", "Download e-invoice (XML)"]);
    await page.keyboard.press("Escape");

    await page.goto(`/invoices/${number}`);
    await expect(page.getByRole("heading", { name: `Invoice ${number}`, level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: "Pay this invoice" })).toHaveCount(0);
    const transfer = page.getByRole("region", { name: "Pay by bank transfer" });
    await expect(transfer.getByText(`Transfer exactly ${outstanding} EUR to:`)).toBeVisible();
    await expect(transfer.getByText("IBAN")).toBeVisible();
    const reference = await page.getByText("Payment reference", { exact: true }).locator("xpath=following-sibling::dd[1]").innerText();
    await expect(transfer.getByText(reference, { exact: true })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });

  test("invoice access Read lists, views and downloads", async ({ asRole }) => {
    const page = await asRole("reader");
    await page.goto("/invoices");
    await expect(page.getByRole("button", { name: /^Options for invoice/ })).toHaveCount(24);
    const number = await page.getByRole("row").nth(1).getByRole("link").innerText();
    expect((await page.request.get(`/invoices/${number}/pdf`)).status()).toBe(200);
  });
});
