/**
 * E-invoices as a person gets them: Download e-invoice (XML) from the row menu and from the
 * invoice page gives the invoice as UBL; Settings → Receive invoices by takes E-invoice (Peppol)
 * only with a valid participant id, with the message next to the field and nothing saved.
 */
import fs from "node:fs";
import type { Download, Page } from "@playwright/test";
import { parseUbl } from "../integration/einvoice-xml";
import { expect, expectAccountSettingsOpen, expectNoSeriousA11yViolations, test } from "./fixtures";

async function expectUblOf(download: Download, number: string) {
  expect(download.suggestedFilename()).toMatch(new RegExp(`^Cumulus-\\d{4}-\\d{2}-${number}\\.xml$`));
  const doc = parseUbl(fs.readFileSync(await download.path(), "utf8"));
  expect(doc.name).toBe("Invoice");
  expect(doc.get("cbc:ID").text).toBe(number);
  expect(doc.get("cbc:CustomizationID").text).toContain("urn:fdc:peppol.eu:2017:poacc:billing:3.0");
  return doc;
}

test("Download e-invoice (XML) in the row menu and on the invoice page gives the invoice as UBL", async ({ asRole }) => {
  const page = await asRole("reader");
  await page.goto("/invoices");
  const button = page.getByRole("button", { name: /^Options for invoice \d+$/ }).first();
  const number = (await button.getAttribute("aria-label"))!.replace("Options for invoice ", "");
  await button.click();
  const [fromMenu] = await Promise.all([page.waitForEvent("download"), page.getByRole("menuitem", { name: "Download e-invoice (XML)" }).click()]);
  await expectUblOf(fromMenu, number);

  await page.goto(`/invoices/${number}`);
  const link = page.getByRole("link", { name: "Download e-invoice (XML)" });
  await link.focus();
  const [fromPage] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
  const doc = await expectUblOf(fromPage, number);
  // The amount due is the outstanding amount the page shows.
  const payable = doc.get("cac:LegalMonetaryTotal", "cbc:PayableAmount").text;
  const shown = await page.getByText("Outstanding Amount", { exact: true }).locator("xpath=following-sibling::dd[1]").textContent();
  expect(shown!.replace(/\D/g, "")).toBe(payable.replace(/\D/g, ""));
});

async function openSettings(page: Page) {
  await page.goto("/?settings=settings");
  const dialog = await expectAccountSettingsOpen(page);
  await expect(dialog.getByRole("tab", { name: "Settings" })).toHaveAttribute("aria-selected", "true");
  return dialog;
}

test("Receive invoices by E-invoice (Peppol) needs a valid participant id", async ({ asRole }) => {
  test.slow(); // the Settings tab opened four times over the Dashboard, and axe
  const page = await asRole("other");
  let dialog = await openSettings(page);
  const peppol = dialog.getByRole("checkbox", { name: "E-invoice (Peppol)" });
  const participant = dialog.getByRole("textbox", { name: "Peppol participant id" });
  await expect(peppol).not.toBeChecked();

  // A wrong check digit: the message next to the field, and nothing saved.
  await peppol.check();
  await participant.fill("0007:5567321708");
  await dialog.getByRole("button", { name: "Save settings" }).click();
  await expect(participant).toHaveAttribute("aria-invalid", "true");
  await expect(participant).toHaveAccessibleDescription(/not a valid Swedish organisation number/);
  await expect(participant).toHaveValue("0007:5567321708");
  await expectNoSeriousA11yViolations(page);
  dialog = await openSettings(page);
  await expect(dialog.getByRole("checkbox", { name: "E-invoice (Peppol)" })).not.toBeChecked();
  await expect(dialog.getByRole("textbox", { name: "Peppol participant id" })).toHaveValue("");

  // A valid one is saved, written as scheme:identifier.
  await dialog.getByRole("checkbox", { name: "E-invoice (Peppol)" }).check();
  await dialog.getByRole("textbox", { name: "Peppol participant id" }).fill("0007: 556732-1707");
  await dialog.getByRole("button", { name: "Save settings" }).click();
  await expect(dialog.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();
  dialog = await openSettings(page);
  await expect(dialog.getByRole("checkbox", { name: "E-invoice (Peppol)" })).toBeChecked();
  await expect(dialog.getByRole("textbox", { name: "Peppol participant id" })).toHaveValue("0007:5567321707");

  // Neither email nor Peppol is refused; then back to email only for the other specs.
  await dialog.getByRole("checkbox", { name: "Email, to the Billing contacts" }).uncheck();
  await dialog.getByRole("checkbox", { name: "E-invoice (Peppol)" }).uncheck();
  await dialog.getByRole("button", { name: "Save settings" }).click();
  await expect(dialog.getByText("Choose Email, E-invoice (Peppol) or both.")).toBeVisible();
  await dialog.getByRole("checkbox", { name: "Email, to the Billing contacts" }).check();
  await dialog.getByRole("textbox", { name: "Peppol participant id" }).fill("");
  await dialog.getByRole("button", { name: "Save settings" }).click();
  await expect(dialog.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();
});
