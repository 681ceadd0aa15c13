/** Steps the saved-card and automatic payment specs share: sign in, open Settings, save a card on the sandbox's page. */
import type { Browser, Page } from "@playwright/test";
import { expect } from "./fixtures";
import { DEMO_PASSWORD } from "./roles";

export async function signedIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/$/);
  return page;
}

export async function openSettings(page: Page, query = "") {
  await page.goto(`/?settings=settings${query}`);
  const dialog = page.getByRole("dialog", { name: "Account settings" });
  await expect(dialog.getByRole("heading", { name: "Saved card" })).toBeVisible();
  return dialog;
}

export async function fillCard(page: Page, card: string) {
  await page.getByLabel("Card number").fill(card);
  await page.getByLabel("Expiry").fill("12/30");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: "Save card" }).click();
}
