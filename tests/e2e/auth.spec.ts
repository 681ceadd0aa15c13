/**
 * Signing in and out from the browser: every demo user, wrong and unknown credentials (the
 * same message), the per-email lock, the way back to a protected page (callbackUrl), the
 * refused open redirect, and logging out from the Account settings slide-over.
 *
 * Failed logins count towards a per-email lock (5 in 15 minutes, lib/auth/throttle.ts) and the
 * demo database is shared by every spec of a run, so failures here go to emails of their own
 * (random unknown ones) and at most one to a demo user.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { accountSettingsButton, expect, expectAccountSettingsOpen, test } from "./fixtures";
import { DEMO_PASSWORD, ROLES } from "./roles";
import { builtActions, callAction, disposeClients, FORM, newClient, setCookies } from "./security-support";

const INCORRECT = "Incorrect email or password.";

/** Fills the login form and submits it; resolves once the server has answered the sign-in. */
async function submitLogin(page: Page, email: string, password: string) {
  await page.getByRole("textbox", { name: "Email" }).fill(email);
  await page.getByLabel("Password").fill(password);
  const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login");
  await page.getByRole("button", { name: "Log in" }).click();
  await answered;
}

/** The login form's own message (Next's route announcer is an alert too, outside <main>). */
const loginAlert = (page: Page) => page.getByRole("main").getByRole("alert");

/**
 * Expects the sign-in just submitted to be refused with `message`. React resets the form once
 * the action's answer is rendered, so an emptied password field marks this answer (the alert
 * may still show the previous one), and the next fill cannot race the reset.
 */
async function expectRefused(page: Page, message: string | RegExp) {
  await expect(page.getByLabel("Password")).toHaveValue("");
  await expect(page.getByRole("button", { name: "Log in" })).toBeEnabled();
  await expect(loginAlert(page)).toHaveText(message);
  await expect(page).toHaveURL((u) => u.pathname === "/login");
}

const uniqueEmail = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}@example.com`;

test.describe("logging in", () => {
  for (const [role, email] of Object.entries(ROLES)) {
    test(`${email} (${role}) logs in and lands on the dashboard`, async ({ page }) => {
      await page.goto("/login");
      await expect(page.getByRole("heading", { name: "Log in to your cloud account" })).toBeVisible();
      await submitLogin(page, email, DEMO_PASSWORD);
      await expect(page).toHaveURL((u) => u.pathname === "/" && u.search === "");
      await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
      await expect(accountSettingsButton(page)).toBeVisible();
    });
  }

  test("a wrong password is refused and stays on the login page", async ({ page }) => {
    await page.goto("/login");
    // One failure on a demo user, far from the lock; its next successful login clears it.
    await submitLogin(page, ROLES.reader, "not-the-password");
    await expectRefused(page, INCORRECT);
    // The email is kept (the password is not).
    await expect(page.getByRole("textbox", { name: "Email" })).toHaveValue(ROLES.reader);
    // Still signed out.
    await page.goto("/users");
    await expect(page).toHaveURL((u) => u.pathname === "/login");
  });

  test("a failed login is one line in the server's log, not a stack trace", async ({ page }) => {
    // scripts/e2e.mjs writes the server's output to this file as it comes.
    const logFile = path.join(process.env.E2E_DATA_DIR!, "server.log");
    const before = fs.statSync(logFile).size;
    await page.goto("/login");
    await submitLogin(page, uniqueEmail("logged"), "not-the-password");
    await expectRefused(page, INCORRECT);
    const since = () => fs.readFileSync(logFile).subarray(before).toString("utf8");
    await expect.poll(since, { message: "the refusal is logged" }).toContain("[auth] sign-in refused: wrong email or password");
    const written = since();
    // Other specs' requests may write meanwhile: none of it is Auth.js's stack for a refusal.
    expect(written).not.toContain("CredentialsSignin");
    expect(written).not.toContain("[auth][error]");
  });

  test("an unknown email gets the very same message as a wrong password", async ({ page }) => {
    await page.goto("/login");
    await submitLogin(page, uniqueEmail("nobody"), DEMO_PASSWORD);
    await expectRefused(page, INCORRECT);
  });

  test("an empty form gets a message next to each field, not a sign-in attempt", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("textbox", { name: "Email" })).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByRole("textbox", { name: "Email" })).toHaveAccessibleDescription("Enter your email address.");
    await expect(page.getByLabel("Password")).toHaveAccessibleDescription("Enter your password.");
    await expect(loginAlert(page)).toHaveCount(0);
  });

  test("five wrong passwords lock the email: the sixth attempt is refused as throttled", async ({ page }) => {
    const email = uniqueEmail("lockme");
    await page.goto("/login");
    for (let attempt = 1; attempt <= 5; attempt++) {
      await test.step(`attempt ${attempt}`, async () => {
        await submitLogin(page, email, `wrong-${attempt}`);
        await expectRefused(page, INCORRECT);
      });
    }
    await submitLogin(page, email, "wrong-6");
    await expectRefused(page, /^Too many failed sign-in attempts\. Try again in \d+ minutes\.$/);
  });
});

test.describe("where a login leads", () => {
  test("a protected page while signed out goes to the login page and back after login", async ({ page }) => {
    await page.goto("/users");
    await expect(page).toHaveURL((u) => u.pathname === "/login" && u.searchParams.get("callbackUrl") === "/users");
    await submitLogin(page, ROLES.reader, DEMO_PASSWORD);
    await expect(page).toHaveURL((u) => u.pathname === "/users");
    await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  });

  for (const target of ["//evil.example", "https://evil.example/", "/\\evil.example"]) {
    test(`an open redirect to ${target} lands on the dashboard instead`, async ({ page, baseURL }) => {
      await page.goto(`/login?callbackUrl=${encodeURIComponent(target)}`);
      await submitLogin(page, ROLES.demo, DEMO_PASSWORD);
      await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
      expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
      expect(new URL(page.url()).pathname).toBe("/");
    });
  }

  test("a callbackUrl with any Unicode character leads on to that page on the same origin, never a 500", async ({ page, baseURL }) => {
    test.setTimeout(120_000);
    // "/€" once answered 500 after the session cookie was set: a redirect header carries ASCII only.
    const origin = new URL(baseURL!).origin;
    const cases: [string, (u: URL) => boolean][] = [
      ["/invoices?q=€ö😀", (u) => u.pathname === "/invoices" && u.searchParams.get("q") === "€ö😀"],
      ["/users#Åäö", (u) => u.pathname === "/users" && decodeURIComponent(u.hash) === "#Åäö"],
      ["/users?x=\u2028\u0085", (u) => u.pathname === "/users" && u.searchParams.get("x") === "\u2028\u0085"],
    ];
    for (const [target, lands] of cases) {
      await test.step(target, async () => {
        await page.context().clearCookies();
        await page.goto(`/login?callbackUrl=${encodeURIComponent(target)}`);
        const answer = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login");
        await submitLogin(page, ROLES.reader, DEMO_PASSWORD);
        expect((await answer).status(), "the login action's answer").toBe(200);
        await expect(page).toHaveURL((u) => u.origin === origin && lands(u));
        await expect(page.getByRole("heading", { level: 1, name: target.startsWith("/users") ? "Users" : "Invoices" })).toBeVisible();
      });
    }
    // A path no page has: the action still answers a redirect to it (percent-encoded, same origin)
    // with the session set. Over HTTP: the browser would go on to the 404 page.
    const login = builtActions().find((a) => a.key === "lib/actions/login.ts#login")!;
    for (const target of ["/€", "/😀/ö"]) {
      const res = await callAction(await newClient(), { action: login, path: "/login", args: [{}, FORM], fields: { email: ROLES.reader, password: DEMO_PASSWORD, callbackUrl: target } });
      expect(res.status(), `${target}: the login action's answer`).toBe(200);
      const location = new URL(res.headers()["x-action-redirect"]!.split(";")[0]!, origin);
      expect(location.origin, target).toBe(origin);
      expect(decodeURIComponent(location.pathname), target).toBe(target);
      expect(setCookies(res).map((c) => c.name), `${target}: signed in`).toContain("authjs.session-token");
    }
    await disposeClients();
  });

  test("the login page sends a signed-in user on to the page asked for", async ({ asRole }) => {
    const page = await asRole("reader");
    await page.goto("/login?callbackUrl=%2Fusers");
    await expect(page).toHaveURL((u) => u.pathname === "/users");
    await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  });
});

test("logging out from the Account settings slide-over ends the session", async ({ page }) => {
  // A fresh login of its own: the per-role sessions of the other specs stay untouched.
  await page.goto("/login");
  await submitLogin(page, ROLES.other, DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();

  await accountSettingsButton(page).click();
  const dialog = await expectAccountSettingsOpen(page);
  await expect(dialog.getByText(`Current user: ${ROLES.other}`)).toBeVisible();
  await dialog.getByRole("button", { name: "Log out", exact: true }).click();

  await expect(page).toHaveURL((u) => u.pathname === "/login");
  await expect(page.getByRole("heading", { name: "Log in to your cloud account" })).toBeVisible();

  await page.goto("/users");
  await expect(page).toHaveURL((u) => u.pathname === "/login" && u.searchParams.get("callbackUrl") === "/users");
  await page.goto("/");
  await expect(page).toHaveURL((u) => u.pathname === "/login");
});
