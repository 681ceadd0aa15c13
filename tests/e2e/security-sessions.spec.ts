/**
 * Sessions over real HTTP, against the production build:
 * - the session and CSRF cookies are httpOnly and SameSite=Lax, expire within the 8-hour
 *   session; a client's X-Forwarded-Proto does not change them: Auth.js takes the scheme from
 *   APP_URL (http here; tests/integration/auth-origin.test.ts proves Secure, __Secure-/__Host-
 *   cookies on an https APP_URL);
 * - a removed privilege or admin flag takes effect at the user's very next request, and a raised
 *   session version (an operator's reset of the user) ends every session of the user at once;
 * - after Log out, a copy of the old cookie is signed out on pages, actions and routes (the
 *   session's row is revoked on the server); Log out everywhere ends the user's sessions in
 *   every browser; Change password ends the other sessions and keeps the one that changed it;
 * - a production server refuses to start without an AUTH_SECRET of at least 32 characters.
 * The database-changing parts run on PostgreSQL, in an account of their own; on the embedded
 * database the spec cannot reach the data (the server holds its lock) and they are skipped:
 * tests/integration/dal.test.ts proves the same rules at the data-access layer on both.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hashPassword } from "../../lib/passwords";
import type { Browser, Page } from "@playwright/test";
import { accountSettingsButton, expect, expectAccountSettingsOpen, test } from "./fixtures";
import { DEMO_PASSWORD, ROLES } from "./roles";
import { freePort } from "../../scripts/lib/ports";
import {
  actionResult,
  callAction,
  createIsolatedTarget,
  database,
  FORM,
  newClient,
  readAnswer,
  securitySpec,
  type SetCookie,
  setCookies,
  signIn,
  type Target,
} from "./security-support";

const actions = securitySpec({ serial: true });
const SESSION_HOURS = 8;

function expectCookieFlags(cookie: SetCookie | undefined, secure: boolean, label: string) {
  expect(cookie, `${label}: set`).toBeDefined();
  const a = cookie!.attributes;
  expect(a.has("httponly"), `${label}: HttpOnly`).toBe(true);
  expect(a.get("samesite")?.toLowerCase(), `${label}: SameSite`).toBe("lax");
  expect(a.get("path"), `${label}: Path`).toBe("/");
  expect(a.has("secure"), `${label}: Secure`).toBe(secure);
  expect(a.has("domain"), `${label}: no Domain (host-only)`).toBe(false);
}

/** Logs in through the login form's server action, as the browser does; returns the answer's cookies. */
async function loginByForm(headers: Record<string, string> = {}) {
  const client = await newClient();
  const res = await callAction(client, {
    action: actions.get("lib/actions/login.ts#login")!,
    path: "/login",
    args: [{}, FORM],
    fields: { email: ROLES.reader, password: DEMO_PASSWORD, callbackUrl: "/" },
    headers,
  });
  const answer = await readAnswer(res, "action");
  expect(answer.outcome, "signed in and sent on").toBe("redirect:/");
  return setCookies(res);
}

test("session and CSRF cookies: httpOnly, SameSite=Lax, within the session's 8 hours; their scheme from APP_URL, not X-Forwarded-Proto", async () => {
  let checked = 0;
  // Plain HTTP (a developer's machine): no Secure flag, or the browser would drop the cookie.
  const plain = await loginByForm();
  const session = plain.find((c) => c.name === "authjs.session-token");
  expectCookieFlags(session, false, "session cookie over HTTP");
  const expires = Date.parse(session!.attributes.get("expires") ?? "");
  expect(expires - Date.now(), "expires within the session's lifetime").toBeLessThanOrEqual(SESSION_HOURS * 3600_000 + 60_000);
  expect(expires - Date.now()).toBeGreaterThan(SESSION_HOURS * 3600_000 - 120_000);
  checked++;

  // Auth.js takes the scheme from APP_URL (http here), never from the request: a client's
  // X-Forwarded-Proto: https gets the same plain cookies (an https APP_URL gets Secure, prefixed
  // ones: tests/integration/auth-origin.test.ts).
  const forwarded = { "x-forwarded-proto": "https" };
  const claimed = await loginByForm(forwarded);
  expect(claimed.filter((c) => c.name.startsWith("__")), "no __Secure-/__Host- cookie from a header").toEqual([]);
  expectCookieFlags(claimed.find((c) => c.name === "authjs.session-token"), false, "session cookie with X-Forwarded-Proto: https");
  checked++;

  // Auth.js's CSRF cookie: the same, with or without the header.
  const csrfPlain = setCookies(await (await newClient()).get("/api/auth/csrf")).find((c) => c.name === "authjs.csrf-token");
  expectCookieFlags(csrfPlain, false, "CSRF cookie over HTTP");
  const csrfClaimed = setCookies(await (await newClient()).get("/api/auth/csrf", { headers: forwarded })).find((c) => c.name === "authjs.csrf-token");
  expectCookieFlags(csrfClaimed, false, "CSRF cookie with X-Forwarded-Proto: https");
  checked += 2;

  // No page sets any other cookie from the server (the navigation preference is set by the browser).
  const names = new Set([...plain, ...claimed].map((c) => c.name));
  expect([...names].filter((n) => !/authjs\.(session-token|callback-url|csrf-token)$/.test(n))).toEqual([]);
  console.log(`session cookies: ${checked} Set-Cookie headers checked (HttpOnly, SameSite=Lax, Path=/, host-only; X-Forwarded-Proto: https changes nothing on an http APP_URL)`);
});

/** The session cookie a client holds now (a copy of it, as a thief would keep). */
async function sessionCookieOf(client: Awaited<ReturnType<typeof newClient>>): Promise<string> {
  const cookie = (await client.storageState()).cookies.find((c) => c.name === "authjs.session-token");
  expect(cookie, "signed in: a session cookie").toBeDefined();
  return cookie!.value;
}

test("after Log out, a copy of the old cookie is signed out on pages, actions and the PDF, CSV and ZIP routes", async () => {
  test.setTimeout(120_000);
  // A session of its own: the other specs' sessions of this user stay untouched.
  const client = await signIn(ROLES.reader);
  const list = await (await client.get("/invoices/export.csv")).text();
  const number = Number(list.split("\r\n")[1]?.split(",")[0]);
  expect(number, "an invoice of the reader's account").toBeGreaterThan(0);
  const urls = ["/", "/invoices", `/invoices/${number}`, `/invoices/${number}/pdf`, "/invoices/export.csv", `/invoices/download?n=${number}`];
  const load = actions.get("lib/actions/account.ts#loadAccountSettings")!;
  const stolen = await sessionCookieOf(client);
  const replay = await newClient({ cookie: `authjs.session-token=${stolen}` });
  // The copy works before logout (the pages and the CSV; the PDF and ZIP answer the same way
  // for a session, and rendering them here would only slow the spec down).
  for (const url of urls.filter((u) => !u.includes("/pdf") && !u.includes("download"))) {
    expect((await replay.get(url, { maxRedirects: 0 })).status(), `before logout: ${url}`).toBe(200);
  }

  const logout = actions.get("lib/actions/session.ts#logout")!;
  const res = await callAction(client, { action: logout, path: "/", args: [] });
  expect((await readAnswer(res, "action")).outcome, "logged out").toBe("login");

  for (const url of urls) {
    expect((await readAnswer(await replay.get(url, { maxRedirects: 0 }), url.includes("/pdf") || url.includes(".csv") || url.includes("download") ? "route" : "page")).outcome, `the old cookie after logout: ${url}`).toBe("login");
  }
  expect((await readAnswer(await callAction(replay, { action: load, path: "/", args: [] }), "action")).outcome, "the old cookie after logout: an action").toBe("login");
  const described = await (await replay.get("/api/auth/session")).json();
  expect(described, "Auth.js's session endpoint no longer describes it").toBeNull();
  console.log(`logout: the old cookie, replayed, is sent to the login page on ${urls.length} pages and routes and 1 action; /api/auth/session answers null`);
});

/** Signs in through the login page in a browser context of its own. */
async function browserSession(browser: Browser, email: string, password = DEMO_PASSWORD): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return page;
}

/** Whether the page's session still opens the invoice list (or is sent to the login page). */
async function stillSignedIn(page: Page): Promise<boolean> {
  await page.goto("/invoices");
  return !new URL(page.url()).pathname.startsWith("/login");
}

test.describe("Log out everywhere and Change password end sessions in other browsers", () => {
  // Both end sessions of the user beyond this spec's: on the embedded database only the demo
  // users exist, whose sessions the other specs share. tests/integration/sessions.test.ts proves
  // the same on both databases; the refusals and the dialog are in account-settings.spec.ts.
  test.skip(!process.env.DATABASE_URL, "needs users of its own (PostgreSQL): on the embedded database it would end the demo users' sessions other specs use");
  let target: Target;

  test.beforeAll(async () => {
    target = await createIsolatedTarget(database()!, "logout");
  });

  test("Log out everywhere ends the session in a second browser too", async ({ browser }) => {
    test.setTimeout(120_000);
    const email = target.members.read!.email;
    const here = await browserSession(browser, email);
    const there = await browserSession(browser, email);
    expect(await stillSignedIn(there)).toBe(true);
    await here.goto("/");
    await accountSettingsButton(here).click();
    const dialog = await expectAccountSettingsOpen(here);
    await dialog.getByRole("button", { name: "Log out everywhere" }).click();
    await expect(here).toHaveURL((u) => u.pathname === "/login");
    expect(await stillSignedIn(here), "this browser").toBe(false);
    expect(await stillSignedIn(there), "the second browser").toBe(false);
    const [row] = await database()!<{ live: string }[]>`
      select count(*) filter (where revoked_at is null)::text as live from user_sessions where user_id = ${target.members.read!.id}`;
    expect(row!.live, "no live session row of the user").toBe("0");
    await Promise.all([here.context().close(), there.context().close()]);
    console.log("log out everywhere: both browsers' sessions ended");
  });

  test("Change password ends the other browser's session and keeps this one", async ({ browser }) => {
    test.setTimeout(120_000);
    const member = target.members.none!;
    const here = await browserSession(browser, member.email);
    const there = await browserSession(browser, member.email);
    await here.goto("/");
    await accountSettingsButton(here).click();
    const dialog = await expectAccountSettingsOpen(here);
    await dialog.getByRole("button", { name: "Change password" }).click();
    const form = dialog.getByRole("form", { name: "Change password" });
    const newPassword = "a-new-password-from-the-dialog";
    await form.getByLabel("Current password", { exact: true }).fill(DEMO_PASSWORD);
    await form.getByLabel("New password", { exact: true }).fill(newPassword);
    await form.getByLabel("Repeat new password", { exact: true }).fill(newPassword);
    await form.getByRole("button", { name: "Save new password" }).click();
    await expect(form.getByRole("status")).toContainText("Password changed.");
    const [user] = await database()!<{ changed: boolean }[]>`select password_changed_at is not null as changed from users where id = ${member.id}`;
    expect(user!.changed, "password_changed_at set").toBe(true);

    expect(await stillSignedIn(there), "the other browser").toBe(false);
    await here.goto("/");
    await expect(here, "this browser stays signed in").toHaveURL((u) => u.pathname === "/");
    await expect(signIn(member.email, DEMO_PASSWORD), "the old password").rejects.toThrow(/Sign-in .* failed/);
    expect(await signIn(member.email, newPassword), "the new password").toBeTruthy();
    await Promise.all([here.context().close(), there.context().close()]);
    console.log("change password: the other browser's session ended, this one kept; old password refused, new one accepted");
  });
});

test("the per-address login limit counts the address our proxy appended: rotating X-Forwarded-For gains nothing", async () => {
  test.setTimeout(180_000);
  // The server runs with TRUSTED_PROXY_HOPS=1 (scripts/e2e.mjs). Each request carries the header
  // exactly as nginx's `$proxy_add_x_forwarded_for` makes it: whatever the client wrote, then
  // ", " and the address nginx was connected from. The attacker writes a new address each time.
  const attacker = "203.0.113.66";
  const neighbour = "203.0.113.67";
  const viaNginx = (written: string | null, remoteAddr: string) => ({ "x-forwarded-for": written ? `${written}, ${remoteAddr}` : remoteAddr });
  const login = actions.get("lib/actions/login.ts#login")!;
  const attempt = async (email: string, password: string, headers: Record<string, string>) => {
    const res = await callAction(await newClient(), { action: login, path: "/login", args: [{}, FORM], fields: { email, password, callbackUrl: "/" }, headers });
    const answer = await readAnswer(res, "action");
    return answer.outcome.startsWith("redirect:") ? "signed in" : String((actionResult(answer.body) as { message?: string } | undefined)?.message);
  };
  const run = `${Date.now().toString(36)}`;
  const LIMIT = 50;
  // 50 failed logins, each for an email of its own (so no per-email lock), each with another forged left-most address.
  for (let batch = 0; batch < LIMIT / 10; batch++) {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => {
        const n = batch * 10 + i;
        return attempt(`spray-${run}-${n}@example.com`, "wrong-password", viaNginx(`198.51.100.${n}, 10.${n}.0.1`, attacker));
      }),
    );
    expect(answers, `batch ${batch + 1}`).toEqual(Array(10).fill("Incorrect email or password."));
  }
  const locked = /^Too many failed sign-in attempts/;
  expect(await attempt(`spray-${run}-fresh@example.com`, "wrong-password", viaNginx("192.0.2.201", attacker)), "a new forged address").toMatch(locked);
  expect(await attempt(`spray-${run}-bare@example.com`, "wrong-password", viaNginx(null, attacker)), "no header of its own").toMatch(locked);
  expect(await attempt(ROLES.reader, DEMO_PASSWORD, viaNginx(neighbour, attacker)), "even the right password, from the attacker's address").toMatch(locked);
  // Another client is not locked, even when the attacker's address is written into its header.
  expect(await attempt(ROLES.reader, DEMO_PASSWORD, viaNginx(attacker, neighbour)), "a neighbour signs in").toBe("signed in");
  console.log(`per-address limit: ${LIMIT} failures with ${LIMIT} forged left-most addresses locked ${attacker}; ${neighbour} still signs in`);
});

test.describe("changes take effect at the next request", () => {
  test.skip(!process.env.DATABASE_URL, "needs the database: on the embedded one the server holds its lock (tests/integration/dal.test.ts covers the same rules there)");
  let target: Target;

  test.beforeAll(async () => {
    target = await createIsolatedTarget(database()!, "sessions");
  });

  test("a removed privilege or admin flag applies at the user's next request", async () => {
    const admin = await signIn(target.members.admin!.email);
    const reader = await signIn(target.members.read!.email);
    const full = await signIn(target.members.full!.email);
    const saveAccess = actions.get("lib/actions/users.ts#saveUserAccess")!;
    const setAccess = async (userId: string, invoiceAccess: string, isAdmin: boolean) => {
      const res = await callAction(admin, { action: saveAccess, path: "/users", args: [{}, FORM], fields: { userId, invoiceAccess, ...(isAdmin ? { isAdmin: "on" } : {}) } });
      expect((await readAnswer(res, "action")).outcome, `admin sets ${invoiceAccess}${isAdmin ? " + admin" : ""}`).toBe("ok");
    };
    const invoiceUrls = ["/invoices", `/invoices/${target.invoice.number}`, `/invoices/${target.invoice.number}/pdf`, "/invoices/export.csv"];
    const statuses = async () => Promise.all(invoiceUrls.map(async (u) => (await reader.get(u, { maxRedirects: 0 })).status()));

    expect(await statuses()).toEqual([200, 200, 200, 200]);
    await setAccess(target.members.read!.id, "none", false);
    expect(await statuses(), "Read removed: the same session's next requests answer 404").toEqual([404, 404, 404, 404]);
    await setAccess(target.members.read!.id, "read", false);
    expect(await statuses(), "Read given back").toEqual([200, 200, 200, 200]);

    // The admin flag: the Full user becomes admin and may change access; then loses it.
    const probe = () => callAction(full, { action: saveAccess, path: "/users", args: [{}, FORM], fields: { userId: "x" } });
    expect((await readAnswer(await probe(), "action")).outcome, "not an admin: 403").toBe("forbidden");
    await setAccess(target.members.full!.id, "full", true);
    expect((await readAnswer(await probe(), "action")).outcome, "made admin: allowed (field errors for the harmless input)").toBe("declined");
    await setAccess(target.members.full!.id, "full", false);
    expect((await readAnswer(await probe(), "action")).outcome, "admin removed: 403 at the next request").toBe("forbidden");
    console.log("privilege changes: Read removed, given back, admin given and removed: each applied at the next request");
  });

  test("a raised session version (an operator's reset) ends every session of the user at the next request", async () => {
    const member = target.members.read!;
    const first = await signIn(member.email);
    const second = await signIn(member.email);
    for (const c of [first, second]) expect((await c.get("/", { maxRedirects: 0 })).status()).toBe(200);

    // An operator's reset of the user (a new hash, the version raised) ends every session of theirs.
    const newPassword = "a-new-password-for-the-security-spec";
    await database()!`update users set password_hash = ${await hashPassword(newPassword)}, session_version = session_version + 1, password_changed_at = now() where id = ${member.id}`;

    const load = actions.get("lib/actions/account.ts#loadAccountSettings")!;
    for (const [i, c] of [first, second].entries()) {
      for (const url of ["/", "/invoices", `/invoices/${target.invoice.number}/pdf`]) {
        expect((await readAnswer(await c.get(url, { maxRedirects: 0 }), "page")).outcome, `session ${i + 1}: ${url}`).toBe("login");
      }
      expect((await readAnswer(await callAction(c, { action: load, path: "/", args: [] }), "action")).outcome, `session ${i + 1}: an action`).toBe("login");
    }
    await expect(signIn(member.email, DEMO_PASSWORD), "the old password").rejects.toThrow(/Sign-in .* failed/);
    const fresh = await signIn(member.email, newPassword);
    expect((await fresh.get("/", { maxRedirects: 0 })).status(), "the new password signs in").toBe(200);
    console.log("session version raised: 2 sessions × 4 requests all sent to the login page; old password refused, new one accepted");
  });
});

test("a production server refuses to start without an AUTH_SECRET of at least 32 characters", async () => {
  test.setTimeout(90_000);
  const cases: [string, string | undefined, RegExp][] = [
    ["missing", undefined, /AUTH_SECRET is not set/],
    ["short", "only-twenty-characters", /AUTH_SECRET is too short/],
  ];
  for (const [label, secret, message] of cases) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cumulus-secret-"));
    const port = String(await freePort());
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: port, CUMULUS_DATA_DIR: dataDir, CUMULUS_ALLOW_EMBEDDED: "true", CUMULUS_OUTBOX_INTERVAL_MS: "0" };
    delete env.DATABASE_URL;
    if (secret === undefined) delete env.AUTH_SECRET;
    else env.AUTH_SECRET = secret;
    const child = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", port], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    // Next may run instrumentation at the first request: ask once it listens.
    const deadline = Date.now() + 60_000;
    let served = false;
    while (child.exitCode === null && Date.now() < deadline) {
      try {
        const res = await fetch(`http://localhost:${port}/login`);
        served = res.ok;
        if (served) break;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    const code = await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(served, `${label} secret: the server answered a page`).toBe(false);
    expect(code, `${label} secret: exit code\n${output}`).toBe(1);
    expect(output, `${label} secret: the reason`).toMatch(message);
  }
  console.log("production start: refused with a missing and with a short AUTH_SECRET (exit code 1, reason printed)");
});
