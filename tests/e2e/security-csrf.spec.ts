/**
 * Cross-site request forgery: a request another site makes the browser send, with the
 * victim's cookies, must change nothing.
 * - Server actions: the proxy (lib/csrf.ts) compares the Origin header with APP_URL's origin
 *   (never with the request's Host or X-Forwarded-Host: security-origins.spec.ts) and answers
 *   403 to any other origin, "null" included (sandboxed frames, some redirects), before Next's
 *   own check (which answers 500) or any of our code. Every action
 *   of the matrix is sent with its would-change input, a signed-in admin's session and a foreign
 *   or null Origin, through the fetch path and the no-JavaScript form path: each is refused and
 *   the account is unchanged (database on PostgreSQL, read back over HTTP on both).
 * - The login form (login CSRF): a foreign Origin gets no session cookie.
 * - Route handlers: every POST/PUT/PATCH/DELETE of the build must be listed here with what
 *   protects it (Auth.js's double-submit token, the cron's bearer secret, the providers'
 *   signatures), and is sent forged with the victim's cookies. A new one fails this spec until
 *   it is listed.
 * The session cookie is SameSite=Lax (security-sessions.spec.ts), so a cross-site POST does
 * not carry it in the first place; these checks hold even without that.
 */
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import { DEMO_PASSWORD, ROLES } from "./roles";
import { MATRIX, type ProbeContext } from "./security-matrix";
import {
  builtRoutes,
  callAction,
  createIsolatedTarget,
  database,
  demoTarget,
  fingerprint,
  FORM,
  newClient,
  ORIGIN,
  readAnswer,
  readBack,
  securitySpec,
  setCookies,
  signIn,
  type Target,
} from "./security-support";

const actions = securitySpec({ serial: true });
const loadSettings = () => actions.get("lib/actions/account.ts#loadAccountSettings")!;
const FOREIGN_ORIGINS = ["https://evil.example", "null"];

let target: Target;
let admin: APIRequestContext;

test.beforeAll(async () => {
  const sql = database();
  target = sql ? await createIsolatedTarget(sql, "csrf") : await demoTarget(await signIn(ROLES.demo), loadSettings());
  admin = await signIn(target.members.admin!.email);
});

const signedIn = async (client: APIRequestContext) => (await client.get("/", { maxRedirects: 0 })).status() === 200;

test("every server action refuses a foreign or null Origin and changes nothing", async () => {
  test.setTimeout(120_000);
  const sql = database();
  const before = await readBack(admin, loadSettings());
  const problems: string[] = [];
  let sent = 0;
  for (const probe of MATRIX.filter((p) => p.kind === "action")) {
    for (const origin of FOREIGN_ORIGINS) {
      const ctx: ProbeContext = { client: admin, target, input: "valid", actions, origin };
      const fp = sql ? await fingerprint(sql, target.accountId!) : null;
      const answer = await readAnswer(await probe.send(ctx), "action");
      sent++;
      if (answer.outcome !== "origin-refused") problems.push(`${probe.key} from Origin ${origin}: ${answer.outcome} (HTTP ${answer.status})`);
      if (sql && fp) {
        const after = await fingerprint(sql, target.accountId!);
        if (after.digest !== fp.digest || after.denied !== fp.denied || after.audits !== fp.audits) problems.push(`${probe.key} from Origin ${origin}: the account changed`);
      }
    }
  }
  expect(await signedIn(admin), "the refused log-out left the session alone").toBe(true);
  expect(await readBack(admin, loadSettings()), "read back over HTTP").toBe(before);
  console.log(`CSRF, server actions: ${sent} forged calls (${sent / FOREIGN_ORIGINS.length} actions × Origin ${FOREIGN_ORIGINS.join(" and ")}), ${problems.length} not refused`);
  expect(problems).toEqual([]);
});

test("a no-JavaScript form post from another site is refused too; from the app itself it works", async () => {
  const logout = actions.get("lib/actions/session.ts#logout")!;
  // Next's progressive-enhancement path: a plain multipart form naming the action in a field.
  const form = () => {
    const body = new FormData();
    body.append(`$ACTION_ID_${logout.id}`, "");
    return body;
  };
  for (const origin of FOREIGN_ORIGINS) {
    const res = await admin.fetch("/", { method: "POST", headers: { origin }, multipart: form(), maxRedirects: 0, failOnStatusCode: false });
    expect(res.status(), `form post from Origin ${origin}`).toBe(403);
    const ended = setCookies(res).filter((c) => c.name.includes("session-token") && (c.value === "" || c.attributes.get("max-age") === "0" || Date.parse(c.attributes.get("expires") ?? "") < Date.now()));
    expect(ended, "the session cookie is not cleared").toEqual([]);
    expect(await signedIn(admin), "still signed in").toBe(true);
  }
  // The same post from the app's own origin logs out: the refusal above was the Origin check.
  const own = await signIn(target.members.admin!.email);
  const res = await own.fetch("/", { method: "POST", headers: { origin: ORIGIN }, multipart: form(), maxRedirects: 0, failOnStatusCode: false });
  expect(res.status(), "same-origin form post").toBeLessThan(400);
  expect(await signedIn(own), "logged out by the same-origin form").toBe(false);
  console.log(`CSRF, no-JavaScript form posts: ${FOREIGN_ORIGINS.length} foreign ones refused, the same-origin one works`);
});

test("the login form refuses a foreign Origin: no session is planted (login CSRF)", async () => {
  const login = actions.get("lib/actions/login.ts#login")!;
  for (const origin of FOREIGN_ORIGINS) {
    const victim = await newClient();
    const res = await callAction(victim, { action: login, path: "/login", args: [{}, FORM], fields: { email: ROLES.reader, password: DEMO_PASSWORD, callbackUrl: "/" }, origin });
    expect((await readAnswer(res, "action")).outcome, `login from Origin ${origin}`).toBe("origin-refused");
    expect(setCookies(res).filter((c) => c.name.includes("session-token")), "no session cookie").toEqual([]);
    expect(await signedIn(victim)).toBe(false);
  }
  console.log(`CSRF, login form: ${FOREIGN_ORIGINS.length} forged sign-ins refused, no session cookie set`);
});

/** Every route handler method that may change data, and the forged request it must refuse. */
const MUTATING_ROUTES: Record<string, { protection: string; forge: (victim: APIRequestContext, origin: string) => Promise<void> }> = {
  "POST /api/auth/[...nextauth]": {
    protection: "Auth.js's double-submit CSRF token (cookie + form field)",
    async forge(victim, origin) {
      for (const path of ["/api/auth/signout", "/api/auth/callback/credentials"]) {
        const res = await victim.post(path, { headers: { origin }, form: { email: ROLES.other, password: DEMO_PASSWORD, callbackUrl: "/" }, maxRedirects: 0, failOnStatusCode: false });
        expect((await readAnswer(res, "route")).outcome, `${path} from ${origin}`).toBe("csrf-token");
        expect(setCookies(res).filter((c) => c.name.includes("session-token")), `${path}: no session cookie change`).toEqual([]);
      }
    },
  },
  "POST /api/cron/outbox": {
    protection: "a bearer secret (cookies grant nothing)",
    async forge(victim, origin) {
      const res = await victim.post("/api/cron/outbox", { headers: { origin }, maxRedirects: 0, failOnStatusCode: false });
      expect([401, 503]).toContain(res.status());
    },
  },
  "POST /api/cron/autopay": {
    protection: "the same bearer secret (lib/dal/cron.ts; cookies grant nothing)",
    async forge(victim, origin) {
      const res = await victim.post("/api/cron/autopay", { headers: { origin }, maxRedirects: 0, failOnStatusCode: false });
      expect([401, 503]).toContain(res.status());
    },
  },
  "POST /api/cron/daily": {
    protection: "the same bearer secret (lib/dal/cron.ts; cookies grant nothing)",
    async forge(victim, origin) {
      const res = await victim.post("/api/cron/daily", { headers: { origin }, maxRedirects: 0, failOnStatusCode: false });
      expect([401, 503]).toContain(res.status());
    },
  },
  "POST /api/payments/webhooks/sandbox": {
    protection: "an HMAC signature over the body (cookies grant nothing)",
    async forge(victim, origin) {
      const res = await victim.post("/api/payments/webhooks/sandbox", { headers: { origin }, data: { id: "evt_forged", type: "checkout.succeeded" }, failOnStatusCode: false });
      expect(res.status()).toBe(400);
    },
  },
  "POST /api/payments/webhooks/stripe": {
    protection: "Stripe's signature (cookies grant nothing)",
    async forge(victim, origin) {
      const res = await victim.post("/api/payments/webhooks/stripe", { headers: { origin }, data: { id: "evt_forged", type: "checkout.session.completed" }, failOnStatusCode: false });
      expect([400, 503]).toContain(res.status());
    },
  },
  ...readOnlyApiRoutes(),
};

/**
 * The REST API is read-only: every method but GET answers 405, whatever cookies come with it; an
 * address under /api/v1 that no endpoint has answers 404 to every method.
 */
function readOnlyApiRoutes(): typeof MUTATING_ROUTES {
  const routes: [string, number][] = [
    ["/api/v1/invoices", 405],
    ["/api/v1/invoices/[number]", 405],
    ["/api/v1/invoices/[number]/pdf", 405],
    ["/api/v1/invoices/[number]/ubl", 405],
    ["/api/v1/openapi.json", 405],
    ["/api/v1/payments", 405],
    ["/api/v1/[...path]", 404],
  ];
  const entries = routes.flatMap(([route, status]) =>
    (["POST", "PUT", "PATCH", "DELETE"] as const).map((method) => [
      `${method} ${route}`,
      {
        protection: `read-only: ${status} for every method but GET (cookies never authenticate the API)`,
        async forge(victim: APIRequestContext, origin: string) {
          const path = route.replace("[number]", "100001").replace("[...path]", "no/such/endpoint");
          const res = await victim.fetch(path, { method, headers: { origin }, maxRedirects: 0, failOnStatusCode: false });
          expect(res.status(), `${method} ${route}`).toBe(status);
        },
      },
    ] as const),
  );
  return Object.fromEntries(entries);
}

test("every route handler that may change data is protected by something other than its cookies", async () => {
  const mutating = builtRoutes()
    .filter((r) => r.kind === "route")
    .flatMap((r) => r.methods.filter((m) => !["GET", "HEAD", "OPTIONS"].includes(m)).map((m) => `${m} ${r.route}`));
  expect(mutating.filter((k) => !MUTATING_ROUTES[k]), "POST/PUT/PATCH/DELETE route handlers not listed in security-csrf.spec.ts").toEqual([]);
  const fp = database() ? await fingerprint(database()!, target.accountId!) : null;
  let forged = 0;
  for (const key of mutating) {
    for (const origin of FOREIGN_ORIGINS) {
      await MUTATING_ROUTES[key]!.forge(admin, origin);
      forged++;
    }
  }
  expect(await signedIn(admin), "the forged sign-out did not end the session").toBe(true);
  if (fp) expect(await fingerprint(database()!, target.accountId!)).toEqual(fp);
  console.log(`CSRF, route handlers: ${mutating.length} mutating methods (${mutating.map((k) => `${k}: ${MUTATING_ROUTES[k]!.protection}`).join("; ")}), ${forged} forged requests refused`);
});
