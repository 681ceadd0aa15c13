/**
 * axe (WCAG 2.1 A and AA) finds no serious or critical violation on the login page, the
 * dashboard, the users page and the open Account settings slide-over.
 */
import type { Page } from "@playwright/test";
import { accountSettingsButton, expect, expectAccountSettingsOpen, expectNoSeriousA11yViolations, test } from "./fixtures";

/** Waits until CSS transitions (the slide-over's slide and fade) are over: axe measures colours. */
async function settled(page: Page) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
}

test("the login page, signed out", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Log in to your cloud account" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("the login page with an error message", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("textbox", { name: "Email" })).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousA11yViolations(page);
});

test("the dashboard (demo)", async ({ asRole }) => {
  const page = await asRole("demo");
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("the dashboard with the navigation collapsed (demo)", async ({ asRole }) => {
  const page = await asRole("demo");
  await page.goto("/");
  await page.getByRole("button", { name: "Collapse navigation" }).click();
  await expect(page.getByRole("button", { name: "Expand navigation" })).toBeVisible();
  await settled(page);
  await expectNoSeriousA11yViolations(page);
});

test("the users page (demo)", async ({ asRole }) => {
  const page = await asRole("demo");
  await page.goto("/users");
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("the open Account settings slide-over (demo)", async ({ asRole }) => {
  const page = await asRole("demo");
  await page.goto("/");
  await accountSettingsButton(page).click();
  await expectAccountSettingsOpen(page);
  await settled(page);
  await expectNoSeriousA11yViolations(page);
});

test("the dashboard without invoice access (noaccess)", async ({ asRole }) => {
  const page = await asRole("noaccess");
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});
