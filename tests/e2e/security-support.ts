/**
 * Shared pieces of the security specs (tests/e2e/security-*.spec.ts): what the production build
 * contains (pages, route handlers and their methods, server actions by id), HTTP clients signed
 * in per role, calling a server action directly by its id the way Next's client does, reading
 * the answer as an outcome, and the account every refusal is checked against.
 *
 * The target account: on PostgreSQL each spec creates its own account (admin, Full, Read,
 * None and a revoked user, one outstanding invoice, a contact address and a phone), so its
 * checks can read the database before and after each request without other specs in the way.
 * On the embedded database the server holds the data folder's lock, so the specs cannot reach
 * the database: they use the demo account (no non-admin Full user, no revoked session) and
 * check by reading back over HTTP instead.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { request as playwrightRequest, type APIRequestContext, type APIResponse } from "@playwright/test";
import postgres from "postgres";
import { paymentReferenceFor } from "../../lib/reference";
import { test } from "./fixtures";
import { DEMO_PASSWORD, ROLES } from "./roles";

export const BASE_URL = process.env.E2E_BASE_URL ?? "http://localhost:3000";
export const ORIGIN = new URL(BASE_URL).origin;
export const ON_POSTGRES = Boolean(process.env.DATABASE_URL);
const root = process.cwd();

// ─── The build ─────────────────────────────────────────────────────────────────────────────

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export type BuiltRoute = { kind: "page" | "route"; route: string; source: string | null; methods: string[] };
export type BuiltAction = { id: string; key: string; file: string; name: string; workers: string[] };

function readJson<T>(file: string): T {
  const full = path.join(root, ".next", file);
  if (!fs.existsSync(full)) throw new Error(`${full} is missing: the security specs read the production build (run them through npm run test:e2e)`);
  return JSON.parse(fs.readFileSync(full, "utf8")) as T;
}

/** Exported HTTP methods of a route handler's source: `export async function GET`, `export const POST =`, `export const { GET, POST } =`. */
export function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:async\s+)?function\s+([A-Z]+)\s*\(/g)) found.add(m[1]!);
  for (const m of source.matchAll(/export\s+const\s+([A-Z]+)\s*=/g)) found.add(m[1]!);
  for (const m of source.matchAll(/export\s+const\s*\{([^}]*)\}\s*=/g)) for (const name of m[1]!.split(",")) found.add(name.trim().split(/\s*:\s*/).pop()!);
  return HTTP_METHODS.filter((h) => found.has(h));
}

/** Every page and route handler of the build (.next/app-path-routes-manifest.json), with route handlers' methods from their source. */
export function builtRoutes(): BuiltRoute[] {
  const manifest = readJson<Record<string, string>>("app-path-routes-manifest.json");
  return Object.entries(manifest)
    .map(([entry, route]) => {
      const kind = entry.endsWith("/route") ? ("route" as const) : ("page" as const);
      const candidates = [".ts", ".tsx", ".js"].map((ext) => path.join(root, "app", `${entry}${ext}`));
      const source = candidates.find((f) => fs.existsSync(f)) ?? null;
      const methods = kind === "route" ? (source ? exportedMethods(fs.readFileSync(source, "utf8")) : ["GET"]) : ["GET"];
      return { kind, route, source: source && path.relative(root, source), methods };
    })
    .sort((a, b) => a.route.localeCompare(b.route));
}

/** Every server action of the build (.next/server/server-reference-manifest.json), by id. */
export function builtActions(): BuiltAction[] {
  const manifest = readJson<{ node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }> }>(
    "server/server-reference-manifest.json",
  );
  return Object.entries(manifest.node)
    .map(([id, a]) => ({ id, key: `${a.filename}#${a.exportedName}`, file: a.filename, name: a.exportedName, workers: Object.keys(a.workers) }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** A URL path that runs the action's worker page (one without dynamic segments when there is one). */
export function actionPath(action: BuiltAction, fill: (segment: string) => string): string {
  const routes = readJson<Record<string, string>>("app-path-routes-manifest.json");
  const paths = action.workers.map((w) => routes[`/${w.replace(/^app\//, "")}`]).filter((p): p is string => Boolean(p));
  const chosen = paths.find((p) => !p.includes("[")) ?? paths[0];
  if (!chosen) throw new Error(`No page runs ${action.key}`);
  return chosen.replace(/\[([^\]]+)\]/g, (_m, name: string) => encodeURIComponent(fill(name)));
}

// ─── Clients ───────────────────────────────────────────────────────────────────────────────

const contexts: APIRequestContext[] = [];

/** A cookie-keeping HTTP client, signed out. */
export async function newClient(extraHTTPHeaders?: Record<string, string>): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL: BASE_URL, extraHTTPHeaders });
  contexts.push(ctx);
  return ctx;
}

export async function disposeClients() {
  await Promise.all(contexts.splice(0).map((c) => c.dispose()));
}

/** Signs in through Auth.js's credentials endpoint (CSRF token first), as the login form's server action does inside. */
export async function signIn(email: string, password = DEMO_PASSWORD): Promise<APIRequestContext> {
  const ctx = await newClient();
  const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, callbackUrl: "/" },
    maxRedirects: 0,
  });
  const location = res.headers()["location"] ?? "";
  if (res.status() !== 302 || location.includes("error=")) throw new Error(`Sign-in of ${email} failed: ${res.status()} ${location}`);
  return ctx;
}

// ─── Server actions, called by id ──────────────────────────────────────────────────────────

/** Stands for the FormData argument in an action's argument list. */
export const FORM = Symbol("form");
export type Fields = Record<string, string | string[]>;

/**
 * The body Next's client sends for a server action: React's reply encoding, where field "0"
 * holds the JSON argument list and a FormData argument becomes "$K1" with its entries as
 * "_1_<name>", sent before "0" (the server resolves the references as "0" arrives). Strings
 * starting with "$" are escaped as React does.
 */
export function actionBody(args: readonly unknown[], fields: Fields = {}): FormData {
  const escape = (v: unknown): unknown => (v === FORM ? "$K1" : typeof v === "string" && v.startsWith("$") ? `$${v}` : v);
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(`_1_${k}`, one);
  body.append("0", JSON.stringify(args.map(escape)));
  return body;
}

export type ActionCall = {
  action: BuiltAction;
  path: string;
  args: readonly unknown[];
  fields?: Fields;
  /** Origin header: the app's own by default; null sends none; a string sends that string. */
  origin?: string | null;
  headers?: Record<string, string>;
};

export function callAction(ctx: APIRequestContext, call: ActionCall): Promise<APIResponse> {
  const headers: Record<string, string> = { "next-action": call.action.id, accept: "text/x-component", ...call.headers };
  const origin = call.origin === undefined ? ORIGIN : call.origin;
  if (origin !== null) headers.origin = origin;
  return ctx.fetch(call.path, { method: "POST", headers, multipart: actionBody(call.args, call.fields), maxRedirects: 0, failOnStatusCode: false });
}

/** The action's return value from a Flight answer (row 1), or undefined. */
export function actionResult(body: string): unknown {
  const row = body.split("\n").find((l) => l.startsWith("1:"));
  if (!row) return undefined;
  try {
    return JSON.parse(row.slice(2));
  } catch {
    return row.slice(2);
  }
}

// ─── Outcomes ──────────────────────────────────────────────────────────────────────────────

/**
 * What an answer means:
 * ok (2xx with content) · declined (an action answered with field errors or an `ok: false`
 * message: nothing done) · login (sent to the login page) · not-found · forbidden (403) ·
 * csrf-token (Auth.js refused: MissingCSRF) · bad-request (400) · unauthorized (401) ·
 * unavailable (503: a secret or provider not configured, nothing read) · error-page (the
 * framework's own error page) · origin-refused (the proxy refused a write from another
 * site's Origin: 403 before any application code, lib/csrf.ts) · redirect:/path.
 */
export type Outcome =
  | "ok"
  | "declined"
  | "login"
  | "not-found"
  | "forbidden"
  | "csrf-token"
  | "bad-request"
  | "unauthorized"
  | "method-not-allowed"
  | "unavailable"
  | "error-page"
  | "origin-refused"
  | `redirect:${string}`;

export type Answer = { outcome: Outcome | `unexpected ${number}`; status: number; body: string; contentType: string; location: string | null };

/** An action's answer that did nothing: per-field errors, or a message with `ok: false` (or with no `ok` at all). */
export function isDeclined(result: unknown): boolean {
  if (!result || typeof result !== "object") return false;
  const r = result as { ok?: boolean; fieldErrors?: Record<string, unknown>; message?: unknown };
  if (r.ok === true) return false;
  if (r.fieldErrors && Object.values(r.fieldErrors).some((v) => typeof v === "string")) return true;
  return r.ok === false || typeof r.message === "string";
}

export async function readAnswer(res: APIResponse, kind: "page" | "route" | "action"): Promise<Answer> {
  const status = res.status();
  const h = res.headers();
  const body = status === 304 ? "" : await res.text();
  const contentType = h["content-type"] ?? "";
  const redirect = h["x-action-redirect"]?.split(";")[0] ?? (status >= 300 && status < 400 ? h["location"] : undefined) ?? null;
  const answer = (outcome: Answer["outcome"]): Answer => ({ outcome, status, body, contentType, location: redirect });
  if (redirect) {
    const url = new URL(redirect, BASE_URL);
    if (url.pathname === "/login" && url.searchParams.get("error") === "MissingCSRF") return answer("csrf-token");
    if (url.pathname === "/login" && !url.searchParams.has("error")) return answer("login");
    return answer(`redirect:${url.pathname}`);
  }
  if (status === 404) return answer("not-found");
  if (status === 403 && body.startsWith("Cross-site request refused")) return answer("origin-refused");
  if (status === 403) return answer("forbidden");
  if (status === 400) return answer("bad-request");
  if (status === 401) return answer("unauthorized");
  if (status === 405) return answer("method-not-allowed");
  if (status === 503) return answer("unavailable");
  // A page that failed: the framework's error page, status 500.
  if (kind === "page" && status === 500) return answer("error-page");
  if (status >= 200 && status < 300) {
    if (kind !== "action") return answer("ok");
    return answer(isDeclined(actionResult(body)) ? "declined" : "ok");
  }
  return answer(`unexpected ${status}`);
}

// ─── The target account ────────────────────────────────────────────────────────────────────

/** adminNone: an admin with invoice access None (being an admin governs the Users page only). */
export type MemberRole = "admin" | "full" | "read" | "none" | "revoked" | "adminNone";
export type Member = { id: string; email: string };

export type Target = {
  /** Where it came from: an account of its own (PostgreSQL) or the demo account (embedded). */
  kind: "isolated" | "demo";
  accountId: string | null;
  accountName: string;
  members: Partial<Record<MemberRole, Member>>;
  /** An outstanding invoice of the account and its outstanding amount in minor units. */
  invoice: { number: number; outstandingMinor: string };
  /** A settled payment of the account (it has a receipt). */
  paymentId: string;
  /** The verified address holding every role. */
  contactId: string;
  /** A second verified address holding no role (on the demo account: the first one again). */
  secondContactId: string;
  /** An address waiting for its verification code (on the demo account: the first one again). */
  pendingContactId: string;
  phoneId: string;
  /** A number no account has. */
  unknownNumber: number;
  /** Billing data of the account (VAT number, street, a contact address) that invoice access None must never receive. */
  billingSecrets: string[];
};

/**
 * The frame of a security spec: its tests in order when they share one target account, the
 * build's server actions by key, and its HTTP clients and database connection closed after it.
 */
export function securitySpec(o: { serial: boolean }): Map<string, BuiltAction> {
  if (o.serial) test.describe.configure({ mode: "serial" });
  test.afterAll(async () => {
    await disposeClients();
    await closeDatabase();
  });
  return new Map(builtActions().map((a) => [a.key, a] as const));
}

export type Sql = postgres.Sql;

let sqlClient: Sql | null | undefined;
/** The browser tests' PostgreSQL database, or null on the embedded one (locked by the server). */
export function database(): Sql | null {
  if (sqlClient === undefined) sqlClient = ON_POSTGRES ? postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} }) : null;
  return sqlClient;
}

export async function closeDatabase() {
  if (sqlClient) await sqlClient.end({ timeout: 5 });
  sqlClient = undefined;
}

const DEMO_ACCOUNT = "Example Cloud Customer AB";

/**
 * An account of the spec's own on PostgreSQL: a copy of the demo account's customer data with
 * five users (admin with Full, Full, Read, None, and a Read user whose session gets revoked),
 * three contact addresses (verified with every role, verified with none, waiting for its
 * code), one phone, and a copy of the demo account's newest invoice under the next invoice
 * number with 1.00 of it paid by a settled bank transfer (which has a receipt). Every valid
 * input of the matrix changes something here.
 */
export async function createIsolatedTarget(sql: Sql, label: string): Promise<Target> {
  const tag = `${label}-${randomUUID().slice(0, 8)}`;
  const accountName = `Security ${tag} AB`;
  return sql.begin(async (tx) => {
    const [account] = await tx<{ id: string; vat_number: string; street: string }[]>`
      insert into accounts (kind, name, first_name, last_name, country_code, currency, language, time_zone,
        organisation_number, vat_number, purchase_order, street, zip_code, city, payment_terms_days)
      select kind, ${accountName}, first_name, last_name, country_code, currency, language, time_zone,
        organisation_number, vat_number, purchase_order, street, zip_code, city, payment_terms_days
      from accounts where name = ${DEMO_ACCOUNT}
      returning id, vat_number, street`;
    const accountId = account!.id;
    const [demo] = await tx<{ password_hash: string }[]>`select password_hash from users where email = ${ROLES.demo}`;
    const spec: [MemberRole, boolean, string][] = [
      ["admin", true, "full"],
      ["full", false, "full"],
      ["read", false, "read"],
      ["none", false, "none"],
      ["revoked", false, "read"],
      ["adminNone", true, "none"],
    ];
    const members: Partial<Record<MemberRole, Member>> = {};
    for (const [role, isAdmin, access] of spec) {
      const email = `sec-${tag}-${role.toLowerCase()}@example.com`;
      const [u] = await tx<{ id: string }[]>`
        insert into users (account_id, email, name, password_hash, is_admin, invoice_access)
        values (${accountId}, ${email}, ${`Security ${role}`}, ${demo!.password_hash}, ${isAdmin}, ${access})
        returning id`;
      members[role] = { id: u!.id, email };
    }
    const [contact] = await tx<{ id: string }[]>`
      insert into contact_emails (account_id, email, verified_at, is_billing, is_tech, is_dpo)
      values (${accountId}, ${`sec-${tag}-billing@example.com`}, now(), true, true, true) returning id`;
    const [second] = await tx<{ id: string }[]>`
      insert into contact_emails (account_id, email, verified_at) values (${accountId}, ${`sec-${tag}-second@example.com`}, now()) returning id`;
    const [pending] = await tx<{ id: string }[]>`
      insert into contact_emails (account_id, email, verification_code_hash, verification_expires_at)
      values (${accountId}, ${`sec-${tag}-pending@example.com`}, encode(sha256(gen_random_uuid()::text::bytea), 'hex'), now() + interval '1 hour') returning id`;
    const [phone] = await tx<{ id: string }[]>`
      insert into contact_phones (account_id, phone, label) values (${accountId}, '+46812345678', 'Office') returning id`;
    const [seq] = await tx<{ n: string }[]>`
      update number_sequences set next_value = next_value + 1 where name = 'invoice' returning (next_value - 1)::text as n`;
    const number = Number(seq!.n);
    const [invoice] = await tx<{ id: string; total: string }[]>`
      insert into invoices (account_id, number, type, period_start, period_end, invoice_date, due_date, currency, language,
        vat_category, net_minor, vat_minor, total_minor, customer, payment_reference, issued_at)
      select ${accountId}, ${number}, type, period_start, period_end, invoice_date, due_date, currency, language,
        vat_category, net_minor, vat_minor, total_minor, customer || jsonb_build_object('name', ${accountName}::text),
        ${paymentReferenceFor(number)}, issued_at
      from invoices
      where account_id = (select id from accounts where name = ${DEMO_ACCOUNT}) and type = 'invoice'
      order by invoice_date desc limit 1
      returning id, total_minor::text as total`;
    const [payment] = await tx<{ id: string }[]>`
      insert into payments (account_id, provider, method, state, amount_minor, currency, provider_reference, settled_at)
      select ${accountId}, 'bank_transfer', 'bank_transfer', 'succeeded', 100, currency, ${`sec-${tag}`}, now()
      from accounts where id = ${accountId}
      returning id`;
    await tx`insert into payment_allocations (payment_id, invoice_id, amount_minor) values (${payment!.id}, ${invoice!.id}, 100)`;
    await tx`
      insert into invoice_lines (invoice_id, position, service, product_code, label, region, quantity, unit, unit_price_minor, amount_minor, vat_rate_bp)
      select ${invoice!.id}, l.position, l.service, l.product_code, l.label, l.region, l.quantity, l.unit, l.unit_price_minor, l.amount_minor, l.vat_rate_bp
      from invoice_lines l join invoices i on i.id = l.invoice_id
      where i.account_id = (select id from accounts where name = ${DEMO_ACCOUNT}) and i.type = 'invoice'
        and i.invoice_date = (select max(invoice_date) from invoices where account_id = i.account_id and type = 'invoice')`;
    return {
      kind: "isolated" as const,
      accountId,
      accountName,
      members,
      invoice: { number, outstandingMinor: String(BigInt(invoice!.total) - 100n) },
      paymentId: payment!.id,
      contactId: contact!.id,
      secondContactId: second!.id,
      pendingContactId: pending!.id,
      phoneId: phone!.id,
      unknownNumber: 999_999_999_999,
      billingSecrets: [account!.vat_number, account!.street, `sec-${tag}-billing@example.com`],
    };
  });
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/**
 * The demo account as the target (embedded database): its ids are read over HTTP as its admin
 * sees them (the Account settings data, the Users page and the Pay dialog's amount).
 */
export async function demoTarget(admin: APIRequestContext, load: BuiltAction): Promise<Target> {
  const settings = await callAction(admin, { action: load, path: "/", args: [] });
  const view = actionResult(await settings.text()) as { contacts?: { id: string }[]; settings?: unknown; phones?: { id: string }[] };
  const text = JSON.stringify(view);
  const contactId = new RegExp(`"id":"(${UUID})","email":"${ROLES.demo}"`).exec(text)?.[1];
  const phoneId = new RegExp(`"id":"(${UUID})","phone":"\\+`).exec(text)?.[1];
  const users = await (await admin.get("/users", { headers: { rsc: "1" } })).text();
  const userId = (name: string) => new RegExp(`"userId":"(${UUID})","name":"${name}"`).exec(users)?.[1];
  const list = await (await admin.get("/invoices/export.csv?status=outstanding")).text();
  // CSV columns: Invoice No, Type, Invoice Date, Due Date, Net, VAT, Total, Currency, Outstanding, Status.
  const first = list.split("\r\n")[1]?.split(",") ?? [];
  const number = Number(first[0]);
  const outstanding = /^\d+\.\d{2}$/.test(first[8] ?? "") ? first[8]!.replace(".", "").replace(/^0+(?=\d)/, "") : "1";
  const paid = Number((await (await admin.get("/invoices/export.csv?status=paid")).text()).split("\r\n")[1]?.split(",")[0]);
  const detail = await (await admin.get(`/invoices/${paid}`)).text();
  const paymentId = new RegExp(`/payments/(${UUID})/receipt`).exec(detail)?.[1];
  const vatNumber = /"vatNumber":"([^"]+)"/.exec(text)?.[1];
  const street = /"street":"([^"]+)"/.exec(text)?.[1];
  if (!contactId || !phoneId || !userId("Rolf Reader") || !userId("Nina Noaccess") || !number || !paymentId || !vatNumber || !street) {
    throw new Error("Could not read the demo account's ids over HTTP");
  }
  return {
    kind: "demo",
    accountId: null,
    accountName: DEMO_ACCOUNT,
    members: {
      admin: { id: "", email: ROLES.demo },
      read: { id: userId("Rolf Reader")!, email: ROLES.reader },
      none: { id: userId("Nina Noaccess")!, email: ROLES.noaccess },
    },
    invoice: { number, outstandingMinor: outstanding },
    paymentId,
    contactId,
    secondContactId: contactId,
    pendingContactId: contactId,
    phoneId,
    unknownNumber: 999_999_999_999,
    billingSecrets: [vatNumber, street, ROLES.demo],
  };
}

// ─── Did anything change? ──────────────────────────────────────────────────────────────────

/**
 * A digest of everything the account owns (account, users, contacts, phones, cards, invoices
 * and lines, payments and allocations, queued email), and the counts of its audit rows:
 * refusals ("access.denied", which a refused action is meant to write) and all others. Left
 * out: rendered PDFs (a cache filled by reading) and the outbox's delivery state (the sender
 * updates it in the background).
 */
export async function fingerprint(sql: Sql, accountId: string): Promise<{ digest: string; denied: number; audits: number }> {
  const [row] = await sql<{ digest: string | null; denied: number; audits: number }[]>`
    select md5(string_agg(x, '|' order by x)) as digest,
      (select count(*)::int from audit_events where account_id = ${accountId} and action = 'access.denied') as denied,
      (select count(*)::int from audit_events where account_id = ${accountId} and action <> 'access.denied') as audits
    from (
      select 'account ' || row_to_json(a)::text as x from accounts a where a.id = ${accountId}
      union all select 'user ' || row_to_json(u)::text from users u where u.account_id = ${accountId}
      union all select 'contact ' || row_to_json(c)::text from contact_emails c where c.account_id = ${accountId}
      union all select 'phone ' || row_to_json(p)::text from contact_phones p where p.account_id = ${accountId}
      union all select 'code budget ' || row_to_json(b)::text from contact_verification_budgets b where b.account_id = ${accountId}
      union all select 'code sent ' || row_to_json(cs)::text from contact_verification_sends cs where cs.account_id = ${accountId}
      union all select 'card ' || row_to_json(s)::text from saved_cards s where s.account_id = ${accountId}
      union all select 'invoice ' || row_to_json(i)::text from invoices i where i.account_id = ${accountId}
      union all select 'line ' || row_to_json(l)::text from invoice_lines l join invoices i on i.id = l.invoice_id where i.account_id = ${accountId}
      union all select 'payment ' || row_to_json(p)::text from payments p where p.account_id = ${accountId}
      union all select 'allocation ' || row_to_json(pa)::text from payment_allocations pa join payments p on p.id = pa.payment_id where p.account_id = ${accountId}
      union all select 'outbox ' || json_build_array(o.id, o.kind, o.dedupe_key, o.recipients, o.subject, o.text_body, o.invoice_id, o.created_at)::text
        from email_outbox o where o.account_id = ${accountId}
      union all select 'share link ' || row_to_json(sl)::text from share_links sl where sl.account_id = ${accountId}
      union all select 'calendar feed ' || row_to_json(cf)::text from calendar_feeds cf where cf.account_id = ${accountId}
    ) t`;
  return { digest: row!.digest ?? "", denied: row!.denied, audits: row!.audits };
}

/** What the account's admin can read back over HTTP: Account settings, users and access, and the invoice list as CSV. */
export async function readBack(admin: APIRequestContext, load: BuiltAction): Promise<string> {
  const settings = actionResult(await (await callAction(admin, { action: load, path: "/", args: [] })).text());
  const users = await (await admin.get("/users", { headers: { rsc: "1" } })).text();
  const access = [...users.matchAll(/"userId":"([^"]+)","name":"([^"]*)","invoiceAccess":"(\w+)","isAdmin":(true|false)/g)].map((m) => m.slice(1).join(" "));
  const csv = await (await admin.get("/invoices/export.csv")).text();
  return JSON.stringify({ settings, access, csv });
}

const FLIGHT_PUSH = /<script[^>]*>self\.__next_f\.push\(\[1,("(?:[^"\\]|\\.)*")\]\)<\/script>/g;
/** A reference between the payload's rows ("$L22", "$3a", "$0:props:children"): where React outlined a row. */
const FLIGHT_REFERENCE = /^\$[A-Za-z@]?[0-9a-f]+(?::.*)?$/;

/**
 * What the page's RSC payload carries, in an order that does not depend on timing: its string
 * values, sorted. React outlines a part of the payload into a row of its own when that part is
 * not ready yet, so under load the same page splits into other rows, with other references.
 */
function flightStrings(body: string): string {
  const payload = [...body.matchAll(FLIGHT_PUSH)]
    .map((m) => JSON.parse(m[1]!) as string)
    .join("")
    .replace(/"nonce":"[^"\\]*"/g, '"nonce":""');
  return [...payload.matchAll(/"((?:[^"\\]|\\.)*)"/g)]
    .map((m) => m[1]!)
    .filter((value) => !FLIGHT_REFERENCE.test(value))
    .sort()
    .join("\n");
}

/**
 * Replaces what differs between two renderings of the same page: nonces, and how the RSC payload
 * was split into rows (its strings are kept, so data in it still counts). Mask ids before: the
 * payload's strings are sorted.
 */
export function normalizeHtml(body: string): string {
  const html = body.replace(FLIGHT_PUSH, "").replace(/nonce="[^"]*"/g, 'nonce=""');
  return `${html}\n${flightStrings(body)}`;
}

export type SetCookie = { name: string; value: string; attributes: Map<string, string> };

/** The Set-Cookie headers of an answer, with their attributes (names lower-cased). */
export function setCookies(res: APIResponse): SetCookie[] {
  return res
    .headersArray()
    .filter((h) => h.name.toLowerCase() === "set-cookie")
    .map((h) => {
      const [pair, ...attrs] = h.value.split(";").map((s) => s.trim());
      const eq = pair!.indexOf("=");
      const attributes = new Map<string, string>();
      for (const a of attrs) {
        const i = a.indexOf("=");
        attributes.set((i < 0 ? a : a.slice(0, i)).toLowerCase(), i < 0 ? "" : a.slice(i + 1));
      }
      return { name: pair!.slice(0, eq), value: pair!.slice(eq + 1), attributes };
    });
}
