/**
 * The security headers of every answer the panel gives (every page and route handler of the
 * matrix, signed in and signed out, from the production build): a Content-Security-Policy with
 * a fresh nonce per request and no 'unsafe-inline' or 'unsafe-eval', no framing, HSTS,
 * nosniff, a referrer policy, and Cache-Control: no-store (every answer behind the proxy
 * carries account data or a login form). On HTML pages every inline and loaded script carries
 * the nonce of its own answer. Auth.js's own endpoints (/api/auth/*) answer with the same
 * headers: they once bypassed the proxy and had none.
 */
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ROLES } from "./roles";
import { MATRIX, type ProbeContext } from "./security-matrix";
import { createIsolatedTarget, database, demoTarget, newClient, securitySpec, signIn, type Target } from "./security-support";

const actions = securitySpec({ serial: false });

let target: Target;

test.beforeAll(async () => {
  const sql = database();
  target = sql ? await createIsolatedTarget(sql, "headers") : await demoTarget(await signIn(ROLES.demo), actions.get("lib/actions/account.ts#loadAccountSettings")!);
});

/** The policy's directives by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([name, ...values]) => [name!.toLowerCase(), values]));
}

test("every page and route answers with the security headers, and scripts carry the answer's nonce", async () => {
  test.setTimeout(120_000);
  const clients = { admin: await signIn(target.members.admin!.email), anonymous: await newClient() };
  const problems: string[] = [];
  const nonces = new Set<string>();
  let answers = 0;
  let pages = 0;
  // Auth.js's own endpoints, beside the matrix's two: each kind of answer it gives.
  const authEndpoints: { key: string; send: (client: APIRequestContext) => Promise<APIResponse> }[] = [
    { key: "GET /api/auth/csrf", send: (c) => c.get("/api/auth/csrf") },
    { key: "GET /api/auth/providers", send: (c) => c.get("/api/auth/providers") },
    { key: "GET /api/auth/signin (redirect)", send: (c) => c.get("/api/auth/signin", { maxRedirects: 0 }) },
    { key: "GET /api/auth/error", send: (c) => c.get("/api/auth/error?error=Configuration", { maxRedirects: 0 }) },
    { key: "GET /api/auth/nonsense", send: (c) => c.get("/api/auth/nonsense", { maxRedirects: 0, failOnStatusCode: false }) },
    { key: "POST /api/auth/callback/credentials", send: (c) => c.post("/api/auth/callback/credentials", { form: { email: "x", password: "y" }, maxRedirects: 0, failOnStatusCode: false }) },
  ];
  const probes = [
    ...MATRIX.filter((p) => p.kind !== "action").map((p) => ({ key: p.key, send: (client: APIRequestContext) => p.send({ client, target, input: "harmless", actions } satisfies ProbeContext) })),
    ...authEndpoints,
  ];
  let authAnswers = 0;
  for (const probe of probes) {
    for (const [who, client] of Object.entries(clients)) {
      const res = await probe.send(client);
      const h = res.headers();
      const where = `${probe.key} as ${who} (HTTP ${res.status()})`;
      if (probe.key.includes("/api/auth/")) authAnswers++;
      answers++;
      const csp = directives(h["content-security-policy"] ?? "");
      const script = csp.get("script-src") ?? [];
      const nonce = script.find((v) => v.startsWith("'nonce-"))?.slice(7, -1);
      if (!nonce || nonce.length < 16) problems.push(`${where}: no nonce in script-src`);
      else nonces.add(nonce);
      for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"]) {
        if (script.includes(bad) || (csp.get("style-src") ?? []).includes(bad)) problems.push(`${where}: ${bad} in script-src or style-src`);
      }
      const want: [string, string][] = [["frame-ancestors", "'none'"], ["object-src", "'none'"], ["base-uri", "'self'"], ["form-action", "'self'"], ["default-src", "'self'"]];
      for (const [name, value] of want) if (!(csp.get(name) ?? []).includes(value)) problems.push(`${where}: ${name} is not ${value}`);
      const hsts = /max-age=(\d+)/.exec(h["strict-transport-security"] ?? "");
      if (!hsts || Number(hsts[1]) < 31_536_000 || !/includeSubDomains/i.test(h["strict-transport-security"] ?? "")) problems.push(`${where}: HSTS missing or under a year`);
      if (h["x-content-type-options"] !== "nosniff") problems.push(`${where}: no nosniff`);
      if (!["same-origin", "strict-origin", "strict-origin-when-cross-origin", "no-referrer"].includes(h["referrer-policy"] ?? "")) problems.push(`${where}: Referrer-Policy ${h["referrer-policy"]}`);
      if (h["x-frame-options"] !== "DENY") problems.push(`${where}: X-Frame-Options ${h["x-frame-options"]}`);
      if (!/no-store/.test(h["cache-control"] ?? "")) problems.push(`${where}: Cache-Control ${h["cache-control"]}`);
      if (h["x-powered-by"]) problems.push(`${where}: X-Powered-By ${h["x-powered-by"]}`);
      if ((h["content-type"] ?? "").includes("text/html") && res.status() === 200) {
        pages++;
        const html = await res.text();
        for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
          const own = /\snonce="([^"]*)"/.exec(tag)?.[1];
          if (own !== nonce) problems.push(`${where}: a script without the answer's nonce: ${tag.slice(0, 120)}`);
        }
      }
    }
  }
  console.log(`security headers: ${answers} answers checked (${authAnswers} of them Auth.js's, ${pages} HTML pages with their scripts' nonces), ${nonces.size} distinct nonces, ${problems.length} problems`);
  expect(authAnswers, "Auth.js's answers checked").toBeGreaterThanOrEqual(2 * (authEndpoints.length + 2));
  expect(problems).toEqual([]);
  expect(nonces.size, "a fresh nonce per answer").toBe(answers);
});
