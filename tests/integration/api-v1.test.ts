/**
 * The REST API v1 through its route handlers, as a script calls it: bearer tokens (missing,
 * unknown, revoked, expired, a user who lost invoice access, a session cookie instead), cursor
 * pages, parameter problems, 404s that cannot tell a foreign number from a missing one, the
 * per-token rate limit, and the tokens' own life (hash only, notice email, revocation). Every
 * answer is checked against the OpenAPI document the API serves.
 */
import { and, eq, sql } from "drizzle-orm";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { encode } from "next-auth/jwt";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { seedDemo } from "@/scripts/seed";
import { accounts, apiTokens, auditEvents, emailOutbox, invoices, loginThrottle, users } from "@/db/schema";
import { startSession, logOutEverywhere } from "@/lib/auth/sessions";
import { API_REQUESTS_PER_MINUTE } from "@/lib/auth/throttle";
import type { Viewer } from "@/lib/dal/session";
import { changeUserAccess } from "@/lib/users/manage";
import { viewerColumns } from "@/lib/users/viewer-columns";
import { resetTables, setupTestDatabase } from "../setup/db";

vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<object>()), after: () => undefined }));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw Object.assign(new Error(`redirect ${url}`), { digest: `NEXT_REDIRECT;${url}` });
  },
  notFound: () => {
    throw Object.assign(new Error("not found"), { digest: "NEXT_HTTP_ERROR_FALLBACK;404" });
  },
  forbidden: () => {
    throw Object.assign(new Error("forbidden"), { digest: "NEXT_HTTP_ERROR_FALLBACK;403" });
  },
}));
const jar = vi.hoisted(() => ({ cookies: [] as { name: string; value: string }[] }));
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ getAll: () => jar.cookies }) }));

const SECRET = "api-test-secret-0123456789abcdefghijklmnop";
process.env.AUTH_SECRET = SECRET;
(await import("@/lib/env")).resetEnvCache();

const { db } = await setupTestDatabase();
const invoiceList = await import("@/app/api/v1/invoices/route");
const invoiceOne = await import("@/app/api/v1/invoices/[number]/route");
const invoicePdf = await import("@/app/api/v1/invoices/[number]/pdf/route");
const invoiceUbl = await import("@/app/api/v1/invoices/[number]/ubl/route");
const paymentList = await import("@/app/api/v1/payments/route");
const openApiRoute = await import("@/app/api/v1/openapi.json/route");
const otherAddress = await import("@/app/api/v1/[...path]/route");
const { createViewerApiToken, revokeViewerApiToken, getViewerApiTokens } = await import("@/lib/dal/api-tokens");
const { createApiToken } = await import("@/lib/actions/api-tokens");
const { viewerOf, getViewer } = await import("@/lib/dal/session");

// ─── The OpenAPI document, and every answer checked against it ────────────────────────────
const document = (await openApiRoute.GET().json()) as { paths: Record<string, { get: { responses: Record<string, { content?: Record<string, unknown> }> } }> };
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(document, "openapi.json");
const pointerPart = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** Fails unless the document lists this status and media type for the operation and the body fits its schema. */
async function conforms(template: string, response: Response): Promise<void> {
  const status = String(response.status);
  const operation = document.paths[template]?.get;
  expect(operation, template).toBeDefined();
  const answer = operation!.responses[status];
  expect(answer, `${template} documents ${status}`).toBeDefined();
  const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
  expect(Object.keys(answer!.content ?? {}), `${template} ${status} media type`).toContain(mediaType);
  if (!mediaType.endsWith("json")) return;
  const ref = `openapi.json#/paths/${pointerPart(template)}/get/responses/${status}/content/${pointerPart(mediaType)}/schema`;
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  const body: unknown = await response.clone().json();
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}

type Call = { status: number; headers: Headers; body: unknown; response: Response };

/** One GET through the route handler, checked against the document. */
async function call(template: string, path: string, token?: string | null, extraHeaders: Record<string, string> = {}): Promise<Call> {
  const headers = new Headers(extraHeaders);
  if (token) headers.set("authorization", `Bearer ${token}`);
  const request = new Request(`http://localhost/api/v1${path}`, { headers });
  const number = /^\/invoices\/([^/?]+)/.exec(path)?.[1];
  const context = { params: Promise.resolve(number === undefined ? {} : { number }) } as never;
  const handler = {
    "/invoices": invoiceList.GET,
    "/invoices/{number}": invoiceOne.GET,
    "/invoices/{number}/pdf": invoicePdf.GET,
    "/invoices/{number}/ubl": invoiceUbl.GET,
    "/payments": paymentList.GET,
  }[template]!;
  const response = await handler(request, context);
  await conforms(template, response);
  const type = response.headers.get("content-type") ?? "";
  const body = type.includes("json") ? await response.clone().json() : null;
  return { status: response.status, headers: response.headers, body, response };
}

// ─── Fixtures ─────────────────────────────────────────────────────────────────────────────
const viewers: Record<string, Viewer> = {};

async function viewerFor(email: string): Promise<Viewer> {
  const [row] = await db
    .select(viewerColumns)
    .from(users)
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .where(eq(users.email, email));
  return viewerOf(row!, "00000000-0000-4000-8000-000000000000");
}

async function newToken(email = "demo@example.com", name = "CI script"): Promise<string> {
  const created = await createViewerApiToken(viewers[email]!, { name, expiresInDays: 30 });
  if (!created.ok) throw new Error(created.message);
  return created.token;
}

const numbersOf = async (accountName: string) =>
  (await db.select({ n: invoices.number }).from(invoices).innerJoin(accounts, eq(accounts.id, invoices.accountId)).where(eq(accounts.name, accountName))).map((r) => Number(r.n));

beforeEach(async () => {
  await resetTables(db);
  await seedDemo(db, new Date().toISOString().slice(0, 10));
  for (const email of ["demo@example.com", "reader@example.com", "noaccess@example.com", "other@example.com"]) viewers[email] = await viewerFor(email);
});

// ─── 401 ──────────────────────────────────────────────────────────────────────────────────
describe("401: no usable token", () => {
  it("answers a missing, malformed, unknown, revoked or expired token alike, with WWW-Authenticate", async () => {
    const token = await newToken();
    const expired = await newToken("demo@example.com", "old");
    await db.update(apiTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiTokens.name, "old"));
    const revoked = await newToken("demo@example.com", "gone");
    const [gone] = await db.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.name, "gone"));
    expect(await revokeViewerApiToken(viewers["demo@example.com"]!, gone!.id)).toBe(true);

    const answers = [
      await call("/invoices", "/invoices", null),
      await call("/invoices", "/invoices", null, { authorization: `Basic ${btoa("demo@example.com:cumulus-demo-2026")}` }),
      await call("/invoices", "/invoices", `${token}x`),
      await call("/invoices", "/invoices", "cumulus_pat_unknown"),
      await call("/invoices", "/invoices", revoked),
      await call("/invoices", "/invoices", expired),
    ];
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(a.headers.get("content-type")).toBe("application/problem+json");
      expect(a.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(a.body).toEqual(answers[0]!.body);
    }
    expect((await call("/invoices", "/invoices", token)).status).toBe(200);
  });

  it("a session cookie never authenticates the API", async () => {
    const demo = viewers["demo@example.com"]!;
    const [user] = await db.select({ sv: users.sessionVersion }).from(users).where(eq(users.id, demo.userId));
    const sid = (await startSession(db, demo.userId)).id;
    const salt = "authjs.session-token";
    const cookie = await encode({ token: { uid: demo.userId, sv: user!.sv, sid }, secret: SECRET, salt });
    jar.cookies = [{ name: salt, value: cookie }];
    expect(await getViewer()).not.toBeNull(); // the cookie is good for the panel
    const a = await call("/invoices", "/invoices", null, { cookie: `${salt}=${cookie}` });
    expect(a.status).toBe(401);
    jar.cookies = [];
  });
});

// ─── 200, 400 and 404 ─────────────────────────────────────────────────────────────────────
describe("invoices", () => {
  it("pages every invoice of the token's account once, newest first, 20 by default, amounts as exact decimals", async () => {
    const token = await newToken();
    const first = await call("/invoices", "/invoices", token);
    expect(first.status).toBe(200);
    const page = first.body as { data: { number: number; invoiceDate: string; total: { amount: string; currency: string } }[]; nextCursor: string | null };
    expect(page.data).toHaveLength(20);
    expect(page.data[0]!.total).toMatchObject({ currency: "EUR", amount: expect.stringMatching(/^\d+\.\d{2}$/) });
    const seen = [...page.data];
    let cursor = page.nextCursor;
    while (cursor) {
      const next = await call("/invoices", `/invoices?limit=7&cursor=${encodeURIComponent(cursor)}`, token);
      const body = next.body as typeof page;
      expect(body.data.length).toBeLessThanOrEqual(7);
      seen.push(...body.data);
      cursor = body.nextCursor;
    }
    const mine = await numbersOf("Example Cloud Customer AB");
    expect(seen.map((i) => i.number).sort()).toEqual([...mine].sort());
    const dates = seen.map((i) => i.invoiceDate);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it("filters by status and date range", async () => {
    const token = await newToken();
    const paid = (await call("/invoices", "/invoices?status=paid&limit=100", token)).body as { data: { status: string; outstanding: { amount: string } }[] };
    expect(paid.data.length).toBeGreaterThan(0);
    for (const i of paid.data) expect(i).toMatchObject({ status: "paid", outstanding: { amount: "0.00" } });
    const all = (await call("/invoices", "/invoices?limit=100", token)).body as { data: { invoiceDate: string }[] };
    const from = all.data[5]!.invoiceDate;
    const to = all.data[2]!.invoiceDate;
    const ranged = (await call("/invoices", `/invoices?from=${from}&to=${to}`, token)).body as { data: { invoiceDate: string }[] };
    expect(ranged.data.length).toBeGreaterThan(0);
    for (const i of ranged.data) expect(i.invoiceDate >= from && i.invoiceDate <= to).toBe(true);
  });

  it("answers 400 problems for a limit over 100 and other bad parameters, naming the parameter", async () => {
    const token = await newToken();
    const cases: [string, string][] = [
      ["/invoices?limit=101", "limit"],
      ["/invoices?limit=0", "limit"],
      ["/invoices?limit=ten", "limit"],
      ["/invoices?status=unpaid", "status"],
      ["/invoices?from=2026-13-01", "from"],
      ["/invoices?from=2026-05-01&to=2026-04-01", "to"],
      ["/invoices?cursor=not-a-cursor", "cursor"],
    ];
    for (const [path, parameter] of cases) {
      const a = await call("/invoices", path, token);
      expect(a.status, path).toBe(400);
      expect(a.body).toMatchObject({ status: 400, title: "Bad request", errors: [expect.objectContaining({ parameter })] });
    }
    expect((await call("/invoices", "/invoices?limit=100", token)).status).toBe(200);
    expect((await call("/payments", "/payments?limit=101", token)).status).toBe(400);
  });

  it("gives one invoice with its lines, PDF and UBL; another account's number answers exactly like a missing one", async () => {
    const token = await newToken();
    const [mine] = await numbersOf("Example Cloud Customer AB");
    const [theirs] = await numbersOf("Other Tenant Oy");
    const one = await call("/invoices/{number}", `/invoices/${mine}`, token);
    expect(one.status).toBe(200);
    const invoice = one.body as { number: number; lines: { amount: { amount: string } }[]; total: { amount: string } };
    expect(invoice.number).toBe(mine);
    expect(invoice.lines.length).toBeGreaterThan(0);

    const pdf = await call("/invoices/{number}/pdf", `/invoices/${mine}/pdf`, token);
    expect(pdf.status).toBe(200);
    expect(new TextDecoder().decode((await pdf.response.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
    const ubl = await call("/invoices/{number}/ubl", `/invoices/${mine}/ubl`, token);
    expect(ubl.status).toBe(200);
    expect(await ubl.response.text()).toContain(`<cbc:ID>${mine}</cbc:ID>`);

    for (const suffix of ["", "/pdf", "/ubl"]) {
      const template = `/invoices/{number}${suffix}`;
      const foreign = await call(template, `/invoices/${theirs}${suffix}`, token);
      const missing = await call(template, `/invoices/999999999${suffix}`, token);
      const malformed = await call(template, `/invoices/12ab${suffix}`, token);
      for (const a of [foreign, missing, malformed]) {
        expect(a.status).toBe(404);
        expect(a.body).toEqual(missing.body);
      }
    }
  }, 120_000); // the first PDF starts the rendering workers
});

describe("payments", () => {
  it("lists the account's payments newest first with exact amounts, and pages with the cursor", async () => {
    const token = await newToken("reader@example.com");
    const first = await call("/payments", "/payments?limit=2", token);
    expect(first.status).toBe(200);
    const page = first.body as { data: { createdAt: string; amount: { amount: string; currency: string } }[]; nextCursor: string | null };
    expect(page.data).toHaveLength(2);
    expect(page.data[0]!.amount.amount).toMatch(/^\d+\.\d{2}$/);
    expect(page.nextCursor).not.toBeNull();
    const second = (await call("/payments", `/payments?limit=2&cursor=${page.nextCursor}`, token)).body as typeof page;
    expect(second.data[0]!.createdAt <= page.data[1]!.createdAt).toBe(true);
  });
});

// ─── 405 ──────────────────────────────────────────────────────────────────────────────────
describe("write methods", () => {
  it("answer a 405 problem with Allow on every endpoint (the API is read-only), and a 404 problem elsewhere under /api/v1", async () => {
    const endpoints = [invoiceList, invoiceOne, invoicePdf, invoiceUbl, paymentList, openApiRoute];
    for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const) {
      for (const endpoint of endpoints) {
        const response = await endpoint[method]();
        expect(response.status, method).toBe(405);
        expect(response.headers.get("content-type")).toBe("application/problem+json");
        expect(response.headers.get("allow")).toBe("GET, HEAD");
        expect(await response.json()).toMatchObject({ type: "about:blank", title: "Method not allowed", status: 405 });
      }
      const elsewhere = await otherAddress[method]();
      expect(elsewhere.status).toBe(404);
      expect(elsewhere.headers.get("content-type")).toBe("application/problem+json");
    }
  });
});

// ─── 403 and 429 ──────────────────────────────────────────────────────────────────────────
describe("access and rate", () => {
  it("answers 403 once the token's user has invoice access None, and works again when it is back", async () => {
    const token = await newToken("reader@example.com");
    await db.update(users).set({ invoiceAccess: "none" }).where(eq(users.email, "reader@example.com"));
    const refused = await call("/invoices", "/invoices", token);
    expect(refused.status).toBe(403);
    expect((await call("/invoices/{number}", `/invoices/${(await numbersOf("Example Cloud Customer AB"))[0]}`, token)).status).toBe(403);
    await db.update(users).set({ invoiceAccess: "read" }).where(eq(users.email, "reader@example.com"));
    expect((await call("/invoices", "/invoices", token)).status).toBe(200);
  });

  it("revokes the user's tokens when an admin sets invoice access None, so restoring access does not bring them back", async () => {
    const token = await newToken("reader@example.com");
    const demo = viewers["demo@example.com"]!;
    const reader = viewers["reader@example.com"]!;
    expect(await changeUserAccess(db, demo.account.id, demo.userId, reader.userId, { invoiceAccess: "none", isAdmin: false })).toEqual({ ok: true });
    expect((await call("/invoices", "/invoices", token)).status).toBe(401);
    const [revoked] = await db.select({ revokedAt: apiTokens.revokedAt }).from(apiTokens).where(eq(apiTokens.userId, reader.userId));
    expect(revoked!.revokedAt).not.toBeNull();
    const [row] = await db.select().from(auditEvents).where(eq(auditEvents.action, "api_token.revoked_on_access_loss"));
    expect(row).toMatchObject({ actorUserId: demo.userId, entityId: reader.userId, after: { apiTokens: 1 } });

    expect(await changeUserAccess(db, demo.account.id, demo.userId, reader.userId, { invoiceAccess: "read", isAdmin: false })).toEqual({ ok: true });
    expect((await call("/invoices", "/invoices", token)).status).toBe(401);
    expect(await getViewerApiTokens(await viewerFor("reader@example.com"))).toEqual([]);
  });

  it("answers 429 with Retry-After past the per-token limit, and counts tokens apart", async () => {
    const token = await newToken();
    const other = await newToken("demo@example.com", "second");
    expect((await call("/invoices", "/invoices?limit=1", token)).status).toBe(200);
    const [row] = await db.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.name, "CI script"));
    await db.update(loginThrottle).set({ failures: API_REQUESTS_PER_MINUTE }).where(eq(loginThrottle.key, `api:${row!.id}`));
    const limited = await call("/invoices", "/invoices?limit=1", token);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect((await call("/invoices", "/invoices?limit=1", other)).status).toBe(200);
    // A window that has ended starts over.
    await db.update(loginThrottle).set({ windowStartedAt: sql`now() - interval '61 seconds'` }).where(eq(loginThrottle.key, `api:${row!.id}`));
    expect((await call("/invoices", "/invoices?limit=1", token)).status).toBe(200);
  });
});

// ─── The tokens themselves ────────────────────────────────────────────────────────────────
describe("tokens", () => {
  it("stores only the hash, records last use, and emails its user a notice with the name, never the token", async () => {
    await db.update(accounts).set({ language: "sv" }).where(eq(accounts.name, "Example Cloud Customer AB"));
    viewers["demo@example.com"] = await viewerFor("demo@example.com");
    const token = await newToken("demo@example.com", "Bokföring");
    expect(token).toMatch(/^cumulus_pat_[A-Za-z0-9_-]{43}$/);
    const [stored] = await db.select().from(apiTokens);
    expect(JSON.stringify(stored)).not.toContain(token.slice(12));
    expect(stored!.lastUsedAt).toBeNull();
    await call("/invoices", "/invoices?limit=1", token);
    const [used] = await db.select({ lastUsedAt: apiTokens.lastUsedAt }).from(apiTokens);
    expect(used!.lastUsedAt).not.toBeNull();

    const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.kind, "notice"));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.recipients).toEqual(["demo@example.com"]);
    expect(mails[0]!.subject).toContain("API-token");
    expect(mails[0]!.textBody).toContain("Bokföring");
    expect(`${mails[0]!.subject}${mails[0]!.textBody}${mails[0]!.htmlBody}`).not.toContain(token.slice(12));
  });

  it("a user with invoice access None gets none, and one user cannot revoke another's", async () => {
    const refused = await createViewerApiToken(viewers["noaccess@example.com"]!, { name: "x", expiresInDays: 30 });
    expect(refused.ok).toBe(false);
    expect(await getViewerApiTokens(viewers["noaccess@example.com"]!)).toBeNull();
    expect(await db.select().from(apiTokens)).toHaveLength(0);

    await newToken("reader@example.com");
    const [readers] = await db.select({ id: apiTokens.id }).from(apiTokens);
    expect(await revokeViewerApiToken(viewers["demo@example.com"]!, readers!.id)).toBe(false);
    expect(await revokeViewerApiToken(viewers["other@example.com"]!, readers!.id)).toBe(false);
    expect(await getViewerApiTokens(viewers["reader@example.com"]!)).toHaveLength(1);
  });

  it("refuses an eleventh live token next to the name field, saving nothing; revoked and expired ones do not count", async () => {
    const demo = viewers["demo@example.com"]!;
    for (let i = 0; i < 10; i++) await newToken("demo@example.com", `script ${i}`);
    const [user] = await db.select({ sv: users.sessionVersion }).from(users).where(eq(users.id, demo.userId));
    const sid = (await startSession(db, demo.userId)).id;
    const salt = "authjs.session-token";
    jar.cookies = [{ name: salt, value: await encode({ token: { uid: demo.userId, sv: user!.sv, sid }, secret: SECRET, salt }) }];
    const form = new FormData();
    form.set("name", "one too many");
    form.set("expiresInDays", "30");
    const refused = await createApiToken({}, form);
    expect(refused.ok).toBe(false);
    expect(refused.fieldErrors?.name).toBe("You have 10 active tokens: revoke one first.");
    expect(await db.select().from(apiTokens)).toHaveLength(10);
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.kind, "notice"))).toHaveLength(10);

    await db.update(apiTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiTokens.name, "script 0"));
    expect((await createApiToken({}, form)).ok).toBe(true);
    const [live] = await db.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.name, "script 1"));
    expect((await createApiToken({}, form)).ok).toBe(false);
    expect(await revokeViewerApiToken(demo, live!.id)).toBe(true);
    expect((await createApiToken({}, form)).ok).toBe(true);
    jar.cookies = [];
  });

  it("Log out everywhere leaves tokens working", async () => {
    const token = await newToken();
    const demo = viewers["demo@example.com"]!;
    await logOutEverywhere(db, demo.account.id, demo.userId);
    expect((await call("/invoices", "/invoices?limit=1", token)).status).toBe(200);
  });

  it("the Create token action refuses an empty or too long name and an unknown expiry next to the field, saving nothing", async () => {
    const demo = viewers["demo@example.com"]!;
    const [user] = await db.select({ sv: users.sessionVersion }).from(users).where(eq(users.id, demo.userId));
    const sid = (await startSession(db, demo.userId)).id;
    const salt = "authjs.session-token";
    jar.cookies = [{ name: salt, value: await encode({ token: { uid: demo.userId, sv: user!.sv, sid }, secret: SECRET, salt }) }];
    const form = (name: string, expiresInDays: string) => {
      const f = new FormData();
      f.set("name", name);
      f.set("expiresInDays", expiresInDays);
      return f;
    };
    expect((await createApiToken({}, form("  ", "30"))).fieldErrors?.name).toBe("Give the token a name.");
    expect((await createApiToken({}, form("x".repeat(65), "30"))).fieldErrors?.name).toMatch(/64 characters/);
    expect((await createApiToken({}, form("ok", "7"))).fieldErrors?.expiresInDays).toMatch(/30, 90, 365/);
    expect(await db.select().from(apiTokens)).toHaveLength(0);
    const created = await createApiToken({}, form("Nightly export", "365"));
    expect(created).toMatchObject({ ok: true, tokenName: "Nightly export", token: expect.stringMatching(/^cumulus_pat_/) });
    const [row] = await db.select({ days: sql<number>`round(extract(epoch from (${apiTokens.expiresAt} - ${apiTokens.createdAt})) / 86400)::int` }).from(apiTokens).where(and(eq(apiTokens.name, "Nightly export")));
    expect(Number(row!.days)).toBe(365);
    jar.cookies = [];
  });
});
