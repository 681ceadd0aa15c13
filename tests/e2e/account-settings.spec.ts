/**
 * The Account settings slide-over as a person uses it: Contact (a new address verified with
 * the code from the captured mail, Billing moved to it, the old address deleted), Customer
 * Info (saved, and refused with messages by the field), Settings, and read-only for Read.
 * Changes are made on Other Tenant Oy's account; the demo account is only read.
 */
import fs from "node:fs";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { accountSettingsButton, expect, expectAccountSettingsOpen, expectNoSeriousA11yViolations, test } from "./fixtures";
import { DEMO_PASSWORD } from "./roles";

test.describe.configure({ mode: "serial" });

/** The 6-digit code from the newest verification mail to `address` in the captured mail folder. */
async function verificationCode(address: string): Promise<string> {
  const dir = path.join(process.env.E2E_DATA_DIR!, "mail");
  const deadline = Date.now() + 20_000;
  for (;;) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".eml")).sort() : [];
    for (const f of files.reverse()) {
      const text = fs.readFileSync(path.join(dir, f), "utf8");
      const code = /verification code is (\d{6})/i.exec(text)?.[1];
      if (code && text.includes(address)) return code;
    }
    if (Date.now() > deadline) throw new Error(`No verification mail to ${address} in ${dir}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function openTab(page: Page, tab: "Customer Info" | "Contact" | "Settings") {
  await accountSettingsButton(page).click();
  const dialog = await expectAccountSettingsOpen(page);
  await dialog.getByRole("tab", { name: tab }).click();
  await expect(dialog.getByRole("tab", { name: tab })).toHaveAttribute("aria-selected", "true");
  return dialog;
}

const newAddress = `finance-${Date.now()}@example.com`;

test("create a new email, verify it with the mailed code, move Billing to it, delete the old address", async ({ asRole }) => {
  const page = await asRole("other");
  await page.goto("/");
  const dialog = await openTab(page, "Contact");
  await expect(page).toHaveURL(/settings=contact/);
  for (const name of ["Email Address", "Billing", "Tech", "DPO"]) await expect(dialog.getByRole("columnheader", { name, exact: true })).toBeVisible();
  await expect(dialog.getByText("Next invoice will be sent to:")).toContainText("other@example.com");
  await expectNoSeriousA11yViolations(page);

  await dialog.getByRole("button", { name: "Create new Email" }).click();
  await dialog.getByRole("textbox", { name: "Email address" }).fill(newAddress);
  await dialog.getByLabel("Your password").fill(DEMO_PASSWORD);
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(dialog.getByText(`We sent a verification code to ${newAddress}`)).toBeVisible();

  const code = await verificationCode(newAddress);
  await dialog.getByLabel(`Verification code for ${newAddress}`).fill(code);
  await dialog.getByRole("button", { name: "Verify" }).click();
  await expect(dialog.getByText("Address verified")).toBeVisible();
  // The "We sent a verification code" message went with the code field.
  await expect(dialog.getByText("We sent a verification code")).toHaveCount(0);

  // Verified: its roles open right away. Give it every role (Billing asks for the password again).
  const roles = dialog.getByRole("form", { name: `Roles of ${newAddress}` });
  for (const role of ["Billing", "Tech", "DPO"]) await roles.getByRole("switch", { name: role }).click();
  await roles.getByLabel("Your password").fill(DEMO_PASSWORD);
  await roles.getByRole("button", { name: "Save roles" }).click();
  await expect(dialog.getByText("Next invoice will be sent to:")).toContainText(newAddress);

  // Take Billing away from the old address: the line changes.
  await dialog.getByRole("button", { name: "Modify other@example.com" }).click();
  const oldRoles = dialog.getByRole("form", { name: "Roles of other@example.com" });
  await oldRoles.getByRole("switch", { name: "Billing" }).click();
  await oldRoles.getByRole("button", { name: "Save roles" }).click();
  await expect(dialog.getByText("Next invoice will be sent to:")).not.toContainText("other@example.com");
  await expect(dialog.getByText("Next invoice will be sent to:")).toContainText(newAddress);

  await dialog.getByRole("button", { name: "Delete other@example.com" }).click();
  await dialog.getByRole("form", { name: "Confirm deleting other@example.com" }).getByRole("button", { name: "Yes, delete other@example.com" }).click();
  await expect(dialog.getByRole("cell", { name: "other@example.com", exact: true })).toHaveCount(0);

  // The only address left cannot be deleted: its Delete is disabled, with the reason shown.
  const onlyDelete = dialog.getByRole("button", { name: `Delete ${newAddress}` });
  await expect(onlyDelete).toBeDisabled();
  await expect(onlyDelete).toHaveAccessibleDescription("The only address cannot be deleted.");
  await expect(dialog.getByText("The only address cannot be deleted.")).toBeVisible();
});

/** Adds `address` on the open Contact tab and verifies it with the mailed code. */
async function addVerifiedAddress(dialog: Locator, address: string) {
  await dialog.getByRole("button", { name: "Create new Email" }).click();
  await dialog.getByRole("textbox", { name: "Email address" }).fill(address);
  await dialog.getByLabel("Your password").fill(DEMO_PASSWORD);
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await dialog.getByLabel(`Verification code for ${address}`).fill(await verificationCode(address));
  await dialog.getByRole("button", { name: "Verify" }).click();
  await expect(dialog.getByText("Address verified")).toBeVisible();
}

/** The table row of a contact address (not the row of its open form). */
const addressRow = (dialog: Locator, address: string) => dialog.getByRole("row").filter({ has: dialog.page().getByRole("cell", { name: address }) }).first();

test("Save roles after a refused try: \"Roles saved\" only when saved, and the table shows the database", async ({ asRole }) => {
  const page = await asRole("other");
  await page.goto("/?settings=contact");
  let dialog = await expectAccountSettingsOpen(page);
  const address = `roles-${Date.now()}@example.com`;
  await addVerifiedAddress(dialog, address);
  // The steps of issue 13: Modify the new address, Billing on, Save roles without the password.
  await dialog.getByRole("form", { name: `Roles of ${address}` }).getByRole("button", { name: "Close", exact: true }).click();
  await dialog.getByRole("button", { name: `Modify ${address}` }).click();
  const roles = dialog.getByRole("form", { name: `Roles of ${address}` });
  await roles.getByRole("switch", { name: "Billing" }).click();
  await roles.getByRole("button", { name: "Save roles" }).click();
  await expect(roles.getByLabel("Your password")).toHaveAttribute("aria-invalid", "true");
  await expect(addressRow(dialog, address).getByRole("cell", { name: /^No\s*,\s*not Billing$/ })).toBeVisible();
  // The switch still says Billing; type the password and save again.
  await expect(roles.getByRole("switch", { name: "Billing" })).toBeChecked();
  await roles.getByLabel("Your password").fill(DEMO_PASSWORD);
  await roles.getByRole("button", { name: "Save roles" }).click();
  await expect(dialog.getByRole("status").filter({ hasText: "Roles saved" })).toContainText("Billing");
  await expect(addressRow(dialog, address).getByRole("cell", { name: /^Yes\s*,\s*Billing$/ })).toBeVisible();
  await expect(dialog.getByText("Next invoice will be sent to:")).toContainText(address);
  await page.reload();
  dialog = await expectAccountSettingsOpen(page);
  await expect(addressRow(dialog, address).getByRole("cell", { name: /^Yes\s*,\s*Billing$/ })).toBeVisible();
});

/**
 * Fails when the Contact tab's scrolling panel scrolls sideways, or one of its controls lies
 * outside the viewport or the panel. (The page behind the dialog and the dialog's header are
 * the whole-screen walk's to check.)
 */
async function expectNoSidewaysScroll(dialog: Locator, label: string) {
  const overflow = await dialog.getByRole("tabpanel").evaluate((panel) => {
    const scroller = panel.parentElement!;
    const bounds = scroller.getBoundingClientRect();
    const out = [...panel.querySelectorAll<HTMLElement>("button, input, [role=switch], td, th")]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => ({ name: el.getAttribute("aria-label") ?? el.textContent?.trim().slice(0, 40) ?? el.tagName, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 1 && (box.left < Math.max(0, bounds.left) - 0.5 || box.right > Math.min(window.innerWidth, bounds.right) + 0.5))
      .map(({ name, box }) => `${name} (${Math.round(box.left)}–${Math.round(box.right)})`);
    return { panel: scroller.scrollWidth - scroller.clientWidth, out };
  });
  expect(overflow, `${label}: sideways overflow (px) and controls outside the panel`).toEqual({ panel: 0, out: [] });
}

for (const size of [{ width: 390, height: 844 }, { width: 1440, height: 900 }]) {
  test(`Contact tab at ${size.width} px: forms take the row's full width, nothing scrolls sideways`, async ({ asRole }) => {
    test.slow(); // four forms, each checked for width and sideways scroll, and axe over the Dashboard with its spend chart behind the slide-over
    const page = await asRole("other");
    await page.setViewportSize(size);
    await page.goto("/?settings=contact");
    const dialog = await expectAccountSettingsOpen(page);
    const table = dialog.getByRole("table", { name: "Contact email addresses and their roles" });
    const address = `layout-${size.width}-${Date.now()}@a-rather-long-department-name.example.com`;
    await dialog.getByRole("button", { name: "Create new Email" }).click();
    await dialog.getByRole("textbox", { name: "Email address" }).fill(address);
    await dialog.getByLabel("Your password").fill(DEMO_PASSWORD);
    await dialog.getByRole("button", { name: "Create", exact: true }).click();
    await expect(dialog.getByText(`We sent a verification code to ${address}`)).toBeVisible();
    await expect(dialog.getByLabel(`Verification code for ${address}`)).toBeFocused();

    /** The open form spans the table's width (less the cell's padding), not the Email column's. */
    const expectFullWidth = async (form: Locator, what: string) => {
      const [formBox, tableBox] = [await form.boundingBox(), await table.boundingBox()];
      expect(formBox!.width, `${what}: width against the table's ${tableBox!.width}px`).toBeGreaterThan(tableBox!.width - 24);
      await expectNoSidewaysScroll(dialog, what);
    };
    await expectFullWidth(dialog.getByLabel(`Verification code for ${address}`).locator("xpath=ancestor::td[1]"), "verify form");
    await expectNoSeriousA11yViolations(page);

    await dialog.getByLabel(`Verification code for ${address}`).fill(await verificationCode(address));
    await dialog.getByRole("button", { name: "Verify" }).click();
    await expect(dialog.getByText("Address verified")).toBeVisible();
    await expect(dialog.getByText("We sent a verification code")).toHaveCount(0);
    const roles = dialog.getByRole("form", { name: `Roles of ${address}` });
    await expectFullWidth(roles, "roles form");
    await roles.getByRole("switch", { name: "Billing" }).click();
    await expect(roles.getByLabel("Your password")).toBeVisible();
    await expectNoSidewaysScroll(dialog, "roles form asking for the password");
    await expectNoSeriousA11yViolations(page);

    await dialog.getByRole("button", { name: `Delete ${address}` }).click();
    const confirm = dialog.getByRole("form", { name: `Confirm deleting ${address}` });
    await expectFullWidth(confirm, "delete confirmation");
    await expectNoSeriousA11yViolations(page);
    // The confirm button's name is not the row's "Delete …": it says what it does.
    await confirm.getByRole("button", { name: `Yes, delete ${address}` }).click();
    await expect(dialog.getByRole("button", { name: `Modify ${address}` })).toHaveCount(0);
  });
}

test("the only contact address: Delete is disabled with the reason shown", async ({ asRole }) => {
  const page = await asRole("demo");
  await page.goto("/?settings=contact");
  const dialog = await expectAccountSettingsOpen(page);
  const remove = dialog.getByRole("button", { name: "Delete demo@example.com" });
  await expect(remove).toBeDisabled();
  await expect(remove).toHaveAccessibleDescription("The only address cannot be deleted.");
  await expect(dialog.getByText("The only address cannot be deleted.")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("phone numbers: added in international form, refused otherwise", async ({ asRole }) => {
  const page = await asRole("other");
  await page.goto("/?settings=contact");
  const dialog = await expectAccountSettingsOpen(page);
  await dialog.getByRole("textbox", { name: "Phone number" }).fill("12345");
  await dialog.getByRole("button", { name: "Add phone" }).click();
  await expect(dialog.getByText("Enter the number in international form")).toBeVisible();
  await dialog.getByRole("textbox", { name: "Phone number" }).fill("+358 40 123 4567");
  await dialog.getByRole("button", { name: "Add phone" }).click();
  await expect(dialog.getByText("+358401234567")).toBeVisible();
});

test("Customer Info: an update survives a reload; invalid input shows errors and saves nothing", async ({ asRole }) => {
  const page = await asRole("other");
  await page.goto("/");
  let dialog = await openTab(page, "Customer Info");
  await expect(dialog.getByLabel("Organisation number")).toHaveAttribute("readonly", "");
  await expectNoSeriousA11yViolations(page);
  await dialog.getByLabel("Address", { exact: true }).fill("Aleksanterinkatu 20");
  await dialog.getByRole("button", { name: "Update" }).click();
  await expect(dialog.getByRole("status").filter({ hasText: "Customer info saved" })).toBeVisible();

  await page.reload();
  dialog = await expectAccountSettingsOpen(page);
  await expect(dialog.getByLabel("Address", { exact: true })).toHaveValue("Aleksanterinkatu 20");

  await dialog.getByLabel("Zip code").fill("ABC");
  await dialog.getByLabel("VAT number").fill("SE123");
  await dialog.getByLabel("Address", { exact: true }).fill("Should not be saved 1");
  await dialog.getByRole("button", { name: "Update" }).click();
  await expect(dialog.getByText("Enter a zip code like 00100.")).toBeVisible();
  await expect(dialog.getByText("A VAT number for this country starts with FI.")).toBeVisible();
  await expect(dialog.getByLabel("Zip code")).toHaveAttribute("aria-invalid", "true");
  await page.reload();
  dialog = await expectAccountSettingsOpen(page);
  await expect(dialog.getByLabel("Address", { exact: true })).toHaveValue("Aleksanterinkatu 20");
});

test("Settings: language saved; automatic payment cannot be turned on without a saved card", async ({ asRole }) => {
  const page = await asRole("other");
  await page.goto("/");
  const dialog = await openTab(page, "Settings");
  await expect(dialog.getByRole("switch", { name: /Pay invoices automatically/ })).toBeDisabled();
  await expect(dialog.getByText("Needs a saved card: add one below.", { exact: false })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole("radio", { name: /Svenska/ }).check();
  await dialog.getByRole("button", { name: "Save settings" }).click();
  await expect(dialog.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();
  await page.reload();
  const again = await expectAccountSettingsOpen(page);
  await expect(again.getByRole("radio", { name: /Svenska/ })).toBeChecked();
  // Back to English: other specs read this account's amounts.
  await again.getByRole("radio", { name: /English/ }).check();
  await again.getByRole("button", { name: "Save settings" }).click();
  await expect(again.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();
});

test("invoice access Read sees contacts and customer info read-only", async ({ asRole }) => {
  const page = await asRole("reader");
  await page.goto("/?settings=contact");
  const dialog = await expectAccountSettingsOpen(page);
  await expect(dialog.getByRole("cell", { name: "demo@example.com" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Create new Email" })).toHaveCount(0);
  await expect(dialog.getByRole("button", { name: /^Modify/ })).toHaveCount(0);
  await dialog.getByRole("tab", { name: "Customer Info" }).click();
  await expect(dialog.getByLabel("Address", { exact: true })).toHaveAttribute("readonly", "");
  await expect(dialog.getByRole("button", { name: "Update" })).toHaveCount(0);
  await dialog.getByRole("tab", { name: "Settings" }).click();
  await expect(dialog.getByRole("radio", { name: /Svenska/ })).toBeDisabled();
  await expect(dialog.getByRole("button", { name: "Save settings" })).toHaveCount(0);
  await dialog.getByRole("tab", { name: "Customer Info" }).click();

  // A forged submission of the read-only form is refused with 403 and changes nothing.
  await dialog.getByLabel("Address", { exact: true }).evaluate((el: HTMLInputElement) => {
    el.readOnly = false;
    el.value = "Forged street 1";
  });
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    dialog.getByLabel("Address", { exact: true }).evaluate((el: HTMLInputElement) => el.form!.requestSubmit()),
  ]);
  expect(response.status()).toBe(403);
  const demo = await asRole("demo");
  await demo.goto("/?settings=customer-info");
  await expect((await expectAccountSettingsOpen(demo)).getByLabel("Address", { exact: true })).toHaveValue("Kungsgatan 12");
});

test("every user, even invoice access None, has Log out, Log out everywhere and Change password; a refused change says why next to the field", async ({ asRole }) => {
  test.setTimeout(120_000);
  const page = await asRole("noaccess");
  await page.goto("/");
  await accountSettingsButton(page).click();
  const dialog = await expectAccountSettingsOpen(page);
  await expect(dialog.getByText("Current user: noaccess@example.com")).toBeVisible();
  for (const name of ["Log out", "Log out everywhere"]) await expect(dialog.getByRole("button", { name, exact: true })).toBeVisible();
  const opener = dialog.getByRole("button", { name: "Change password", exact: true });
  await expect(opener).toHaveAttribute("aria-expanded", "false");
  await opener.click();
  await expect(opener).toHaveAttribute("aria-expanded", "true");
  const form = dialog.getByRole("form", { name: "Change password" });
  await expectNoSeriousA11yViolations(page);

  // Too short: refused before the current password is even checked.
  await form.getByLabel("Current password", { exact: true }).fill(DEMO_PASSWORD);
  await form.getByLabel("New password", { exact: true }).fill("only-eleven");
  await form.getByLabel("Repeat new password", { exact: true }).fill("only-eleven");
  await form.getByRole("button", { name: "Save new password" }).click();
  await expect(form.getByLabel("New password", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("New password", { exact: true })).toHaveAccessibleDescription(/Use at least 12 characters\./);

  // Repeated differently.
  await form.getByLabel("Current password", { exact: true }).fill(DEMO_PASSWORD);
  await form.getByLabel("New password", { exact: true }).fill("long-enough-new-password");
  await form.getByLabel("Repeat new password", { exact: true }).fill("long-enough-new-passwork");
  await form.getByRole("button", { name: "Save new password" }).click();
  await expect(form.getByLabel("Repeat new password", { exact: true })).toHaveAccessibleDescription("This is not the same as the new password.");

  // A wrong current password (it counts towards the login lock, like a failed login).
  await form.getByLabel("Current password", { exact: true }).fill("not-the-password");
  await form.getByLabel("New password", { exact: true }).fill("long-enough-new-password");
  await form.getByLabel("Repeat new password", { exact: true }).fill("long-enough-new-password");
  await form.getByRole("button", { name: "Save new password" }).click();
  await expect(form.getByLabel("Current password", { exact: true })).toHaveAccessibleDescription("That password is not right.");
  await expect(form.getByRole("status")).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  // Nothing changed, and this session is still on (the slide-over opens again from the URL).
  await page.reload();
  await expect((await expectAccountSettingsOpen(page)).getByText("Current user: noaccess@example.com")).toBeVisible();
});

test("invoice access None: the slide-over shows the user's own controls and no billing data", async ({ asRole }) => {
  const page = await asRole("noaccess");
  await page.goto("/?settings=contact");
  const dialog = await expectAccountSettingsOpen(page);
  await expect(dialog.getByText("Current user: noaccess@example.com")).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Log out", exact: true })).toBeVisible();
  // No Customer Info, Contact or Settings: the tabs go once the (billing-less) settings are loaded.
  await expect(dialog.getByRole("tab")).toHaveCount(0);
  await expect(dialog.getByRole("tabpanel")).toHaveCount(0);
  for (const billing of ["demo@example.com", "Kungsgatan 12", "Next invoice will be sent to"]) await expect(dialog.getByText(billing)).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
});
