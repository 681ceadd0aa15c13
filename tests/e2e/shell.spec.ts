/**
 * The app shell around every page after login (navigation, breadcrumb, Account settings
 * slide-over), the dashboard and the users page, per role. Read-only: nothing here changes
 * the shared demo data.
 */
import type { Page } from "@playwright/test";
import { accountSettingsButton, accountSettingsDialog, expect, expectAccountSettingsOpen, test } from "./fixtures";
import { ROLES } from "./roles";

const mainNav = (page: Page) => page.getByRole("navigation", { name: "Main" });
/** An amount as the panel shows it for an English-language EUR account: "1,234.56 EUR". */
const AMOUNT = /^-?\d{1,3}(,\d{3})*\.\d{2} EUR$/;
const AMOUNT_IN_TEXT = /-?\d{1,3}(,\d{3})*\.\d{2} EUR/;

test.describe("main navigation", () => {
  test("holds Dashboard, Users, Invoices, Payments in that order, the current page marked", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/");
    const nav = mainNav(page);
    await expect(nav.getByRole("link")).toHaveText(["Dashboard", "Users", "Invoices", "Payments"]);
    await expect(nav.getByRole("link", { name: "Dashboard" })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Users" })).not.toHaveAttribute("aria-current", /.*/);
    await expect(nav.getByRole("link", { name: "Invoices" })).not.toHaveAttribute("aria-current", /.*/);

    await nav.getByRole("link", { name: "Users" }).click();
    await expect(page).toHaveURL((u) => u.pathname === "/users");
    await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Users" })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Dashboard" })).not.toHaveAttribute("aria-current", /.*/);
  });

  test("a reader sees the Invoices and Payments links", async ({ asRole }) => {
    const page = await asRole("reader");
    await page.goto("/");
    await expect(mainNav(page).getByRole("link")).toHaveText(["Dashboard", "Users", "Invoices", "Payments"]);
  });

  test("without invoice access there is no Invoices or Payments link and no amount on the dashboard", async ({ asRole }) => {
    const page = await asRole("noaccess");
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    await expect(mainNav(page).getByRole("link")).toHaveText(["Dashboard", "Users"]);
    await expect(page.getByRole("link", { name: "Invoices" })).toHaveCount(0);
    const main = page.getByRole("main");
    await expect(main.getByText("Total outstanding")).toHaveCount(0);
    await expect(main.getByText("Overdue")).toHaveCount(0);
    await expect(main.getByText("Latest invoice")).toHaveCount(0);
    await expect(main.getByRole("link", { name: /invoice/i })).toHaveCount(0);
    await expect(main).not.toContainText(/\d\.\d{2}|EUR/);
    await expect(main).toContainText("no access to invoices");
  });

  test("collapses to icons and keeps the choice after a reload", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/users");
    const nav = mainNav(page);
    const collapse = nav.getByRole("button", { name: "Collapse navigation" });
    await expect(collapse).toHaveAttribute("aria-expanded", "true");
    const wide = (await nav.boundingBox())!.width;
    await collapse.click();

    const expand = nav.getByRole("button", { name: "Expand navigation" });
    await expect(expand).toBeVisible();
    await expect(expand).toHaveAttribute("aria-expanded", "false");
    // Icons only (the pane gets narrower), but each link keeps its name.
    await expect(nav.getByRole("link")).toHaveText(["Dashboard", "Users", "Invoices", "Payments"]);
    await expect.poll(async () => (await nav.boundingBox())?.width).toBeLessThan(wide / 2);

    await page.reload();
    await expect(nav.getByRole("button", { name: "Expand navigation" })).toBeVisible();
    await expect(nav.getByRole("button", { name: "Collapse navigation" })).toHaveCount(0);
    expect((await nav.boundingBox())!.width).toBeLessThan(wide / 2);

    await nav.getByRole("button", { name: "Expand navigation" }).click();
    await expect(nav.getByRole("button", { name: "Collapse navigation" })).toBeVisible();
    await page.reload();
    await expect(nav.getByRole("button", { name: "Collapse navigation" })).toBeVisible();
    expect((await nav.boundingBox())!.width).toBe(wide);
  });
});

test.describe("Account settings slide-over", () => {
  test("opens from the top bar, shows the user, and Escape gives focus back", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/");
    const opener = accountSettingsButton(page);
    await expect(opener).toHaveAttribute("aria-haspopup", "dialog");
    await opener.click();

    const dialog = await expectAccountSettingsOpen(page);
    await expect(dialog).toHaveAttribute("aria-modal", "true");
    await expect(dialog.getByText("Current user: demo@example.com")).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Log out", exact: true })).toBeVisible();
    // The open state lives in the URL, so it can be linked to.
    await expect(page).toHaveURL((u) => u.searchParams.has("settings"));

    await page.keyboard.press("Escape");
    await expect(accountSettingsDialog(page)).toHaveCount(0);
    await expect(opener).toBeFocused();
    await expect(page).toHaveURL((u) => u.pathname === "/" && !u.searchParams.has("settings"));
  });

  test("the close button closes it too", async ({ asRole }) => {
    const page = await asRole("reader");
    await page.goto("/users");
    await accountSettingsButton(page).click();
    const dialog = await expectAccountSettingsOpen(page);
    await expect(dialog.getByText("Current user: reader@example.com")).toBeVisible();
    await dialog.getByRole("button", { name: "Close account settings" }).click();
    await expect(accountSettingsDialog(page)).toHaveCount(0);
    await expect(accountSettingsButton(page)).toBeFocused();
    await expect(page).toHaveURL((u) => u.pathname === "/users" && u.search === "");
  });

  test("?settings=contact in the URL opens it directly", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/users?settings=contact");
    const dialog = await expectAccountSettingsOpen(page);
    await expect(dialog.getByText("Current user: demo@example.com")).toBeVisible();
    await expect(page).toHaveURL((u) => u.pathname === "/users" && u.searchParams.get("settings") === "contact");
  });
});

test.describe("pages", () => {
  test("the dashboard shows the outstanding and overdue amounts and the latest invoice", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/");
    const main = page.getByRole("main");
    await expect(main.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    // A description list: each term, then its amount (and a note).
    await expect(main).toMatchAriaSnapshot(`
      - term: Total outstanding
      - definition: ${AMOUNT}
      - definition: /^\\d+ invoices?$/
      - term: Overdue
      - definition: ${AMOUNT}
      - definition: /.+/
      - term: Next due date
      - definition: /.+/
      - term: Latest invoice
      - definition:
        - link /^Invoice \\d+$/
        - text: ${AMOUNT_IN_TEXT}
    `);
    await expect(main.getByRole("link", { name: "Go to invoices" })).toHaveAttribute("href", "/invoices");
  });

  test("the users page lists the account's users and their invoice access", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/users");
    await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
    const table = page.getByRole("table");
    // Admins also get a last column to change other users' access.
    await expect(table.getByRole("columnheader")).toHaveText(["Name", "Email", "Admin", "Invoice access", "Change"]);
    // A header row and one row per user of Example Cloud Customer AB.
    await expect(table.getByRole("row")).toHaveCount(4);
    const expected = [
      [ROLES.demo, "Yes", "Full", "You cannot change your own access"],
      [ROLES.reader, "No", "Read", "Change access"],
      [ROLES.noaccess, "No", "None", "Change access"],
    ] as const;
    for (const [email, admin, access, change] of expected) {
      const row = table.getByRole("row").filter({ has: page.getByRole("cell", { name: email, exact: true }) });
      await expect(row.getByRole("cell"), email).toHaveText([/\S/, email, admin, access, change]);
    }
    await expect(table.getByRole("cell", { name: ROLES.other })).toHaveCount(0);
    await expect(page.getByRole("main")).not.toContainText(ROLES.other);
  });

  test("the breadcrumb shows Home / Users on the users page", async ({ asRole }) => {
    const page = await asRole("demo");
    await page.goto("/users");
    const breadcrumb = page.getByRole("navigation", { name: "Breadcrumb" });
    await expect(breadcrumb).toMatchAriaSnapshot(`
      - navigation "Breadcrumb":
        - list:
          - listitem:
            - link "Home"
          - listitem: Users
    `);
    await expect(breadcrumb.getByRole("link", { name: "Home" })).toHaveAttribute("href", "/");
    await expect(breadcrumb.getByText("Users", { exact: true })).toHaveAttribute("aria-current", "page");
  });
});
