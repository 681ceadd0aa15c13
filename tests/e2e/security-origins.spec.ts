/**
 * Origins come from APP_URL (the server under test runs with APP_URL = its base URL), never
 * from what a request says about itself. Every request here carries spoofed Host,
 * X-Forwarded-Host, X-Forwarded-Proto and Forwarded headers naming a local listener the test
 * runs, and no Origin header (a script, not a browser: Next's own action check only compares
 * an Origin that is present):
 * - sign-in (the login form's action and Auth.js's credentials endpoint) sends the person on to
 *   APP_URL and sets the cookies APP_URL's scheme calls for;
 * - the CSRF check refuses an Origin that names the spoofed host;
 * - on PostgreSQL, the whole card payment: the pay action's return URL, the sandbox's
 *   redirects and its signed webhook all stay on APP_URL (the invoice is paid through it), and
 *   the listener receives nothing. On the embedded database this part would pay a demo invoice
 *   that other specs read, so it runs on PostgreSQL only (as in CI);
 *   tests/integration/sandbox-steps.test.ts proves the webhook target on both databases.
 */
import http from "node:http";
import { randomUUID } from "node:crypto";
import type { APIResponse } from "@playwright/test";
import { expect, test } from "./fixtures";
import { DEMO_PASSWORD, ROLES } from "./roles";
import {
  actionResult,
  callAction,
  createIsolatedTarget,
  database,
  FORM,
  newClient,
  ORIGIN,
  readAnswer,
  securitySpec,
  setCookies,
  signIn,
} from "./security-support";

const actions = securitySpec({ serial: true });
const action = (key: string) => {
  const a = actions.get(key);
  if (!a) throw new Error(`${key} is not in the build`);
  return a;
};

/** A local server standing for the attacker's host: nothing may ever reach it. */
let listener: http.Server;
const reached: string[] = [];
let SPOOFED: Record<string, string> = {};
let spoofedHost = "";

test.beforeAll(async () => {
  listener = http.createServer((req, res) => {
    reached.push(`${req.method} ${req.url}`);
    res.end("ok");
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  spoofedHost = `127.0.0.1:${(listener.address() as { port: number }).port}`;
  SPOOFED = { host: spoofedHost, "x-forwarded-host": spoofedHost, "x-forwarded-proto": "https", "x-forwarded-port": spoofedHost.split(":")[1]!, forwarded: `host=${spoofedHost};proto=https` };
});

test.afterAll(async () => {
  await new Promise((resolve) => listener.close(resolve));
});

/** Where an answer sends the person (an action's redirect header, or Location), or null. */
function destination(res: APIResponse): string | null {
  const h = res.headers();
  return h["x-action-redirect"]?.split(";")[0] ?? h["location"] ?? null;
}

function expectOnAppOrigin(location: string | null, label: string) {
  expect(location, `${label}: a redirect`).not.toBeNull();
  expect(new URL(location!, ORIGIN).origin, `${label}: ${location}`).toBe(ORIGIN);
}

test("sign-in sends the person to APP_URL and sets APP_URL's cookies, whatever Host and X-Forwarded-* say", async () => {
  // The login form's server action (Auth.js's signIn() inside builds its URL from AUTH_URL = APP_URL).
  const viaForm = await newClient();
  const res = await callAction(viaForm, {
    action: action("lib/actions/login.ts#login"),
    path: "/login",
    args: [{}, FORM],
    fields: { email: ROLES.reader, password: DEMO_PASSWORD, callbackUrl: "/invoices" },
    origin: null,
    headers: SPOOFED,
  });
  expectOnAppOrigin(destination(res), "the login form's redirect");
  expect(new URL(destination(res)!, ORIGIN).pathname).toBe("/invoices");
  // APP_URL is http here: X-Forwarded-Proto: https does not make Auth.js switch to __Secure- cookies.
  expect(setCookies(res).map((c) => c.name)).toContain("authjs.session-token");
  expect((await viaForm.get("/invoices", { maxRedirects: 0 })).status(), "signed in on APP_URL").toBe(200);

  // Auth.js's own endpoints.
  const direct = await newClient(SPOOFED);
  const csrf = await direct.get("/api/auth/csrf");
  expect(setCookies(csrf).map((c) => c.name), "CSRF cookie").toContain("authjs.csrf-token");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signedIn = await direct.post("/api/auth/callback/credentials", { form: { csrfToken, email: ROLES.reader, password: DEMO_PASSWORD, callbackUrl: "/" }, maxRedirects: 0 });
  expect(signedIn.status()).toBe(302);
  expectOnAppOrigin(destination(signedIn), "Auth.js's sign-in redirect");
  const signinPage = await direct.get("/api/auth/signin", { maxRedirects: 0 });
  const callbackUrl = new URL(destination(signinPage)!, ORIGIN).searchParams.get("callbackUrl");
  expectOnAppOrigin(callbackUrl, "Auth.js's default callback URL");
  expect(reached, "nothing reached the spoofed host").toEqual([]);
  console.log(`origins, sign-in: with Host/X-Forwarded-Host ${spoofedHost} and X-Forwarded-Proto https, 3 redirects stayed on ${ORIGIN}, plain cookies as APP_URL is http`);
});

test("the CSRF check compares the Origin with APP_URL, not with the Host the request names", async () => {
  const admin = await signIn(ROLES.demo);
  const load = action("lib/actions/account.ts#loadAccountSettings");
  for (const origin of [`http://${spoofedHost}`, `https://${spoofedHost}`]) {
    const res = await callAction(admin, { action: load, path: "/", args: [], origin, headers: SPOOFED });
    expect((await readAnswer(res, "action")).outcome, `Origin ${origin} with a matching Host`).toBe("origin-refused");
  }
  const own = await callAction(admin, { action: load, path: "/", args: [], origin: ORIGIN, headers: { host: new URL(ORIGIN).host } });
  expect((await readAnswer(own, "action")).outcome, "the panel's own origin").toBe("ok");
  console.log("origins, CSRF: an Origin matching the spoofed Host/X-Forwarded-Host is refused; APP_URL's own is accepted");
});

test("a card payment's return URL, redirects and signed webhook stay on APP_URL", async () => {
  const sql = database();
  test.skip(!sql, "pays an invoice: on the embedded database that would be a demo invoice other specs read (runs on PostgreSQL, as in CI)");
  const target = await createIsolatedTarget(sql!, "origins");
  const admin = await signIn(target.members.admin!.email);
  const pay = await callAction(admin, {
    action: action("lib/actions/payments.ts#payInvoices"),
    path: "/invoices",
    args: [{}, FORM],
    fields: { n: String(target.invoice.number), method: "card", amount: target.invoice.outstandingMinor, idempotencyKey: randomUUID() },
    origin: null,
    headers: SPOOFED,
  });
  const checkoutUrl = (actionResult(await pay.text()) as { checkoutUrl?: string } | undefined)?.checkoutUrl ?? "";
  const checkoutId = /^\/sandbox\/checkout\/([0-9a-f-]{36})$/.exec(checkoutUrl)?.[1];
  expect(checkoutId, `the hosted page (${checkoutUrl})`).toBeDefined();
  const [checkout] = await sql!<{ return_url: string }[]>`select return_url from sandbox_checkouts where id = ${checkoutId!}`;
  expectOnAppOrigin(checkout!.return_url, "the return URL given to the provider");

  // The hosted page: a card that asks for 3-D Secure, then the approval, both with spoofed headers.
  const payer = await newClient();
  const card = await callAction(payer, {
    action: action("lib/actions/sandbox.ts#payWithCard"),
    path: checkoutUrl,
    args: [checkoutId, {}, FORM],
    fields: { card: "4000000000003220", expiry: "12/39", cvc: "123" },
    origin: null,
    headers: SPOOFED,
  });
  expect(destination(card)).toBe(`/sandbox/checkout/${checkoutId}?step=3ds`);
  const approved = await callAction(payer, {
    action: action("lib/actions/sandbox.ts#authenticate"),
    path: checkoutUrl,
    args: [checkoutId, FORM],
    fields: { result: "approve" },
    origin: null,
    headers: SPOOFED,
  });
  expect(destination(approved)).toBe(checkout!.return_url);

  // The webhooks (requires_action, then succeeded) reached APP_URL: the invoice is paid.
  const [payment] = await sql!<{ state: string }[]>`select state::text as state from payments where provider_reference = ${checkoutId!}`;
  expect(payment!.state).toBe("succeeded");
  const [invoice] = await sql!<{ outstanding: string }[]>`
    select (i.total_minor - coalesce((select sum(pa.amount_minor) from payment_allocations pa join payments p on p.id = pa.payment_id
      where pa.invoice_id = i.id and p.state = 'succeeded'), 0))::text as outstanding
    from invoices i where i.account_id = ${target.accountId!} and i.number = ${target.invoice.number}`;
  expect(invoice!.outstanding).toBe("0");
  expect(reached, "nothing reached the spoofed host").toEqual([]);
  console.log(`origins, payment: return URL ${checkout!.return_url}; 2 webhooks applied through ${ORIGIN}; the spoofed host ${spoofedHost} received nothing`);
});
