/**
 * Invoices in other hands (docs/sharing.md): Share and Share selected make a link shown once
 * with Copy link; the link opens signed out as a plain, unindexed page with the PDF (or the
 * bundle's ZIP) and nothing else of the panel; Revoke in Settings ends it, and a revoked,
 * expired or tampered link answers exactly like an unknown one. Add to calendar downloads the
 * due date; the feed's address, shown once after Rotate, parses back in a calendar.
 */
import fs from "node:fs";
import { unzipSync } from "fflate";
import ICAL from "ical.js";
import type { APIResponse, Browser, Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, test } from "./fixtures";
import { closeDatabase, database, newClient, normalizeHtml } from "./security-support";

test.afterAll(closeDatabase);

/** The first outstanding invoice on the list, by its row menu's name. */
async function outstandingNumbers(page: Page, count: number): Promise<number[]> {
  await page.goto("/invoices?status=outstanding");
  const names = await page.getByRole("button", { name: /^Options for invoice \d+$/ }).evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""));
  const numbers = names.map((n) => Number(/\d+$/.exec(n)![0]));
  expect(numbers.length).toBeGreaterThanOrEqual(count);
  return numbers.slice(0, count);
}

/** Creates the link in the open Share dialog and reads it from the dialog (it is shown once). */
async function createLink(page: Page, dialogName: string, expiry?: string): Promise<string> {
  const dialog = page.getByRole("dialog", { name: dialogName });
  await expect(dialog.getByRole("radio", { name: "7 days" })).toBeChecked();
  if (expiry) await dialog.getByRole("radio", { name: expiry }).check();
  await dialog.getByRole("button", { name: "Create link" }).click();
  const field = dialog.getByRole("textbox", { name: "Share link" });
  await expect(field).toHaveValue(/\/share\/cus_share_[\w-]{43}$/);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await dialog.getByRole("button", { name: "Copy link" }).click();
  await expect(dialog.getByRole("status").filter({ hasText: "Copied" })).toBeVisible();
  const url = await field.inputValue();
  // The configured panel address, never the Host the browser used.
  expect(new URL(url).origin).toBe(new URL(page.url()).origin);
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole("button", { name: "Close" }).click();
  return url;
}

/** A page without any session, at a phone's and a desktop's width. */
async function signedOut(browser: Browser, width: number) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  return { page: await context.newPage(), close: () => context.close() };
}

/** A dead link answers exactly as an unknown one: status, content type and body. */
async function expectAnswersLikeUnknown(label: string, dead: string) {
  const client = await newClient();
  const path = new URL(dead).pathname;
  const unknown = path.replace(/cus_share_[\w-]{43}/, `cus_share_${"Q".repeat(43)}`);
  const tampered = path.slice(0, -1) + (path.endsWith("x") ? "y" : "x");
  const text = async (r: APIResponse) => normalizeHtml(await r.text()).replace(/cus_share_[\w-]+/g, "T");
  for (const suffix of ["", "/download"]) {
    const [a, b, c] = [await client.get(path + suffix), await client.get(unknown + suffix), await client.get(tampered + suffix)];
    expect(a.status(), `${label}${suffix}`).toBe(404);
    for (const other of [b, c]) {
      expect(other.status(), `${label}${suffix}: status`).toBe(404);
      expect(other.headers()["content-type"], `${label}${suffix}: content type`).toBe(a.headers()["content-type"]);
      expect(await text(other), `${label}${suffix}: body`).toBe(await text(a));
    }
  }
}

test.describe("Share with your accountant", () => {
  test("Share one invoice, open it signed out, revoke it in Settings", async ({ asRole, browser }) => {
    test.setTimeout(240_000); // two widths, axe three times, a PDF rendered
    const page = await asRole("demo");
    const [number] = await outstandingNumbers(page, 1);
    await page.goto(`/invoices/${number}`);
    await page.getByRole("button", { name: "Share", exact: true }).click();
    const url = await createLink(page, `Share invoice ${number}`, "1 day");

    for (const width of [390, 1440]) {
      const visitor = await signedOut(browser, width);
      const response = (await visitor.page.goto(url))!;
      expect(response.status()).toBe(200);
      expect(response.headers()["x-robots-tag"]).toContain("noindex");
      expect(response.headers()["cache-control"]).toContain("no-store");
      expect(response.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
      await expect(visitor.page.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
      await expect(visitor.page.getByRole("heading", { name: `Invoice ${number}`, level: 1 })).toBeVisible();
      // No navigation, no payment, nothing of the panel: every link stays under this share link.
      await expect(visitor.page.getByRole("navigation")).toHaveCount(0);
      await expect(visitor.page.getByRole("button", { name: /pay/i })).toHaveCount(0);
      const hrefs = await visitor.page.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
      expect(hrefs.length).toBeGreaterThan(0);
      for (const href of hrefs) expect(href.startsWith(new URL(url).pathname + "/"), href).toBe(true);
      expect(await visitor.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      if (width === 1440) await expectNoSeriousA11yViolations(visitor.page);
      const pdf = await visitor.page.request.get(`${url}/pdf/${number}?download=1`);
      expect(pdf.headers()["content-type"]).toBe("application/pdf");
      expect((await pdf.body()).subarray(0, 4).toString()).toBe("%PDF");
      await visitor.close();
    }

    const sql = database();
    if (sql) {
      const uses = await sql<{ what: string; address: string | null }[]>`
        select after->>'what' as what, after->>'address' as address from audit_events where action = 'share_link.used' order by id desc limit 4`;
      expect(uses.map((u) => u.what).sort()).toEqual(["page", "page", "pdf", "pdf"]);
    }

    await page.goto("/invoices");
    await page.getByRole("button", { name: "Account settings", exact: true }).click();
    await page.getByRole("dialog", { name: "Account settings" }).getByRole("tab", { name: "Settings" }).click();
    await page.getByRole("link", { name: "Share links and calendar feed" }).click();
    await expect(page.getByRole("heading", { name: "Share links and calendar", level: 1 })).toBeVisible();
    await expect(page.getByText("Log out everywhere does not end share links")).toBeVisible();
    const revoke = page.getByRole("button", { name: `Revoke the link to invoice ${number}` });
    await expect(revoke).toHaveCount(1);
    await revoke.click();
    // Once the revocation is committed the page shows what the database holds: the link is no longer listed.
    await expect(revoke).toHaveCount(0);
    await expectAnswersLikeUnknown("revoked", url);
  });

  test("Share selected: the bundle's page lists the invoices and offers the ZIP; expired is like unknown", async ({ asRole, browser }) => {
    test.setTimeout(240_000); // two PDFs rendered into the ZIP
    const page = await asRole("demo");
    const numbers = await outstandingNumbers(page, 2);
    for (const n of numbers) await page.getByRole("checkbox", { name: `Select invoice ${n}` }).check();
    await page.getByRole("button", { name: "Share selected (2)" }).click();
    const url = await createLink(page, "Share 2 invoices");

    const visitor = await signedOut(browser, 1440);
    await visitor.page.goto(url);
    await expect(visitor.page.getByRole("heading", { name: "Shared invoices", level: 1 })).toBeVisible();
    for (const n of numbers) await expect(visitor.page.getByRole("cell", { name: String(n), exact: true })).toBeVisible();
    const [download] = await Promise.all([visitor.page.waitForEvent("download"), visitor.page.getByRole("link", { name: /^Download all as ZIP/ }).click()]);
    const entries = Object.keys(unzipSync(fs.readFileSync(await download.path())));
    expect(entries).toContain("index.csv");
    expect(entries.filter((e) => e.endsWith(".pdf"))).toHaveLength(2);
    await expectNoSeriousA11yViolations(visitor.page);
    await visitor.close();

    const sql = database();
    test.skip(!sql, "expiring a link by hand needs the database (PostgreSQL)");
    const token = /cus_share_[\w-]{43}$/.exec(url)![0];
    const { createHash } = await import("node:crypto");
    await sql!`update share_links set expires_at = now() - interval '1 second' where token_hash = ${createHash("sha256").update(token).digest("hex")}`;
    await expectAnswersLikeUnknown("expired", url);
  });
});

test.describe("Due dates in your calendar", () => {
  test("Add to calendar downloads the due date; Rotate shows a feed address once that a calendar parses", async ({ asRole }) => {
    test.slow();
    const page = await asRole("demo");
    const [number] = await outstandingNumbers(page, 1);
    await page.goto(`/invoices/${number}`);
    const dueDate = await page.getByText("Due Date", { exact: true }).locator("xpath=following-sibling::dd[1]").innerText();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Add to calendar" }).click()]);
    expect(download.suggestedFilename()).toBe(`invoice-${number}.ics`);
    const [event] = events(fs.readFileSync(await download.path(), "utf8"));
    expect(event!.summary).toContain(`Invoice ${number} due`);
    expect(event!.startDate.isDate).toBe(true);
    expect(event!.startDate.toString()).toBe(dueDate);

    await page.goto("/sharing");
    await page.getByRole("button", { name: /^(Rotate|Create feed address)$/ }).click();
    const first = await page.getByRole("textbox", { name: "Feed address" }).inputValue();
    expect(first).toMatch(/\/calendar\/cus_cal_[\w-]{43}\.ics$/);
    await expectNoSeriousA11yViolations(page);
    const client = await newClient();
    const feed = await client.get(first);
    expect(feed.status()).toBe(200);
    expect(feed.headers()["content-type"]).toContain("text/calendar");
    const inFeed = events(await feed.text()).find((e) => e.summary.startsWith(`Invoice ${number} `));
    expect(inFeed?.startDate.toString()).toBe(dueDate);

    await page.getByRole("button", { name: "Rotate" }).click();
    await expect(page.getByRole("textbox", { name: "Feed address" })).not.toHaveValue(first);
    const second = await page.getByRole("textbox", { name: "Feed address" }).inputValue();
    expect((await client.get(first)).status()).toBe(404);
    expect((await client.get(second)).status()).toBe(200);
  });

  test("a Read user gets Add to calendar but no Share and no sharing page", async ({ asRole }) => {
    const page = await asRole("reader");
    const [number] = await outstandingNumbers(page, 1);
    await page.goto(`/invoices/${number}`);
    await expect(page.getByRole("link", { name: "Add to calendar" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Share", exact: true })).toHaveCount(0);
    expect((await page.goto("/sharing"))!.status()).toBe(404);
  });
});

function events(ics: string) {
  return new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
}
