/**
 * The Country list in Customer Info: every ISO 3166 country, named in the page's language
 * (English) and sorted by name, and a country new to the list is saved. Changes are made on
 * Other Tenant Oy's account and put back.
 */
import { expect, expectAccountSettingsOpen, expectNoSeriousA11yViolations, test } from "./fixtures";

test("Customer Info lists every country by name, sorted, and saves one that was not offered before", async ({ asRole }) => {
  test.slow(); // 249 options, axe, two saves
  const page = await asRole("other");
  await page.goto("/?settings=customer-info");
  let dialog = await expectAccountSettingsOpen(page);
  const country = dialog.getByRole("combobox", { name: "Country" });
  await expect(country).toHaveValue("FI");
  const names = await country.getByRole("option").allTextContents();
  expect(names).toHaveLength(249);
  expect(names.slice(0, 3)).toEqual(["Afghanistan", "Åland Islands", "Albania"]);
  expect(names).toContain("Sweden");
  expect(names.at(-1)).toBe("Zimbabwe");
  await expectNoSeriousA11yViolations(page);

  // Åland was not on the old list; it has no VAT rule of its own, so the Finnish VAT number goes.
  await country.selectOption({ label: "Åland Islands" });
  await dialog.getByLabel("VAT number").fill("");
  await dialog.getByRole("button", { name: "Update" }).click();
  await expect(dialog.getByRole("status").filter({ hasText: "Customer info saved" })).toBeVisible();
  await page.reload();
  dialog = await expectAccountSettingsOpen(page);
  await expect(dialog.getByRole("combobox", { name: "Country" })).toHaveValue("AX");

  // Put the account back as other specs expect it.
  await dialog.getByRole("combobox", { name: "Country" }).selectOption("FI");
  await dialog.getByLabel("VAT number").fill("FI12345678");
  await dialog.getByRole("button", { name: "Update" }).click();
  await expect(dialog.getByRole("status").filter({ hasText: "Customer info saved" })).toBeVisible();
});
