/**
 * The saved card, as a person uses it: Add card leaves for the sandbox provider's "save a card"
 * page (a declined card stays there; a good one comes back saved), the card is shown masked
 * (read-only for invoice access Read), the Pay dialog offers it first and pays without leaving
 * the panel, and Remove card asks for the password. On an account of the spec's own
 * (tests/e2e/security-support.ts), so that the demo accounts, which other specs and the walk
 * read and pay on, stay as seeded.
 */
import { fillCard, openSettings, signedIn } from "./card-steps";
import { expect, expectNoSeriousA11yViolations, test } from "./fixtures";
import { DEMO_PASSWORD } from "./roles";
import { closeDatabase, createIsolatedTarget, database, type Target } from "./security-support";

test.describe.configure({ mode: "serial" });
test.skip(!process.env.DATABASE_URL, "needs an account of the spec's own to save a card on and pay from (PostgreSQL)");

let target: Target;

test.beforeAll(async () => {
  target = await createIsolatedTarget(database()!, "card");
});

test.afterAll(async () => {
  await closeDatabase();
});

test("add a card on the provider's page: a declined one is not saved, a good one comes back masked", async ({ browser }) => {
  const page = await signedIn(browser, target.members.admin!.email);
  const dialog = await openSettings(page);
  await expect(dialog.getByText("No saved card.")).toBeVisible();
  await dialog.getByRole("button", { name: "Add card" }).click();

  await expect(page.getByRole("heading", { name: "Save a card for Cumulus" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await fillCard(page, "4000 0000 0000 0002");
  await expect(page.getByText("Your card was declined.", { exact: true })).toBeVisible();
  await fillCard(page, "4242 4242 4242 4242");

  await expect(page).toHaveURL(/\/\?settings=settings&card=added$/);
  const back = page.getByRole("dialog", { name: "Account settings" });
  await expect(back.getByRole("status").filter({ hasText: "Card saved." })).toBeVisible();
  await expect(back.getByText("Visa •••• 4242, expires 12/2030")).toBeVisible();
  await expect(back.getByRole("button", { name: "Replace card" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("invoice access Read sees the card, without Add, Replace or Remove", async ({ browser }) => {
  const page = await signedIn(browser, target.members.read!.email);
  const dialog = await openSettings(page);
  await expect(dialog.getByText("Visa •••• 4242, expires 12/2030")).toBeVisible();
  for (const name of ["Add card", "Replace card", "Remove card"]) await expect(dialog.getByRole("button", { name })).toHaveCount(0);
});

test("the Pay dialog offers the saved card first and pays with it without leaving the panel", async ({ browser }) => {
  const page = await signedIn(browser, target.members.admin!.email);
  const number = target.invoice.number;
  await page.goto(`/invoices/${number}?pay=${number}`);
  const dialog = page.getByRole("dialog", { name: `Invoice no: ${number}` });
  const saved = dialog.getByRole("radio", { name: "Pay with Visa •••• 4242" });
  await expect(saved).toBeChecked();
  await expect(dialog.getByRole("radio").first()).toHaveAccessibleName("Pay with Visa •••• 4242");
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole("button", { name: /^Pay .+ EUR$/ }).click();

  await expect(page).toHaveURL(new RegExp(`/invoices/${number}\\?payment=`));
  await expect(page.getByRole("status").filter({ hasText: "Payment received" })).toBeVisible();
  await page.goto(`/invoices?status=outstanding`);
  await expect(page.getByRole("link", { name: String(number), exact: true })).toHaveCount(0);
  await page.goto("/invoices");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: String(number), exact: true }) });
  await expect(row.getByRole("img", { name: "Paid" })).toBeVisible();
});

test("remove the card: the password is asked for, then the card is gone", async ({ browser }) => {
  const page = await signedIn(browser, target.members.admin!.email);
  const dialog = await openSettings(page);
  await dialog.getByRole("button", { name: "Remove card" }).click();
  const form = dialog.getByRole("form", { name: "Remove card" });
  await form.getByLabel("Your password").fill("not the password");
  await form.getByRole("button", { name: "Yes, remove the card" }).click();
  await expect(form.getByText("That password is not right.")).toBeVisible();
  await expect(dialog.getByText("Visa •••• 4242, expires 12/2030")).toBeVisible();
  await form.getByLabel("Your password").fill(DEMO_PASSWORD);
  await form.getByRole("button", { name: "Yes, remove the card" }).click();
  await expect(dialog.getByRole("status").filter({ hasText: "Card removed." })).toBeVisible();
  await expect(dialog.getByText("No saved card.")).toBeVisible();
  // Automatic payment needs a card: without one its switch cannot be turned on.
  await expect(dialog.getByRole("switch", { name: /Pay invoices automatically/ })).toBeDisabled();
});
