/**
 * The walk: every screen, for each demo user, at a phone (390×844), a tablet (768×1024) and a
 * desktop (1440×900), in the light and the dark scheme (see VIEWS). On each screen: no sideways
 * scroll and no visible control outside the viewport; in the views that run axe, axe finds no
 * serious violation (contrast included).
 * The phone-only controls (the navigation drawer, the invoice cards) are used on the way.
 * With E2E_WALK_SCREENSHOTS=1, screenshots go to test-results/walk/<size>-<scheme>/, to be looked at.
 *
 * The viewport is a plain 390 px one, not an emulated mobile device: with isMobile Chromium
 * zooms out to fit a page that is too wide, which would hide the very overflow looked for.
 * One browser context per user, size and scheme; the users' sessions come from global setup.
 * The last test makes payments on the demo account: scripts/e2e.mjs runs this file after the
 * other specs, so that no other spec sees those payments while it runs.
 */
import path from "node:path";
import type { Locator, Page, TestInfo } from "@playwright/test";
import { accountSettingsDialog, expect, expectAccountSettingsOpen, expectNoSeriousA11yViolations, test } from "./fixtures";
import { DEMO_PASSWORD, ROLES } from "./roles";

type Size = { name: string; width: number; height: number };
const PHONE: Size = { name: "phone", width: 390, height: 844 };
const TABLET: Size = { name: "tablet", width: 768, height: 1024 };
const DESKTOP: Size = { name: "desktop", width: 1440, height: 900 };
const SIZES = [PHONE, TABLET, DESKTOP];
type Scheme = "light" | "dark";
/**
 * The views walked: the phone in both schemes, the tablet in the light one and the desktop in the
 * dark one. The scheme changes colours, not layout, so each size's fit is checked in one scheme;
 * the phone, whose layout is its own (the drawer, the invoice cards, full-width dialogs), in both.
 *
 * axe runs where it can find something new: contrast depends on the scheme, not on the width, and
 * names and roles differ only where the layout does. So it runs at the phone in both schemes and
 * at the desktop; the tablet lays out the desktop's controls. The other specs run axe at the
 * desktop in the light scheme on the screens they test.
 */
const VIEWS: { size: Size; scheme: Scheme; axe: boolean }[] = [
  { size: PHONE, scheme: "light", axe: true },
  { size: PHONE, scheme: "dark", axe: true },
  { size: TABLET, scheme: "light", axe: false },
  { size: DESKTOP, scheme: "dark", axe: true },
];
type View = (typeof VIEWS)[number];
/** Screenshots of every stop, to be looked at: only when asked for (they cost a minute a run). */
const SCREENSHOTS = process.env.E2E_WALK_SCREENSHOTS === "1";
/** Tailwind's `md`: below it the left pane is a drawer. */
const MD = 768;

test.describe.configure({ mode: "parallel" });
// Many screens per test, each with axe and a screenshot: minutes on a busy machine.
test.setTimeout(600_000);

/** Waits until CSS transitions (dialogs sliding and fading in) are over: axe measures colours. */
async function settled(page: Page) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
}

/**
 * The page fits the viewport's width: the document does not scroll sideways, and no control a
 * person could see (visible, larger than the 1-px screen-reader-only boxes) lies outside it,
 * neither past the edge of the page nor scrolled out of a container.
 */
async function expectFits(page: Page, screen: string) {
  const found = await page.evaluate(() => {
    const width = window.innerWidth;
    const controls = document.querySelectorAll<HTMLElement>(
      'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="menuitem"], [role="tab"], [role="radio"], [role="switch"], [role="checkbox"]',
    );
    const outside: string[] = [];
    for (const el of controls) {
      const box = el.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1 || getComputedStyle(el).visibility === "hidden") continue;
      if (box.left < -0.5 || box.right > width + 0.5) {
        const name = el.getAttribute("aria-label") ?? el.textContent?.trim().slice(0, 40) ?? "";
        outside.push(`${el.tagName.toLowerCase()} "${name}" at ${Math.round(box.left)}–${Math.round(box.right)}`);
      }
    }
    return { width, scrollWidth: document.documentElement.scrollWidth, outside };
  });
  expect(found.scrollWidth, `${screen}: the page scrolls sideways`).toBeLessThanOrEqual(found.width);
  expect(found.outside, `${screen}: controls outside the ${found.width}-px viewport`).toEqual([]);
}

/** One stop of the walk: it fits, axe is content (in the views that run it), and a screenshot is kept. */
async function look(page: Page, info: TestInfo, screen: string) {
  await settled(page);
  await expectFits(page, screen);
  if (viewOf(page).axe) await expectNoSeriousA11yViolations(page);
  if (!SCREENSHOTS) return;
  const file = `${screen.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.png`;
  await page.screenshot({ path: path.join("test-results", "walk", folder(page), file), fullPage: true });
  info.annotations.push({ type: "screenshot", description: path.join(folder(page), file) });
}

/** The screenshot folder of a page: its size and scheme. */
function folder(page: Page) {
  const { width } = page.viewportSize()!;
  return `${SIZES.find((s) => s.width === width)?.name ?? width}-${viewOf(page).scheme}`;
}

type WalkPage = Page & { walkView?: View };

/** Marks a page with the view it is walked in, for look() and the screenshot folder. */
function tagView(page: Page, view: View) {
  (page as WalkPage).walkView = view;
  return page;
}

function viewOf(page: Page): View {
  const view = (page as WalkPage).walkView;
  if (!view) throw new Error("A walked page is tagged with its view (tagView) before look().");
  return view;
}

const mainNav = (page: Page) => page.getByRole("navigation", { name: "Main" });
const invoiceRows = (page: Page) => page.getByRole("row").filter({ has: page.getByRole("checkbox", { name: /^Select invoice \d+$/ }) });

/** The Main navigation as the size has it: the drawer below `md`, the pane (collapsible) from it. */
async function walkNavigation(page: Page, info: TestInfo, phone: boolean, links: string[]) {
  if (phone) {
    await expect(mainNav(page)).toHaveCount(0);
    await page.getByRole("button", { name: "Open navigation" }).click();
    const drawer = page.getByRole("dialog");
    await expect(drawer.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(links);
    await expect(mainNav(page).getByRole("link", { name: "Dashboard" })).toHaveAttribute("aria-current", "page");
    await look(page, info, "navigation drawer");
    await page.keyboard.press("Escape");
    await expect(drawer).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Open navigation" })).toBeFocused();
    return;
  }
  await expect(page.getByRole("button", { name: "Open navigation" })).toBeHidden();
  const nav = mainNav(page);
  await expect(nav.getByRole("link")).toHaveText(links);
  await nav.getByRole("button", { name: "Collapse navigation" }).click();
  // Collapsed, each link shows its name beside its icon on hover and on keyboard focus only.
  const last = nav.getByRole("link", { name: links.at(-1) });
  await expect.poll(() => tooltipShown(last)).toBe(false);
  await nav.getByRole("link", { name: "Users" }).hover();
  await expect.poll(() => tooltipShown(nav.getByRole("link", { name: "Users" }))).toBe(true);
  await page.mouse.move(page.viewportSize()!.width - 5, page.viewportSize()!.height - 5);
  await page.keyboard.press("Shift+Tab");
  await expect(last).toBeFocused();
  await expect.poll(() => tooltipShown(last)).toBe(true);
  await look(page, info, "navigation collapsed, a link focused");
  await nav.getByRole("button", { name: "Expand navigation" }).click();
  await expect(nav.getByRole("button", { name: "Collapse navigation" })).toBeVisible();
}

/** Whether a collapsed link's name is painted (it is clipped to nothing, yet named, otherwise). */
async function tooltipShown(link: Locator) {
  return link.locator("span:not([aria-hidden])").evaluate((label) => {
    const box = label.getBoundingClientRect();
    return getComputedStyle(label).clipPath === "none" && box.width > 10;
  });
}

/** Goes to a page of the panel through the navigation, as a person on that size would. */
async function navigateTo(page: Page, phone: boolean, link: string) {
  if (phone) await page.getByRole("button", { name: "Open navigation" }).click();
  await mainNav(page).getByRole("link", { name: link }).click();
  await expect(page.getByRole("heading", { level: 1, name: link })).toBeVisible();
}

async function openSettings(page: Page, tab: string) {
  await page.getByRole("button", { name: "Account settings", exact: true }).click();
  const dialog = await expectAccountSettingsOpen(page);
  await dialog.getByRole("tab", { name: tab }).click();
  await expect(dialog.getByRole("tab", { name: tab })).toHaveAttribute("aria-selected", "true");
  await expect(dialog.getByText("Loading…")).toHaveCount(0);
  return dialog;
}

async function closeSettings(page: Page) {
  await page.keyboard.press("Escape");
  await expect(accountSettingsDialog(page)).toHaveCount(0);
}

/** The newest invoice with something outstanding, and a paid one, as the list shows them. */
async function someInvoices(page: Page) {
  await page.goto("/invoices?status=outstanding");
  const outstanding = (await page.getByRole("checkbox", { name: /^Select invoice \d+$/ }).first().getAttribute("aria-label"))?.replace("Select invoice ", "");
  await page.goto("/invoices?status=paid");
  const paid = (await page.getByRole("checkbox", { name: /^Select invoice \d+$/ }).first().getAttribute("aria-label"))?.replace("Select invoice ", "");
  return { outstanding, paid: paid! };
}

async function walkInvoices(page: Page, info: TestInfo, phone: boolean, canPay: boolean) {
  await page.goto("/invoices");
  const rows = invoiceRows(page);
  await expect(rows.first()).toBeVisible();
  const first = rows.first();
  // Table or card, a row keeps its facts and names: status icon, number link, selection, menu.
  await expect(first.getByRole("img", { name: /^(Paid|Outstanding|Overdue|Payment processing)$/ })).toBeVisible();
  await expect(first.getByRole("checkbox", { name: /^Select invoice \d+$/ })).toBeInViewport();
  await expect(first.getByRole("button", { name: /^Options for invoice \d+$/ })).toBeInViewport();
  if (phone) {
    // A card: the row is laid out as a block, narrower than the viewport and taller than a table row.
    const box = (await first.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    expect(box.height).toBeGreaterThan(100);
  } else if ((page.viewportSize()?.width ?? 0) > 1024) {
    await expect(page.getByRole("columnheader", { name: "Outstanding Amount" })).toBeInViewport();
  }
  await look(page, info, "invoices");

  await first.getByRole("button", { name: /^Options for invoice \d+$/ }).click();
  await expect(page.getByRole("menu")).toBeInViewport();
  await look(page, info, "invoices row menu");
  await page.keyboard.press("Escape");

  await rows.nth(0).getByRole("checkbox").check();
  await rows.nth(1).getByRole("checkbox").check();
  await expect(page.getByRole("button", { name: "Download selected (2)" })).toBeVisible();
  if (canPay) await expect(page.getByRole("button", { name: /^Pay selected \(\d\)$/ })).toBeVisible();
  await look(page, info, "invoices selection bar");

  for (const status of ["Outstanding", "Overdue", "Paid"]) {
    await page.getByRole("navigation", { name: "Filter by status" }).getByRole("link", { name: status }).click();
    await expect(page.getByRole("navigation", { name: "Filter by status" }).getByRole("link", { name: status })).toHaveAttribute("aria-current", "page");
    await look(page, info, `invoices ${status.toLowerCase()}`);
  }
  await page.goto("/invoices?q=abc&from=2030-01-01&to=2020-01-01");
  await expect(page.getByRole("textbox", { name: "Invoice number" })).toHaveAttribute("aria-invalid", "true");
  await look(page, info, "invoices filter errors");
  await page.goto("/invoices?q=999999999");
  await expect(page.getByText("No invoices match these filters.")).toBeVisible();
  await look(page, info, "invoices empty");
}

async function walkInvoicePages(page: Page, info: TestInfo, canPay: boolean) {
  const { outstanding, paid } = await someInvoices(page);
  await page.goto(`/invoices/${paid}`);
  await expect(page.getByRole("heading", { level: 1, name: `Invoice ${paid}` })).toBeVisible();
  await look(page, info, "invoice paid");
  if (!outstanding) return;
  await page.goto(`/invoices/${outstanding}`);
  await look(page, info, "invoice outstanding");

  await page.goto(`/invoices/${outstanding}?pay=${outstanding}`);
  const single = page.getByRole("dialog", { name: `Invoice no: ${outstanding}` });
  await expect(single.getByText("Outstanding Amount")).toBeVisible();
  // Its actions stay in view: Close, and Pay (or, for Read, what to do instead).
  await expect(single.getByRole("button", { name: "Close" })).toBeInViewport();
  if (canPay) await expect(single.getByRole("button", { name: /^Pay .+/ })).toBeInViewport();
  await look(page, info, "pay dialog one invoice");
  await single.getByRole("radio", { name: "Bank transfer" }).click();
  await expect(single.getByText("Payment reference to quote")).toBeVisible();
  await look(page, info, "pay dialog bank transfer");

  await page.goto("/invoices?pay=outstanding");
  const several = page.getByRole("dialog", { name: /^Pay \d+ invoices$/ });
  await expect(several.getByText("Outstanding Amount")).toBeVisible();
  await expect(several.getByRole("button", { name: "Close" })).toBeInViewport();
  if (canPay) await expect(several.getByRole("button", { name: /^Pay .+/ })).toBeInViewport();
  await look(page, info, "pay dialog several invoices");
}

/** The Payments page (cards on a phone), its filter errors, and the Statement page with a period. */
async function walkPaymentsAndStatement(page: Page, info: TestInfo) {
  await page.goto("/payments");
  await expect(page.getByRole("heading", { name: "Payments", level: 1 })).toBeVisible();
  await look(page, info, "payments");
  await page.goto("/payments?from=2030-02-30&to=2020-01-01&method=cash");
  await expect(page.locator("#from-error")).toBeVisible();
  await look(page, info, "payments filter errors");
  await page.goto("/invoices/statement");
  await expect(page.getByRole("link", { name: "Download PDF" })).toBeVisible();
  await look(page, info, "statement");
}

async function walkSettings(page: Page, info: TestInfo, manage: boolean) {
  const dialog = await openSettings(page, "Customer Info");
  await look(page, info, "settings customer info");
  if (manage) {
    await dialog.getByRole("checkbox", { name: "Separate billing address" }).click();
    await expect(dialog.getByRole("textbox", { name: "Billing name" })).toBeVisible();
    await look(page, info, "settings customer info billing address");
  }
  await dialog.getByRole("tab", { name: "Contact" }).click();
  await expect(dialog.getByRole("table")).toBeVisible();
  await look(page, info, "settings contact");
  if (manage) {
    await dialog.getByRole("button", { name: `Modify ${ROLES.demo}` }).click();
    await expect(dialog.getByRole("form", { name: `Roles of ${ROLES.demo}` })).toBeVisible();
    await look(page, info, "settings contact roles");
    // The only address cannot be deleted: its Delete is disabled, with the reason shown (the
    // delete confirmation is walked on the address walkVerifyForm adds).
    await expect(dialog.getByRole("button", { name: `Delete ${ROLES.demo}`, exact: true })).toBeDisabled();
    await dialog.getByRole("button", { name: "Create new Email" }).click();
    await expect(dialog.getByRole("form", { name: "Create new Email" })).toBeVisible();
    await look(page, info, "settings contact create");
  }
  await dialog.getByRole("tab", { name: "Settings" }).click();
  await expect(dialog.getByRole("heading", { name: "Saved card" })).toBeVisible();
  await look(page, info, "settings settings");
  await closeSettings(page);
}

/**
 * A new address waiting for its code shows the Verify form; the walk adds one (a name of its
 * own per size and scheme), looks, and deletes it again.
 */
async function walkVerifyForm(page: Page, info: TestInfo) {
  const address = `walk-${folder(page)}@example.com`;
  const dialog = await openSettings(page, "Contact");
  await dialog.getByRole("button", { name: "Create new Email" }).click();
  const create = dialog.getByRole("form", { name: "Create new Email" });
  await create.getByRole("textbox", { name: "Email address" }).fill(address);
  await create.getByLabel("Your password").fill(DEMO_PASSWORD);
  await create.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByRole("textbox", { name: `Verification code for ${address}` })).toBeVisible();
  await look(page, info, "settings contact verify");
  await dialog.getByRole("button", { name: `Delete ${address}`, exact: true }).click();
  const confirm = dialog.getByRole("form", { name: `Confirm deleting ${address}` });
  await expect(confirm).toBeVisible();
  await look(page, info, "settings contact delete");
  await confirm.getByRole("button", { name: `Yes, delete ${address}`, exact: true }).click();
  await expect(dialog.getByText(address)).toHaveCount(0);
  await closeSettings(page);
}

for (const view of VIEWS) {
  const { size, scheme } = view;
  test.describe(`${size.name} ${size.width}×${size.height}, ${scheme}`, () => {
    test.use({ viewport: { width: size.width, height: size.height }, colorScheme: scheme });
    const phone = size.width < MD;

    test("signed out: login, its errors, a page that does not exist", async ({ page }, info) => {
      tagView(page, view);
      await page.goto("/login");
      await expect(page.getByRole("heading", { name: "Log in to your cloud account" })).toBeVisible();
      await look(page, info, "login");
      await page.getByRole("button", { name: "Log in" }).click();
      await expect(page.getByRole("textbox", { name: "Email" })).toHaveAttribute("aria-invalid", "true");
      await look(page, info, "login errors");
      await page.goto("/sandbox/checkout/00000000-0000-4000-8000-000000000000");
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await look(page, info, "not found signed out");
    });

    test("demo (admin, invoice access Full): dashboard, navigation, the invoice list", async ({ asRole }, info) => {
      const page = tagView(await asRole("demo"), view);
      await page.goto("/");
      await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
      await look(page, info, "dashboard");
      await walkNavigation(page, info, phone, ["Dashboard", "Users", "Invoices", "Payments"]);
      await navigateTo(page, phone, "Invoices");
      await walkInvoices(page, info, phone, true);
    });

    test("demo: an invoice's page, the Pay dialog for one and for several, payments, the statement", async ({ asRole }, info) => {
      const page = tagView(await asRole("demo"), view);
      await walkInvoicePages(page, info, true);
      await walkPaymentsAndStatement(page, info);
      await page.goto("/invoices/999999999");
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await look(page, info, "not found signed in");
    });

    test("demo: users, Account settings with every tab and inline form", async ({ asRole }, info) => {
      const page = tagView(await asRole("demo"), view);
      await page.goto("/");
      await navigateTo(page, phone, "Users");
      await look(page, info, "users");
      await page.getByRole("button", { name: "Change access of Rolf Reader" }).click();
      await expect(page.getByRole("form", { name: "Access of Rolf Reader" })).toBeVisible();
      await look(page, info, "users change access");
      await walkSettings(page, info, true);
      await walkVerifyForm(page, info);
    });

    test("reader (invoice access Read): dashboard, invoices, Pay dialog without Pay, settings, users", async ({ asRole }, info) => {
      const page = tagView(await asRole("reader"), view);
      await page.goto("/");
      await look(page, info, "reader dashboard");
      await walkInvoicePages(page, info, false);
      await page.goto("/invoices");
      await look(page, info, "reader invoices");
      await page.goto("/users");
      await look(page, info, "reader users");
      await walkSettings(page, info, false);
    });

    test("noaccess (invoice access None) and other (another account)", async ({ asRole }, info) => {
      const page = tagView(await asRole("noaccess"), view);
      await page.goto("/");
      await expect(page.getByText("no access to invoices")).toBeVisible();
      await look(page, info, "noaccess dashboard");
      if (phone) {
        await page.getByRole("button", { name: "Open navigation" }).click();
        await expect(mainNav(page).getByRole("link")).toHaveText(["Dashboard", "Users"]);
        await page.keyboard.press("Escape");
      }
      await page.goto("/users");
      await look(page, info, "noaccess users");
      // Invoice access None: no billing tabs, only the user's own controls.
      await page.getByRole("button", { name: "Account settings", exact: true }).click();
      const settings = await expectAccountSettingsOpen(page);
      await expect(settings.getByText(`Current user: ${ROLES.noaccess}`)).toBeVisible();
      await expect(settings.getByRole("tab")).toHaveCount(0);
      await look(page, info, "noaccess settings");
      await settings.getByRole("button", { name: "Change password", exact: true }).click();
      await expect(settings.getByRole("form", { name: "Change password" })).toBeVisible();
      await look(page, info, "noaccess settings change password");
      await closeSettings(page);

      const other = tagView(await asRole("other"), view);
      await other.goto("/invoices");
      await expect(invoiceRows(other).first()).toBeVisible();
      await look(other, info, "other invoices");
      await other.goto("/");
      await look(other, info, "other dashboard");
    });
  });
}

/** Every view in turn on one page (a payment's pages exist once). */
async function inEveryView(page: Page, info: TestInfo, screen: string, check?: (page: Page) => Promise<void>) {
  for (const view of VIEWS) {
    await page.setViewportSize({ width: view.size.width, height: view.size.height });
    await page.emulateMedia({ colorScheme: view.scheme });
    tagView(page, view);
    if (check) await check(page);
    await look(page, info, screen);
  }
}

async function fillCard(page: Page, card: string, expiry = "12/30", cvc = "123") {
  await page.getByLabel("Card number").fill(card);
  await page.getByLabel("Expiry").fill(expiry);
  await page.getByLabel("CVC").fill(cvc);
  await page.getByRole("button", { name: /^Pay / }).click();
}

test("payment pages at every size and scheme: hosted checkout, 3-D Secure, and the results", async ({ asRole }, info) => {
  test.setTimeout(300_000);
  const page = await asRole("demo");
  const { outstanding, paid } = await someInvoices(page);
  expect(outstanding, "the demo account has an outstanding invoice").toBeTruthy();

  // Paid: a settled payment of the seed, as the return from the provider shows it.
  await page.goto(`/invoices/${paid}`);
  const receipt = await page.getByRole("link", { name: /^Receipt \(PDF\)/ }).first().getAttribute("href");
  const settled = /\/payments\/([0-9a-f-]{36})\/receipt/.exec(receipt ?? "")?.[1];
  await page.goto(`/invoices/${paid}?payment=${settled}`);
  await expect(page.getByRole("status").filter({ hasText: "Payment received" })).toBeVisible();
  await inEveryView(page, info, "payment result paid");

  // The provider's hosted page, empty and with its field errors.
  await page.goto(`/invoices/${outstanding}?pay=${outstanding}`);
  await page.getByRole("dialog").getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByRole("heading", { name: "Pay Cumulus" })).toBeVisible();
  await inEveryView(page, info, "sandbox checkout");
  await fillCard(page, "4242 4242 4242 4241", "13/20", "1");
  await expect(page.getByText("This card number is not valid.")).toBeVisible();
  await inEveryView(page, info, "sandbox checkout errors");

  // 3-D Secure, then back to the panel before confirming: processing.
  await fillCard(page, "4000 0000 0000 3220");
  await expect(page.getByRole("heading", { name: "3-D Secure confirmation" })).toBeVisible();
  const challenge = page.url();
  await inEveryView(page, info, "sandbox 3-D Secure");
  await page.getByRole("link", { name: "Return to Cumulus" }).click();
  await expect(page.getByRole("status").filter({ hasText: "is being processed" })).toBeVisible();
  await inEveryView(page, info, "payment result processing");

  // The confirmation fails: declined, nothing charged, the invoice still outstanding.
  await page.goto(challenge);
  await page.getByRole("button", { name: "Fail authentication" }).click();
  const declined = page.getByRole("main").getByRole("alert");
  await expect(declined).toContainText("Nothing was charged");
  await inEveryView(page, info, "payment result declined", async (p) => {
    await expect(p.getByRole("main").getByRole("alert").getByRole("link", { name: "Try again" })).toBeInViewport();
  });
});
