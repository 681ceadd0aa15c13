/**
 * The account's Time zone in Settings: Full changes it (an unknown zone gets a message next to
 * the field and nothing changes), Read sees it without a way to change it. Changed on Other
 * Tenant Oy's account and put back, so the demo account's dates, which other specs read, stay.
 */
import type { Page } from "@playwright/test";
import { expect, expectAccountSettingsOpen, expectNoSeriousA11yViolations, test } from "./fixtures";

async function openSettings(page: Page) {
  await page.goto("/?settings=settings");
  const dialog = await expectAccountSettingsOpen(page);
  await expect(dialog.getByRole("tab", { name: "Settings" })).toHaveAttribute("aria-selected", "true");
  return dialog;
}

test("Full changes the time zone; an unknown zone is refused next to the field and changes nothing", async ({ asRole }) => {
  const page = await asRole("other");
  let dialog = await openSettings(page);
  const field = dialog.getByRole("combobox", { name: "Time zone" });
  await expect(field).toHaveValue("Europe/Helsinki");
  // The section is named by its heading, as in the Read view.
  await expect(dialog.getByRole("region", { name: "Time zone" }).getByRole("heading", { name: "Time zone" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await field.fill("Mars/Olympus_Mons");
  await dialog.getByRole("button", { name: "Save time zone" }).click();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveAccessibleDescription(/Choose a time zone from the list, e\.g\. Europe\/Stockholm\./);
  await expect(field).toHaveValue("Mars/Olympus_Mons");
  await page.reload();
  dialog = await expectAccountSettingsOpen(page);
  await expect(dialog.getByRole("combobox", { name: "Time zone" })).toHaveValue("Europe/Helsinki");

  // A current IANA name the runtime's own list lacks (it knows it as Asia/Calcutta).
  await dialog.getByRole("combobox", { name: "Time zone" }).fill("Asia/Kolkata");
  await dialog.getByRole("button", { name: "Save time zone" }).click();
  await expect(dialog.getByRole("status").filter({ hasText: "Time zone saved: Asia/Kolkata." })).toBeVisible();
  await page.reload();
  dialog = await expectAccountSettingsOpen(page);
  await expect(dialog.getByRole("combobox", { name: "Time zone" })).toHaveValue("Asia/Kolkata");

  // Back to Helsinki: other specs read this account's dates.
  await dialog.getByRole("combobox", { name: "Time zone" }).fill("Europe/Helsinki");
  await dialog.getByRole("button", { name: "Save time zone" }).click();
  await expect(dialog.getByRole("status").filter({ hasText: "Time zone saved: Europe/Helsinki." })).toBeVisible();
});

test("Read sees the time zone and cannot change it", async ({ asRole }) => {
  const page = await asRole("reader");
  const dialog = await openSettings(page);
  const section = dialog.getByRole("region", { name: "Time zone" });
  await expect(section).toContainText("Europe/Stockholm");
  await expect(dialog.getByRole("combobox", { name: "Time zone" })).toHaveCount(0);
  await expect(dialog.getByRole("button", { name: "Save time zone" })).toHaveCount(0);
});
