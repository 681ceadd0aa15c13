/**
 * Sessions over real HTTP, against the production build:
 * - the session and CSRF cookies are httpOnly and SameSite=Lax, expire within the 8-hour
 *   session, and behind a TLS-terminating proxy (X-Forwarded-Proto: https) they are Secure
 *   with the __Secure-/__Host- prefixes (Auth.js decides by the request's protocol, which it
 *   takes from X-Forwarded-Proto since trustHost is on);
 * - a removed privilege or admin flag takes effect at the user's very next request, and a raised
 *   session version (what a password change must do) ends every session of the user at once;
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
import { expect, test } from "./fixtures";
import { DEMO_PASSWORD, ROLES } from "./roles";
import {
  actionResult,
  BASE_URL,
  builtActions,
  callAction,
  closeDatabase,
  createIsolatedTarget,
  database,
  disposeClients,
  FORM,
  newClient,
  readAnswer,
  setCookies,
  signIn,
  type SetCookie,
  type Target,
} from "./security-support";

test.describe.configure({ mode: "serial" });

const actions = new Map(builtActions().map((a) => [a.key, a] as const));
const HOST = new URL(BASE_URL).host;
const SESSION_HOURS = 8;

test.afterAll(async () => {
  await disposeClients();
  await closeDatabase();
});

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
    action: actions.get("app/login/actions.ts#login")!,
    path: "/login",
    args: [{}, FORM],
    fields: { email: ROLES.reader, password: DEMO_PASSWORD, callbackUrl: "/" },
    headers,
  });
  const answer = await readAnswer(res, "action");
  expect(answer.outcome, "signed in and sent on").toBe("redirect:/");
  return setCookies(res);
}

test("session and CSRF cookies: httpOnly, SameSite=Lax, within the session's 8 hours; Secure behind HTTPS", async () => {
  let checked = 0;
  // Plain HTTP (a developer's machine): no Secure flag, or the browser would drop the cookie.
  const plain = await loginByForm();
  const session = plain.find((c) => c.name === "authjs.session-token");
  expectCookieFlags(session, false, "session cookie over HTTP");
  const expires = Date.parse(session!.attributes.get("expires") ?? "");
  expect(expires - Date.now(), "expires within the session's lifetime").toBeLessThanOrEqual(SESSION_HOURS * 3600_000 + 60_000);
  expect(expires - Date.now()).toBeGreaterThan(SESSION_HOURS * 3600_000 - 120_000);
  checked++;

  // Behind a TLS-terminating proxy: Auth.js reads X-Forwarded-Proto (trustHost) and switches to
  // Secure cookies with the __Secure- prefix.
  const https = { "x-forwarded-proto": "https", origin: `https://${HOST}` };
  const secure = await loginByForm(https);
  expect(secure.find((c) => c.name === "authjs.session-token"), "no insecure session cookie behind HTTPS").toBeUndefined();
  const secureSession = secure.find((c) => c.name === "__Secure-authjs.session-token");
  expectCookieFlags(secureSession, true, "session cookie behind HTTPS");
  checked++;

  // The secure cookie signs in behind HTTPS; a session cookie set on any later answer is Secure too.
  const client = await newClient();
  const page = await client.get("/", { headers: { "x-forwarded-proto": "https", cookie: `__Secure-authjs.session-token=${secureSession!.value}` }, maxRedirects: 0 });
  expect(page.status(), "signed in behind HTTPS").toBe(200);
  const reissued = setCookies(page).filter((c) => c.name.includes("session-token"));
  for (const c of reissued) {
    expect(c.name).toBe("__Secure-authjs.session-token");
    expectCookieFlags(c, true, "re-issued session cookie behind HTTPS");
    checked++;
  }

  // Auth.js's CSRF cookie: __Host- behind HTTPS.
  const csrfPlain = setCookies(await (await newClient()).get("/api/auth/csrf")).find((c) => c.name === "authjs.csrf-token");
  expectCookieFlags(csrfPlain, false, "CSRF cookie over HTTP");
  const csrfSecure = setCookies(await (await newClient()).get("/api/auth/csrf", { headers: { "x-forwarded-proto": "https" } })).find((c) => c.name === "__Host-authjs.csrf-token");
  expectCookieFlags(csrfSecure, true, "CSRF cookie behind HTTPS");
  checked += 2;

  // No page sets any other cookie from the server (the navigation preference is set by the browser).
  const names = new Set([...plain, ...secure, ...reissued].map((c) => c.name));
  expect([...names].filter((n) => !/authjs\.(session-token|callback-url|csrf-token)$/.test(n))).toEqual([]);
  console.log(`session cookies: ${checked} Set-Cookie headers checked (HttpOnly, SameSite=Lax, Path=/, host-only; Secure and prefixed behind HTTPS)`);
});

test("the per-address login limit counts the address our proxy appended: rotating X-Forwarded-For gains nothing", async () => {
  test.setTimeout(180_000);
  // The server runs with TRUSTED_PROXY_HOPS=1 (scripts/e2e.mjs). Each request carries the header
  // exactly as nginx's `$proxy_add_x_forwarded_for` makes it: whatever the client wrote, then
  // ", " and the address nginx was connected from. The attacker writes a new address each time.
  const attacker = "203.0.113.66";
  const neighbour = "203.0.113.67";
  const viaNginx = (written: string | null, remoteAddr: string) => ({ "x-forwarded-for": written ? `${written}, ${remoteAddr}` : remoteAddr });
  const login = actions.get("app/login/actions.ts#login")!;
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
    const saveAccess = actions.get("app/(panel)/users/actions.ts#saveUserAccess")!;
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

  test("a raised session version (a password change) ends every session of the user at the next request", async () => {
    const member = target.members.read!;
    const first = await signIn(member.email);
    const second = await signIn(member.email);
    for (const c of [first, second]) expect((await c.get("/", { maxRedirects: 0 })).status()).toBe(200);

    // There is no password-change screen yet; this is what one (or an operator's reset) must do.
    const newPassword = "a-new-password-for-the-security-spec";
    await database()!`update users set password_hash = ${await hashPassword(newPassword)}, session_version = session_version + 1, password_changed_at = now() where id = ${member.id}`;

    const load = actions.get("app/(panel)/account-actions.ts#loadAccountSettings")!;
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
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
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
