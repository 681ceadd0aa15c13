/**
 * Per-role fixtures: `asRole("reader")` gives a page signed in as that demo user, and
 * `expectNoSeriousA11yViolations` runs axe on the current page. Every page a test opens is
 * watched for Content-Security-Policy violations: one fails the test.
 */
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Locator, type Page } from "@playwright/test";
import { storageStatePath, type Role } from "./roles";

type Fixtures = {
  asRole: (role: Role) => Promise<Page>;
  cspViolations: string[];
};

export const test = base.extend<Fixtures>({
  cspViolations: [
    async ({ context }, provide) => {
      const violations: string[] = [];
      const watch = (page: Page) =>
        page.on("console", (m) => {
          if (m.type() === "error" && /Content Security Policy/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
        });
      context.pages().forEach(watch);
      context.on("page", watch);
      (context as unknown as { __cspWatch?: (p: Page) => void }).__cspWatch = watch;
      await provide(violations);
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
  // `provide`, not `use`: the React hooks lint rule takes a function named `use` for React's.
  asRole: async ({ browser, context: defaultContext }, provide) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    const watch = (defaultContext as unknown as { __cspWatch?: (p: Page) => void }).__cspWatch;
    await provide(async (role) => {
      const context = await browser.newContext({ storageState: storageStatePath(role) });
      if (watch) context.on("page", watch);
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((c) => c.close()));
  },
});

export { expect };

export async function expectNoSeriousA11yViolations(page: Page) {
  // Only violations come back: axe then skips collecting the details of every passing node.
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).options({ resultTypes: ["violations"] }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    "axe: serious or critical violations",
  ).toEqual([]);
}

/** The opener in the top bar ("Close account settings" inside the dialog would match a substring). */
export const accountSettingsButton = (page: Page) => page.getByRole("button", { name: "Account settings", exact: true });

/** The Account settings slide-over; closed, it is not in the page at all. */
export const accountSettingsDialog = (page: Page) => page.getByRole("dialog", { name: "Account settings" });

/**
 * Expects the Account settings slide-over to be open. Headless UI gives role="dialog" to a
 * wrapper of no size (its panel is position: fixed), which Playwright calls hidden, so this
 * looks at the dialog's heading instead.
 */
export async function expectAccountSettingsOpen(page: Page) {
  const dialog = accountSettingsDialog(page);
  await expect(dialog.getByRole("heading", { name: "Account settings" })).toBeVisible();
  return dialog;
}

/**
 * A row's Options button once the live menu has replaced the closed button the server renders
 * (components/invoices/row-menu.tsx): focus given to the closed one goes with it.
 */
export async function liveOptionsButton(button: Locator): Promise<Locator> {
  await expect(button).toHaveAttribute("id", /^headlessui-menu-button/);
  return button;
}
