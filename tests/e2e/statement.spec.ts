/**
 * The account statement from Invoices (docs/product.md "Invoices", Statement): the period form,
 * the PDF read back with pdftotext and compared with the screen, the CSV and, on PostgreSQL, the
 * database; for this year its closing balance is Total outstanding less account credit.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { expect, expectNoSeriousA11yViolations, test } from "./fixtures";
import { closeDatabase, database } from "./security-support";

test.afterAll(closeDatabase);

const amountOf = (text: string) => BigInt(text.replace(/[^\d-−]/g, "").replace("−", "-"));

test.describe("Account statement", () => {
  test("this year's PDF and CSV show the rows and close at Total outstanding less account credit", async ({ asRole }) => {
    test.slow(); // two pages, axe, a PDF rendered and read back, a CSV
    const page = await asRole("demo");
    await page.goto("/invoices");
    const outstanding = amountOf(await page.getByText("Total outstanding").locator("xpath=following-sibling::dd[1]").innerText());
    await page.getByRole("link", { name: "Statement" }).click();
    await expect(page.getByRole("heading", { name: "Statement", level: 1 })).toBeVisible();
    await expect(page.getByRole("radio", { name: "This year" })).toBeChecked();
    const summary = page.getByRole("region", { name: /^\d{4}-01-01 – \d{4}-\d{2}-\d{2}$/ });
    const valueOf = async (label: string) => summary.getByText(label, { exact: true }).locator("xpath=following-sibling::dd[1]").innerText();
    const closingText = await valueOf("Closing balance");
    expect(amountOf(closingText)).toBe(outstanding - amountOf(await valueOf("Account credit")));
    await expectNoSeriousA11yViolations(page);

    const [pdfDownload] = await Promise.all([page.waitForEvent("download"), summary.getByRole("link", { name: "Download PDF" }).click()]);
    expect(pdfDownload.suggestedFilename()).toMatch(/^Cumulus-statement-\d{4}-01-01-\d{4}-\d{2}-\d{2}\.pdf$/);
    const text = execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", await pdfDownload.path(), "-"], { encoding: "utf8" });
    expect(text).toContain("Account statement");
    expect(text).toMatch(new RegExp(`Closing balance\\s+${closingText.replace(/[.,]/g, "\\$&")}`));

    const [csvDownload] = await Promise.all([page.waitForEvent("download"), summary.getByRole("link", { name: "Download CSV" }).click()]);
    const records = parse(fs.readFileSync(await csvDownload.path(), "utf8")) as string[][];
    const entries = records.slice(2, -2).map((r) => r[1]!);
    const stated = Number(/^(\d+)/.exec(await summary.locator("p").first().innerText())![1]);
    expect(entries).toHaveLength(stated);
    for (const description of entries) expect(text).toContain(description);

    const sql = database();
    if (sql) {
      const [, from, to] = /(\d{4}-01-01)-(\d{4}-\d{2}-\d{2})\.pdf$/.exec(pdfDownload.suggestedFilename())!;
      const [counted] = await sql<{ n: number }[]>`
        select ((select count(*) from invoices i join accounts a on a.id = i.account_id
                 where a.name = 'Example Cloud Customer AB' and i.invoice_date between ${from!}::date and ${to!}::date)
              + (select count(*) from payments p join accounts a on a.id = p.account_id
                 where a.name = 'Example Cloud Customer AB' and p.state = 'succeeded' and p.method <> 'account_credit'
                   and (p.settled_at at time zone a.time_zone)::date between ${from!}::date and ${to!}::date))::int as n`;
      expect(entries).toHaveLength(counted!.n);
    }
  });

  test("a date range is checked field by field", async ({ asRole }) => {
    const page = await asRole("reader");
    await page.goto("/invoices/statement");
    await page.getByRole("radio", { name: "Date range" }).check();
    await page.getByLabel("From (date range)").fill("2026-03-01");
    await page.getByLabel("To (date range)").fill("2026-01-01");
    await page.getByRole("button", { name: "Show statement" }).click();
    await expect(page.locator("#to-error")).toHaveText("The end date is before the start date.");
    await expect(page.getByLabel("To (date range)")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByRole("link", { name: "Download PDF" })).toHaveCount(0);
    await page.getByRole("radio", { name: "Last year" }).check();
    await page.getByLabel("From (date range)").fill("");
    await page.getByLabel("To (date range)").fill("");
    await page.getByRole("button", { name: "Show statement" }).click();
    await expect(page.getByRole("region", { name: /^\d{4}-01-01 – \d{4}-12-31$/ })).toBeVisible();
  });

  test("invoice access None gets 404 for the statement page and files", async ({ asRole }) => {
    const page = await asRole("noaccess");
    for (const path of ["/invoices/statement", "/invoices/statement/pdf", "/invoices/statement/csv?period=last-year"]) {
      expect((await page.request.get(path)).status(), path).toBe(404);
    }
  });
});
