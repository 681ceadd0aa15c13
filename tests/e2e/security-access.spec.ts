/**
 * Access, as a reviewer would probe it over HTTP:
 * 1. The authorization matrix (tests/e2e/security-matrix.ts): every page, route handler method
 *    and server action of the production build × anonymous, revoked session, another account's
 *    user, invoice access None, Read, Full, admin, and an admin with None → the expected answer;
 *    the Account settings answer carries the billing data for Read and Full and none of it for None. Actions are called
 *    directly by their id from the build's action manifest. On PostgreSQL the target account's
 *    rows are read before and after every cell: nothing may change (a refused action may only
 *    add its "access.denied" audit row). On the embedded database the spec cannot open the
 *    database (the server holds its lock): it reads the account back over HTTP instead.
 * 2. Another account's invoice numbers and ids answer exactly like unknown ones (status and
 *    body) on the pages, the PDF, ZIP and CSV routes and the actions, also with a spoofed
 *    `x-middleware-subrequest` header (CVE-2025-29927), which must not skip the proxy either.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ROLES } from "./roles";
import { MATRIX, MATRIX_ROLES, matches, REFUSALS, type MatrixRole, type ProbeContext } from "./security-matrix";
import {
  type BuiltAction,
  builtRoutes,
  callAction,
  createIsolatedTarget,
  database,
  demoTarget,
  fingerprint,
  FORM,
  newClient,
  normalizeHtml,
  readAnswer,
  readBack,
  securitySpec,
  signIn,
  type Target,
} from "./security-support";

/** The shape of an Auth.js token (JWE, "dir" + A256CBC-HS512), with random parts. */
const FORGED_TOKEN = [
  Buffer.from(JSON.stringify({ alg: "dir", enc: "A256CBC-HS512", kid: "forged" })).toString("base64url"),
  "",
  randomBytes(16).toString("base64url"),
  randomBytes(96).toString("base64url"),
  randomBytes(32).toString("base64url"),
].join(".");

const actions = securitySpec({ serial: true });
const loadSettings = () => actions.get("lib/actions/account.ts#loadAccountSettings")!;

let target: Target;
const clients = new Map<MatrixRole, APIRequestContext>();
/**
 * The caller of the foreign-or-unknown comparison: the admin of an account of its own on
 * PostgreSQL. Other specs change Other Tenant Oy's settings (language, time zone, country) while
 * this one runs, and a change between the two requests of a pair would make them differ.
 */
let comparisonCaller: APIRequestContext | null = null;

/** A session for one column of the matrix; null when this database cannot provide one. */
async function clientFor(role: MatrixRole): Promise<APIRequestContext | null> {
  if (role === "anonymous") return newClient();
  // Well-formed but not made with this server's secret (nor any): decoding fails.
  if (role === "forged") return newClient({ cookie: `authjs.session-token=${FORGED_TOKEN}` });
  if (role === "other") return signIn(ROLES.other);
  const member = target.members[role];
  if (!member) return null;
  const client = await signIn(member.email);
  if (role === "revoked") {
    // As a password change or "log out everywhere" does: the token stays valid, its version does not.
    await database()!`update users set session_version = session_version + 1 where id = ${member.id}`;
  }
  return client;
}

test.beforeAll(async () => {
  const sql = database();
  if (sql) {
    target = await createIsolatedTarget(sql, "access");
    comparisonCaller = await signIn((await createIsolatedTarget(sql, "access-caller")).members.admin!.email);
  } else {
    target = await demoTarget(await signIn(ROLES.demo), loadSettings());
  }
  for (const role of MATRIX_ROLES) {
    const client = await clientFor(role);
    if (client) clients.set(role, client);
  }
});

test("every page, route handler and server action of the build has a row in the matrix", () => {
  const rows = new Set(MATRIX.map((p) => p.key));
  const built = new Set<string>();
  for (const r of builtRoutes()) {
    if (r.kind === "page") built.add(`page ${r.route}`);
    else for (const m of r.methods) built.add(`${m} ${r.route}`);
  }
  for (const a of actions.values()) built.add(`action ${a.key}`);
  const missing = [...built].filter((k) => !rows.has(k));
  const stale = [...rows].filter((k) => !built.has(k));
  console.log(`authorization matrix coverage: ${built.size} entries in the build (${builtRoutes().length} routes, ${actions.size} actions), ${missing.length} without a row, ${stale.length} rows for nothing`);
  expect(missing, "in the build but not in tests/e2e/security-matrix.ts").toEqual([]);
  expect(stale, "in tests/e2e/security-matrix.ts but not in the build").toEqual([]);
});

test("authorization matrix: every cell answers as expected and changes nothing", async () => {
  // About 60 rows × 9 callers, each cell with its database digest: minutes on a loaded 2-core machine.
  test.setTimeout(420_000);
  const sql = database();
  const roles = MATRIX_ROLES.filter((r) => clients.has(r));
  const skipped = MATRIX_ROLES.filter((r) => !clients.has(r));
  const admin = clients.get("admin")!;
  const before = await readBack(admin, loadSettings());
  const unexpected: string[] = [];
  let cellCount = 0;
  let dbChecks = 0;

  // The session-ending row runs last, from sessions of its own.
  const probes = [...MATRIX].sort((a, b) => Number(Boolean(a.endsSession)) - Number(Boolean(b.endsSession)));
  for (const probe of probes) {
    for (const role of roles) {
      const expected = probe.expect[role];
      const client = probe.endsSession ? (await clientFor(role))! : clients.get(role)!;
      const ctx: ProbeContext = { client, target, input: REFUSALS.includes(expected) ? "valid" : "harmless", actions };
      const fpBefore = sql ? await fingerprint(sql, target.accountId!) : null;
      const answer = await readAnswer(await probe.send(ctx), probe.kind);
      cellCount++;
      const where = `${probe.key} (${probe.what}) as ${role}`;
      if (!matches(expected, answer.outcome)) {
        unexpected.push(`${where}: expected ${expected}, got ${answer.outcome} (HTTP ${answer.status}${answer.location ? ` → ${answer.location}` : ""})`);
      }
      const isPdf = answer.contentType.includes("application/pdf") || answer.body.startsWith("%PDF");
      if (probe.pdf && answer.outcome === "ok" && !isPdf) unexpected.push(`${where}: no PDF in an allowed answer`);
      if (answer.outcome !== "ok" && isPdf) unexpected.push(`${where}: PDF bytes in a refusal`);
      // Customer info, VAT number and contacts: in a Read or Full answer, in none for None.
      if (probe.billingData && answer.outcome === "ok" && role !== "other") {
        const carried = target.billingSecrets.filter((s) => answer.body.includes(s));
        if (expected === "hidden" && carried.length) unexpected.push(`${where}: the answer carries billing data (${carried.join(", ")})`);
        if (expected === "ok" && carried.length < target.billingSecrets.length) unexpected.push(`${where}: billing data missing from an allowed answer`);
      }
      // Nobody outside the account sees a trace of it.
      if (role === "anonymous" || role === "forged" || role === "revoked" || role === "other") {
        // (Auth.js's session endpoint describes a live session to its own holder only: their own email is allowed.)
        const others = Object.entries(target.members).filter(([r]) => r !== role).map(([, m]) => m.email);
        const leaked = [target.accountName, ...others].filter((s) => answer.body.includes(s));
        if (leaked.length) unexpected.push(`${where}: the answer carries ${leaked.join(", ")}`);
      }
      if (sql && fpBefore) {
        const fpAfter = await fingerprint(sql, target.accountId!);
        dbChecks++;
        if (fpAfter.digest !== fpBefore.digest || fpAfter.audits !== fpBefore.audits) unexpected.push(`${where}: the target account's data changed`);
        const deniedAdded = fpAfter.denied - fpBefore.denied;
        const wantDenied = probe.kind === "action" && expected === "forbidden" ? 1 : 0;
        if (deniedAdded !== wantDenied) unexpected.push(`${where}: ${deniedAdded} access.denied audit rows, expected ${wantDenied}`);
      }
    }
  }
  const after = await readBack(admin, loadSettings());
  const summary =
    `authorization matrix: ${cellCount} cells (${MATRIX.length} rows × ${roles.length} callers), ${unexpected.length} unexpected; ` +
    (sql ? `database read before and after each cell (${dbChecks} checks)` : "database not reachable on the embedded database (the server holds its lock): read back over HTTP before and after") +
    (skipped.length ? `; columns not available on this database: ${skipped.join(", ")}` : "");
  console.log(summary);
  expect(unexpected, summary).toEqual([]);
  expect(after, "what the admin reads back over HTTP after the matrix").toBe(before);
});

/** The spoofed headers of CVE-2025-29927 (middleware skipped when the header names it five times). */
const SPOOFS: Record<string, string>[] = [
  {},
  { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
  { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
  { "x-middleware-subrequest": "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware" },
  { "x-middleware-subrequest": "src/proxy:src/proxy:src/proxy:src/proxy:src/proxy" },
];

test("a spoofed x-middleware-subrequest header does not skip the proxy", async () => {
  let checks = 0;
  for (const headers of SPOOFS.slice(1)) {
    const anon = await newClient(headers);
    for (const path of ["/", "/users", `/invoices/${target.invoice.number}`, `/invoices/${target.invoice.number}/pdf`, "/invoices/export.csv"]) {
      const res = await anon.get(path, { maxRedirects: 0 });
      // The proxy ran: it answered with the login redirect and set the security headers.
      expect(res.status(), `${path} with ${headers["x-middleware-subrequest"]}`).toBe(307);
      expect(new URL(res.headers()["location"]!, "http://x").pathname).toBe("/login");
      expect(res.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
      checks++;
    }
  }
  console.log(`spoofed x-middleware-subrequest: ${checks} requests, every one answered by the proxy`);
});

test("another account's numbers and ids answer exactly like unknown ones", async () => {
  test.setTimeout(180_000);
  const other = comparisonCaller ?? clients.get("other")!;
  const foreign = target.invoice.number;
  const unknown = target.unknownNumber;
  // An invoice of the caller's own account, for requests that mix numbers.
  const own = Number((await (await other.get("/invoices/export.csv")).text()).split("\r\n")[1]?.split(",")[0]);
  expect(own).toBeGreaterThan(0);

  /**
   * On the embedded database the caller is Other Tenant Oy, whose settings other specs change
   * meanwhile: a pair that differs is fetched again, and a leak differs every time.
   */
  const fetchPair = async (request: () => Promise<[APIResponse, APIResponse]>, normalize: (s: string) => string) => {
    let pair = await request();
    for (let retry = 0; !comparisonCaller && retry < 2; retry++) {
      const [ta, tb] = await Promise.all(pair.map((r) => r.text()));
      if (pair[0].status() === pair[1].status() && normalize(ta!) === normalize(tb!)) break;
      pair = await request();
    }
    return pair;
  };

  const sameAnswer = async (label: string, a: APIResponse, b: APIResponse, normalize: (s: string) => string) => {
    const [ta, tb] = [await a.text(), await b.text()];
    expect(a.status(), `${label}: status`).toBe(b.status());
    expect(a.headers()["content-type"], `${label}: content type`).toBe(b.headers()["content-type"]);
    expect(normalize(ta), `${label}: body`).toBe(normalize(tb));
    expect(ta.startsWith("%PDF") || ta.startsWith("PK"), `${label}: no PDF or ZIP bytes`).toBe(false);
    return a.status();
  };

  // Pages and routes: the target's invoice number or payment id, and one nobody has.
  const paymentUnknown = randomUUID();
  const byPath: [string, string, string][] = [
    ["invoice page", `/invoices/${foreign}`, `/invoices/${unknown}`],
    ["invoice page with the Pay dialog", `/invoices/${foreign}?pay=${foreign}`, `/invoices/${unknown}?pay=${unknown}`],
    ["PDF", `/invoices/${foreign}/pdf`, `/invoices/${unknown}/pdf`],
    ["PDF download", `/invoices/${foreign}/pdf?download=1`, `/invoices/${unknown}/pdf?download=1`],
    ["e-invoice (UBL)", `/invoices/${foreign}/ubl`, `/invoices/${unknown}/ubl`],
    ["ZIP", `/invoices/download?n=${foreign}`, `/invoices/download?n=${unknown}`],
    ["ZIP with an own invoice", `/invoices/download?n=${own}&n=${foreign}`, `/invoices/download?n=${own}&n=${unknown}`],
    ["CSV searched by number", `/invoices/export.csv?q=${foreign}`, `/invoices/export.csv?q=${unknown}`],
    ["list searched by number", `/invoices?q=${foreign}`, `/invoices?q=${unknown}`],
    ["Pay dialog on the list", `/invoices?pay=${foreign}`, `/invoices?pay=${unknown}`],
    ["Pay selected on the list", `/invoices?pay=selected&n=${foreign}`, `/invoices?pay=selected&n=${unknown}`],
    ["payment result on the list", `/invoices?payment=${target.paymentId}`, `/invoices?payment=${paymentUnknown}`],
    ["receipt", `/payments/${target.paymentId}/receipt`, `/payments/${paymentUnknown}/receipt`],
    ["receipt download", `/payments/${target.paymentId}/receipt?download=1`, `/payments/${paymentUnknown}/receipt?download=1`],
  ];
  // Server actions, by id or number: the answer to the target's id and to a random one.
  const byId: [string, string, (id: string) => Record<string, string>, (t: Target) => string][] = [
    ["verify an address", "lib/actions/account.ts#verifyEmail", (id) => ({ id, code: "123456" }), (t) => t.pendingContactId],
    ["resend a code", "lib/actions/account.ts#resendCode", (id) => ({ id }), (t) => t.pendingContactId],
    ["set roles", "lib/actions/account.ts#saveRoles", (id) => ({ id, tech: "on" }), (t) => t.secondContactId],
    ["delete an address", "lib/actions/account.ts#deleteEmail", (id) => ({ id }), (t) => t.secondContactId],
    ["remove a phone", "lib/actions/account.ts#deletePhone", (id) => ({ id }), (t) => t.phoneId],
    ["change a user's access", "lib/actions/users.ts#saveUserAccess", (id) => ({ userId: id, invoiceAccess: "read", isAdmin: "" }), (t) => t.members.none!.id],
    ["pay an invoice", "lib/actions/payments.ts#payInvoices", (n) => ({ n, method: "card", amount: "100", idempotencyKey: "6f1c3f7e-7d1e-4c43-9d55-0c4e2f3b9a10" }), (t) => String(t.invoice.number)],
  ];

  let compared = 0;
  for (const headers of SPOOFS) {
    const spoof = headers["x-middleware-subrequest"] ? ` (x-middleware-subrequest: ${headers["x-middleware-subrequest"]})` : "";
    for (const [label, foreignPath, unknownPath] of byPath) {
      const same = (s: string) =>
        normalizeHtml(s.replaceAll(String(foreign), "N").replaceAll(String(unknown), "N").replaceAll(target.paymentId, "P").replaceAll(paymentUnknown, "P"));
      const [a, b] = await fetchPair(
        async () => [await other.get(foreignPath, { headers, maxRedirects: 0 }), await other.get(unknownPath, { headers, maxRedirects: 0 })],
        same,
      );
      const status = await sameAnswer(`${label}${spoof}`, a, b, same);
      expect([200, 404], `${label}: status`).toContain(status);
      compared++;
    }
    for (const [label, key, fields, idOf] of byId) {
      const action = actions.get(key) as BuiltAction;
      const path = key.startsWith("lib/actions/payments.ts") ? "/invoices" : key.startsWith("lib/actions/users.ts") ? "/users" : "/";
      const isNumber = key.startsWith("lib/actions/payments.ts");
      const foreignId = idOf(target);
      const unknownId = isNumber ? String(unknown) : randomUUID();
      const send = (id: string) => callAction(other, { action, path, args: [{}, FORM], fields: fields(id), headers });
      const same = (s: string) => s.replaceAll(foreignId, "ID").replaceAll(unknownId, "ID");
      const [a, b] = await fetchPair(async () => [await send(foreignId), await send(unknownId)], same);
      await sameAnswer(`${label}${spoof}`, a, b, same);
      expect(a.status(), label).toBe(200);
      compared++;
    }
  }
  console.log(`foreign = unknown: ${compared} pairs compared (${byPath.length} URLs and ${byId.length} actions × ${SPOOFS.length} header variants), all identical`);
});
