/**
 * Personal API tokens in Settings, as a person uses them: a bad name is refused next to the
 * field, a token is created and shown once with Copy, a script (Playwright's request, with the
 * Authorization header only) reads invoices with it, the list shows when it was last used, and
 * once revoked the token answers 401. A session cookie never opens the API. Read (reader) makes
 * the tokens: they only read. None does not see the section at all.
 */
import { randomUUID } from "node:crypto";
import { request, type Page } from "@playwright/test";
import { expect, expectAccountSettingsOpen, expectNoSeriousA11yViolations, test } from "./fixtures";

const SIZES = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1440, height: 900 },
] as const;

async function openTokens(page: Page) {
  await page.goto("/?settings=settings");
  const dialog = await expectAccountSettingsOpen(page);
  const section = dialog.getByRole("region", { name: "API tokens" });
  await expect(section).toBeVisible();
  return section;
}

for (const size of SIZES) {
  test(`create a token, copy it, use it with a bearer request, revoke it (${size.name})`, async ({ asRole, baseURL }) => {
    test.setTimeout(90_000);
    const page = await asRole("reader");
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
    await page.setViewportSize({ width: size.width, height: size.height });
    let section = await openTokens(page);
    await expect(section).toContainText("Log out everywhere does not revoke them");
    await expectNoSeriousA11yViolations(page);

    // Bad input: a message next to the field, and nothing saved.
    const name = `E2E ${size.name} ${randomUUID().slice(0, 8)}`;
    const field = section.getByRole("textbox", { name: "Token name" });
    await field.fill("   ");
    await section.getByRole("button", { name: "Create token" }).click();
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toHaveAccessibleDescription("Give the token a name.");

    await field.fill(name);
    await section.getByRole("combobox", { name: "Expires after" }).selectOption("30");
    await section.getByRole("button", { name: "Create token" }).click();
    await expect(section.getByRole("status").filter({ hasText: `Token created: ${name}.` })).toBeVisible();
    const token = (await section.getByTestId("new-api-token").innerText()).trim();
    expect(token).toMatch(/^cumulus_pat_[A-Za-z0-9_-]{43}$/);
    const copy = section.getByRole("button", { name: "Copy token", exact: true });
    await copy.click();
    // Visible "Copied" beside the button, in a status region that names what was copied.
    await expect(copy.locator("xpath=following-sibling::*[@role='status']")).toHaveText("Copied token");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    const item = section.getByRole("list", { name: "Your API tokens" }).getByRole("listitem").filter({ hasText: name });
    await expect(item).toContainText("Last used");
    await expect(item).toContainText("Never");

    // A script: no cookies, only the bearer token.
    const script = await request.newContext({ baseURL });
    const answer = await script.get("/api/v1/invoices?limit=2", { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status()).toBe(200);
    const page1 = (await answer.json()) as { data: { number: number; total: { amount: string; currency: string } }[] };
    expect(page1.data).toHaveLength(2);
    expect(page1.data[0]!.total.amount).toMatch(/^\d+\.\d{2}$/);
    // The browser's own session cookie is no credential for the API.
    const withCookie = await page.request.get("/api/v1/invoices", { maxRedirects: 0 });
    expect(withCookie.status()).toBe(401);
    expect(withCookie.headers()["content-type"]).toBe("application/problem+json");

    // Shown once: after a reload only its name, dates and when it was last used.
    await page.reload();
    section = await openTokens(page);
    await expect(section.getByTestId("new-api-token")).toHaveCount(0);
    const listed = section.getByRole("list", { name: "Your API tokens" }).getByRole("listitem").filter({ hasText: name });
    await expect(listed).not.toContainText("Never");

    await listed.getByRole("button", { name: `Revoke token ${name}` }).click();
    await expect(section.getByRole("listitem").filter({ hasText: name })).toHaveCount(0);
    const revoked = await script.get("/api/v1/invoices", { headers: { authorization: `Bearer ${token}` } });
    expect(revoked.status()).toBe(401);
    await script.dispose();
  });
}

test("invoice access None sees no API tokens", async ({ asRole }) => {
  const page = await asRole("noaccess");
  await page.goto("/?settings=settings");
  const dialog = await expectAccountSettingsOpen(page);
  await expect(dialog.getByText("Current user:")).toBeVisible();
  await expect(dialog.getByRole("region", { name: "API tokens" })).toHaveCount(0);
  await expect(dialog.getByRole("button", { name: "Create token" })).toHaveCount(0);
});
