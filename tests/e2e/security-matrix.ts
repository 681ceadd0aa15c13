/**
 * The authorization matrix: every page, route handler (per method) and server action of the
 * build × who asks → the expected answer. tests/e2e/security-access.spec.ts sends each cell
 * and fails on any other answer, on any database change, and on any page, route, method or
 * action of the build that has no row here (or a row here that the build no longer has).
 *
 * Who asks: anonymous (no session cookie: the proxy sends it to the login page) · forged (a
 * session cookie that is not a token of ours: the proxy only looks for the cookie, so this
 * column reaches the data-access layer, which must refuse it) · revoked (a real token whose
 * session version was raised since, as an operator's reset does; a logged-out session is
 * tests/e2e/security-sessions.spec.ts's) · other (other@example.com, admin of
 * another account, asking for the target account's things) · none / read / full (invoice access
 * None, Read, Full; not admins) · admin (admin with invoice access Full) · adminNone (admin with
 * invoice access None: being an admin governs the Users page only, so unless a row says
 * otherwise it is answered exactly as None is).
 *
 * Inputs: a cell expected to be refused sends a valid input that would change something if it
 * got through (the target account's ids and numbers, a new address, a new language); a cell
 * expected to be allowed sends a harmless invalid input (field errors, nothing written), so the
 * matrix never changes data that other specs read.
 */
import { randomUUID } from "node:crypto";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { DEMO_PASSWORD } from "./roles";
import { actionPath, callAction, FORM, type BuiltAction, type Fields, type Outcome, type Target } from "./security-support";

/** How the cells are written: "invalid" (harmless input: declined with field errors) and
 * "refused" (valid input: declined, nothing done) both expect the answer "declined";
 * "hidden" expects "ok" without any of the account's billing data (Probe.billingData). */
export type Expected = Outcome | "invalid" | "refused" | "hidden";

export const MATRIX_ROLES = ["anonymous", "forged", "revoked", "other", "none", "read", "full", "admin", "adminNone"] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];
export type Cells = Record<MatrixRole, Expected>;
export type ProbeInput = "valid" | "harmless";

export type ProbeContext = {
  client: APIRequestContext;
  target: Target;
  input: ProbeInput;
  actions: ReadonlyMap<string, BuiltAction>;
  /** For actions: the Origin header (default the app's own; null sends none). */
  origin?: string | null;
};

export type Probe = {
  /** "page /route", "GET /route" or "action file#export": what the build calls it. */
  key: string;
  kind: "page" | "route" | "action";
  /** What the request asks for, in words. */
  what: string;
  expect: Cells;
  send: (c: ProbeContext) => Promise<APIResponse>;
  /** Answers with PDF bytes when allowed (and must carry none when refused). */
  pdf?: boolean;
  /** Ends the caller's session: sent from a session of its own. */
  endsSession?: boolean;
  /** Answers with the account's billing data (Target.billingSecrets) when "ok", and with none of it when "hidden". */
  billingData?: boolean;
};

/** Outcomes that refuse: the cell then sends the valid (would-change) input. */
export const REFUSALS: readonly Expected[] = ["login", "not-found", "forbidden", "refused", "csrf-token", "bad-request", "unauthorized", "method-not-allowed", "unavailable"];

export function matches(expected: Expected, got: string): boolean {
  return expected === got || ((expected === "invalid" || expected === "refused") && got === "declined") || (expected === "hidden" && got === "ok");
}

// The cron routes (outbox, autopay, daily) without their secret: 503 while CRON_SECRET is unset (as in the browser tests), 401 otherwise.
const CRON: Outcome = process.env.CRON_SECRET ? "unauthorized" : "unavailable";
// Stripe's callback: 503 while Stripe is not configured (nothing read), 400 for a bad signature otherwise.
const STRIPE: Outcome = process.env.STRIPE_WEBHOOK_SECRET ? "bad-request" : "unavailable";

/**
 * One row: anonymous, other, none, read, full, admin; a forged or revoked session answers as
 * anonymous, and an admin with invoice access None as None unless `adminNone` is given.
 */
function cells(anonymous: Expected, other: Expected, none: Expected, read: Expected, full: Expected, admin: Expected, adminNone: Expected = none): Cells {
  return { anonymous, forged: anonymous, revoked: anonymous, other, none, read, full, admin, adminNone };
}

/** A row where a session cookie, forged or revoked, is not answered like none at all (the DAL is not asked). */
function withCookieAnswers(row: Cells, answer: Expected): Cells {
  return { ...row, forged: answer, revoked: answer };
}

const get = (path: (t: Target) => string) => (c: ProbeContext) => c.client.get(path(c.target), { maxRedirects: 0, failOnStatusCode: false });

function page(route: string, what: string, path: (t: Target) => string, expect: Cells): Probe {
  return { key: `page ${route}`, kind: "page", what, expect, send: get(path) };
}

function route(method: string, routePath: string, what: string, expect: Cells, send: (c: ProbeContext) => Promise<APIResponse>, extra: Partial<Probe> = {}): Probe {
  return { key: `${method} ${routePath}`, kind: "route", what, expect, send, ...extra };
}

type ActionSpec = {
  what: string;
  /** Arguments before the form (bound ids), or the whole argument list when there is no form. */
  args?: (t: Target) => unknown[];
  /** Whether the action takes (previous state, form data), as useActionState actions do. */
  state?: boolean;
  form?: boolean;
  valid: (t: Target) => Fields;
  harmless: Fields;
};

function action(file: string, name: string, spec: ActionSpec, expect: Cells, extra: Partial<Probe> = {}): Probe {
  const key = `${file}#${name}`;
  return {
    key: `action ${key}`,
    kind: "action",
    what: spec.what,
    expect,
    ...extra,
    send(c) {
      const a = c.actions.get(key);
      if (!a) throw new Error(`${key} is not in the build`);
      const bound = spec.args?.(c.target) ?? [];
      const args = [...bound, ...(spec.state ? [{}] : []), ...(spec.form === false ? [] : [FORM])];
      const fields = c.input === "valid" ? spec.valid(c.target) : spec.harmless;
      const path = actionPath(a, (segment) => (segment === "number" ? String(c.target.invoice.number) : randomUUID()));
      return callAction(c.client, { action: a, path, args, fields, origin: c.origin });
    },
  };
}

const UNKNOWN_CHECKOUT = "00000000-0000-4000-8000-000000000000";
const SETTINGS = "lib/actions/account.ts";
const CARDS = "lib/actions/cards.ts";
const SHARING = "lib/actions/sharing.ts";
/** Well-formed tokens that no link or feed has. */
const UNKNOWN_SHARE = `cus_share_${"A".repeat(43)}`;
const UNKNOWN_FEED = `cus_cal_${"A".repeat(43)}`;
const API_TOKENS = "lib/actions/api-tokens.ts";

/** A complete Customer Info form, different from the seeded one. */
const customerInfo = (): Fields => ({
  firstName: "Mallory",
  lastName: "Matrix",
  companyName: "Changed By Matrix AB",
  street: "Elsewhere 1",
  city: "Uppsala",
  zipCode: "753 10",
  countryCode: "SE",
  vatNumber: "SE556677889901",
  purchaseOrder: "",
  careOf: "",
});

// prettier-ignore
const NOT_ALLOWED: Outcome = "method-not-allowed";
const API_WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;
const API_V1_ENDPOINTS: [string, (t: Target) => string][] = [
  ["/api/v1/invoices", () => "/api/v1/invoices"],
  ["/api/v1/invoices/[number]", (t) => `/api/v1/invoices/${t.invoice.number}`],
  ["/api/v1/invoices/[number]/pdf", (t) => `/api/v1/invoices/${t.invoice.number}/pdf`],
  ["/api/v1/invoices/[number]/ubl", (t) => `/api/v1/invoices/${t.invoice.number}/ubl`],
  ["/api/v1/payments", () => "/api/v1/payments"],
  ["/api/v1/openapi.json", () => "/api/v1/openapi.json"],
];
/** A request by any method, with an empty JSON body for the ones that carry one. */
const send = (method: string, path: (t: Target) => string) => (c: ProbeContext) =>
  c.client.fetch(path(c.target), { method, data: method === "DELETE" ? undefined : {}, maxRedirects: 0, failOnStatusCode: false });

export const MATRIX: Probe[] = [
  //                                                                                            anonymous    other         none          read          full          admin
  page("/", "the dashboard", () => "/",                                                     cells("login",      "ok",         "ok",         "ok",         "ok",         "ok")),
  page("/invoices", "the invoice list", () => "/invoices",                                    cells("login",      "ok",         "not-found",  "ok",         "ok",         "ok")),
  page("/invoices/[number]", "the target's invoice", (t) => `/invoices/${t.invoice.number}`,  cells("login",      "not-found",  "not-found",  "ok",         "ok",         "ok")),
  page("/payments", "the payments list (the caller's own)", () => "/payments",                cells("login",      "ok",         "not-found",  "ok",         "ok",         "ok")),
  page("/invoices/statement", "the statement form (the caller's own)", () => "/invoices/statement", cells("login", "ok",        "not-found",  "ok",         "ok",         "ok")),
  page("/users", "the users page (everyone in the account may see it)", () => "/users",       cells("login",      "ok",         "ok",         "ok",         "ok",         "ok")),
  page("/login", "the login page (signed in: on to the dashboard)", () => "/login",           cells("ok",         "redirect:/", "redirect:/", "redirect:/", "redirect:/", "redirect:/")),
  page("/sandbox/checkout/[id]", "the sandbox provider's page of an unknown checkout", () => `/sandbox/checkout/${UNKNOWN_CHECKOUT}`,
                                                                                             cells("not-found",  "not-found",  "not-found",  "not-found",  "not-found",  "not-found")),
  page("/cards/return", "completing an unknown card setup", () => `/cards/return?setup=${UNKNOWN_CHECKOUT}`,
                                                                                             cells("login",      "not-found",  "not-found",  "not-found",  "not-found",  "not-found")),
  page("/sandbox/setup/[id]", "the sandbox provider's page of an unknown card setup", () => `/sandbox/setup/${UNKNOWN_CHECKOUT}`,
                                                                                             cells("not-found",  "not-found",  "not-found",  "not-found",  "not-found",  "not-found")),
  page("/sharing", "share links and the calendar feed (the caller's own)", () => "/sharing", cells("login",   "ok",         "not-found",  "not-found",  "ok",         "ok")),
  // Share links open without a session: the token is the key, and an unknown one is 404 for everyone.
  page("/share/[token]", "a share link with an unknown token", () => `/share/${UNKNOWN_SHARE}`,
                                                                                             cells("not-found",  "not-found",  "not-found",  "not-found",  "not-found",  "not-found")),
  // Next's own pages read no data: a session cookie that passes the proxy gets them, valid or not.
  page("/_not-found", "Next's not-found page", () => "/_not-found",        withCookieAnswers(cells("login",      "not-found",  "not-found",  "not-found",  "not-found",  "not-found"), "not-found")),
  // Next 16 builds a /_global-error page (app/global-error.tsx) for every app; real errors render
  // it without a request, and the proxy answers a request for it by URL 404 (its copy carried a
  // stale CSP nonce).
  page("/_global-error", "Next's global error page", () => "/_global-error", withCookieAnswers(cells("login",    "not-found",  "not-found",  "not-found",  "not-found",  "not-found"), "not-found")),

  route("GET", "/invoices/[number]/pdf", "the target's invoice PDF", cells("login", "not-found", "not-found", "ok", "ok", "ok"),
    get((t) => `/invoices/${t.invoice.number}/pdf?download=1`), { pdf: true }),
  route("GET", "/invoices/[number]/ubl", "the target's invoice as a UBL e-invoice", cells("login", "not-found", "not-found", "ok", "ok", "ok"),
    get((t) => `/invoices/${t.invoice.number}/ubl`)),
  route("GET", "/payments/[id]/receipt", "the receipt of the target's settled payment", cells("login", "not-found", "not-found", "ok", "ok", "ok"),
    get((t) => `/payments/${t.paymentId}/receipt?download=1`), { pdf: true }),
  route("GET", "/invoices/download", "a ZIP of the target's invoice", cells("login", "not-found", "not-found", "ok", "ok", "ok"),
    get((t) => `/invoices/download?n=${t.invoice.number}`)),
  route("GET", "/invoices/[number]/calendar", "Add to calendar for the target's outstanding invoice", cells("login", "not-found", "not-found", "ok", "ok", "ok"),
    get((t) => `/invoices/${t.invoice.number}/calendar`)),
  route("GET", "/share/[token]/pdf/[number]", "a PDF through an unknown share token", cells("not-found", "not-found", "not-found", "not-found", "not-found", "not-found"),
    get((t) => `/share/${UNKNOWN_SHARE}/pdf/${t.invoice.number}`)),
  route("GET", "/share/[token]/download", "a ZIP through an unknown share token", cells("not-found", "not-found", "not-found", "not-found", "not-found", "not-found"),
    get(() => `/share/${UNKNOWN_SHARE}/download`)),
  route("GET", "/calendar/[file]", "the calendar feed at an unknown address", cells("not-found", "not-found", "not-found", "not-found", "not-found", "not-found"),
    get(() => `/calendar/${UNKNOWN_FEED}.ics`)),
  route("GET", "/invoices/export.csv", "the CSV of the caller's own list", cells("login", "ok", "not-found", "ok", "ok", "ok"),
    get(() => "/invoices/export.csv")),
  route("GET", "/payments/export.csv", "the CSV of the caller's own payments", cells("login", "ok", "not-found", "ok", "ok", "ok"),
    get(() => "/payments/export.csv")),
  route("GET", "/invoices/statement/pdf", "the caller's own statement as a PDF", cells("login", "ok", "not-found", "ok", "ok", "ok"),
    get(() => "/invoices/statement/pdf?period=last-year"), { pdf: true }),
  route("GET", "/invoices/statement/csv", "the caller's own statement as CSV", cells("login", "ok", "not-found", "ok", "ok", "ok"),
    get(() => "/invoices/statement/csv?period=last-year")),
  // Auth.js's own endpoint answers 200 to all; a logged-out or revoked session gets `null` there
  // and its cookie cleared (lib/auth/index.ts), a live one its own name and email.
  route("GET", "/api/auth/[...nextauth]", "Auth.js's session endpoint", cells("ok", "ok", "ok", "ok", "ok", "ok"),
    get(() => "/api/auth/session")),
  route("POST", "/api/auth/[...nextauth]", "sign-out without Auth.js's CSRF token", cells("csrf-token", "csrf-token", "csrf-token", "csrf-token", "csrf-token", "csrf-token"),
    (c) => c.client.post("/api/auth/signout", { form: { callbackUrl: "/" }, maxRedirects: 0, failOnStatusCode: false })),
  route("GET", "/api/cron/outbox", "the outbox cron without its bearer secret", cells(CRON, CRON, CRON, CRON, CRON, CRON),
    get(() => "/api/cron/outbox")),
  route("POST", "/api/cron/outbox", "the outbox cron without its bearer secret", cells(CRON, CRON, CRON, CRON, CRON, CRON),
    (c) => c.client.post("/api/cron/outbox", { maxRedirects: 0, failOnStatusCode: false })),
  route("GET", "/api/cron/autopay", "the automatic payment cron without its bearer secret", cells(CRON, CRON, CRON, CRON, CRON, CRON),
    get(() => "/api/cron/autopay")),
  route("POST", "/api/cron/autopay", "the automatic payment cron without its bearer secret", cells(CRON, CRON, CRON, CRON, CRON, CRON),
    (c) => c.client.post("/api/cron/autopay", { maxRedirects: 0, failOnStatusCode: false })),
  route("GET", "/api/cron/daily", "the daily cron (reminders, budget check) without its bearer secret", cells(CRON, CRON, CRON, CRON, CRON, CRON),
    get(() => "/api/cron/daily")),
  route("POST", "/api/cron/daily", "the daily cron (reminders, budget check) without its bearer secret", cells(CRON, CRON, CRON, CRON, CRON, CRON),
    (c) => c.client.post("/api/cron/daily", { maxRedirects: 0, failOnStatusCode: false })),
  route("GET", "/api/payments/stripe/resume/[session]", "resuming an unknown Stripe checkout", cells("login", "not-found", "not-found", "not-found", "not-found", "not-found"),
    get(() => "/api/payments/stripe/resume/cs_test_unknown")),
  route("POST", "/api/payments/webhooks/sandbox", "an unsigned sandbox callback", cells("bad-request", "bad-request", "bad-request", "bad-request", "bad-request", "bad-request"),
    (c) => c.client.post("/api/payments/webhooks/sandbox", { data: { id: "evt_forged", type: "checkout.succeeded" }, maxRedirects: 0, failOnStatusCode: false })),
  route("POST", "/api/payments/webhooks/stripe", "an unsigned Stripe callback", cells(STRIPE, STRIPE, STRIPE, STRIPE, STRIPE, STRIPE),
    (c) => c.client.post("/api/payments/webhooks/stripe", { data: { id: "evt_forged", type: "checkout.session.completed" }, maxRedirects: 0, failOnStatusCode: false })),

  // The REST API takes a bearer token only: a session cookie, however good, is no credential
  // there (401, never a redirect to the login page). Bearer tokens are api-v1.test.ts's and api-tokens.spec.ts's.
  route("GET", "/api/v1/invoices", "the API's invoice list with a session cookie", cells("unauthorized", "unauthorized", "unauthorized", "unauthorized", "unauthorized", "unauthorized"),
    get(() => "/api/v1/invoices")),
  route("GET", "/api/v1/invoices/[number]", "the target's invoice through the API with a session cookie", cells("unauthorized", "unauthorized", "unauthorized", "unauthorized", "unauthorized", "unauthorized"),
    get((t) => `/api/v1/invoices/${t.invoice.number}`)),
  route("GET", "/api/v1/invoices/[number]/pdf", "the target's invoice PDF through the API with a session cookie", cells("unauthorized", "unauthorized", "unauthorized", "unauthorized", "unauthorized", "unauthorized"),
    get((t) => `/api/v1/invoices/${t.invoice.number}/pdf`), { pdf: true }),
  route("GET", "/api/v1/invoices/[number]/ubl", "the target's UBL e-invoice through the API with a session cookie", cells("unauthorized", "unauthorized", "unauthorized", "unauthorized", "unauthorized", "unauthorized"),
    get((t) => `/api/v1/invoices/${t.invoice.number}/ubl`)),
  route("GET", "/api/v1/payments", "the API's payment list with a session cookie", cells("unauthorized", "unauthorized", "unauthorized", "unauthorized", "unauthorized", "unauthorized"),
    get(() => "/api/v1/payments")),
  route("GET", "/api/v1/openapi.json", "the API's OpenAPI document (public: it holds no data)", cells("ok", "ok", "ok", "ok", "ok", "ok"),
    get(() => "/api/v1/openapi.json")),
  route("GET", "/api/v1/[...path]", "an address under /api/v1 that is no endpoint", cells("not-found", "not-found", "not-found", "not-found", "not-found", "not-found"),
    get(() => "/api/v1/accounts")),
  // The API is read-only: a write method answers a 405 problem (with Allow) to everyone, and
  // elsewhere under /api/v1 the same 404 problem as GET.
  ...API_WRITE_METHODS.flatMap((method) => [
    ...API_V1_ENDPOINTS.map(([routePath, path]) =>
      route(method, routePath, `${method} on a read-only API endpoint`, cells(NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED), send(method, path)),
    ),
    route(method, "/api/v1/[...path]", `${method} on an address under /api/v1 that is no endpoint`, cells("not-found", "not-found", "not-found", "not-found", "not-found", "not-found"),
      send(method, () => "/api/v1/accounts")),
  ]),

  // Customer info, VAT number and contact emails: Read and Full only; None (admin or not) gets the slide-over without them.
  action(SETTINGS, "loadAccountSettings", { what: "read the Account settings (customer info, VAT number, contacts)", form: false, valid: () => ({}), harmless: {} },
                                                                                             cells("login",      "ok",         "hidden",     "ok",         "ok",         "ok"), { billingData: true }),
  action(SETTINGS, "saveCustomerInfo", { what: "change Customer Info", state: true, valid: customerInfo, harmless: { firstName: "" } },
                                                                                             cells("login",      "invalid",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  action(SETTINGS, "saveInvoiceSettings", { what: "change the invoice language", state: true, valid: () => ({ language: "sv", receiveInvoicesByEmail: "on" }), harmless: { language: "xx" } },
                                                                                             cells("login",      "invalid",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  action("lib/actions/time-zone.ts", "saveTimeZone", { what: "change the account's time zone", state: true, valid: () => ({ timeZone: "Europe/Helsinki" }), harmless: { timeZone: "Mars/Olympus" } },
                                                                                             cells("login",      "invalid",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  action("lib/actions/budget.ts", "saveMonthlyBudget", { what: "change the account's monthly budget", state: true, valid: () => ({ monthlyBudget: "5000" }), harmless: { monthlyBudget: "lots" } },
                                                                                             cells("login",      "invalid",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  action(SETTINGS, "createEmail", { what: "add a contact address", state: true, valid: () => ({ email: `matrix-${randomUUID().slice(0, 8)}@example.com`, password: DEMO_PASSWORD }), harmless: { email: "not-an-address" } },
                                                                                             cells("login",      "invalid",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  action(SETTINGS, "verifyEmail", { what: "enter a code for the target's pending address", state: true, valid: (t) => ({ id: t.pendingContactId, code: "123456" }), harmless: { id: "x", code: "1" } },
                                                                                             cells("login",      "refused",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  action(SETTINGS, "resendCode", { what: "resend a code to the target's pending address", state: true, valid: (t) => ({ id: t.pendingContactId }), harmless: { id: "x" } },
                                                                                             cells("login",      "refused",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  action(SETTINGS, "saveRoles", { what: "give Tech to the target's second address", state: true, valid: (t) => ({ id: t.secondContactId, tech: "on" }), harmless: { id: "x" } },
                                                                                             cells("login",      "refused",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  action(SETTINGS, "deleteEmail", { what: "delete the target's second address", state: true, valid: (t) => ({ id: t.secondContactId }), harmless: { id: "x" } },
                                                                                             cells("login",      "refused",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  action(SETTINGS, "createPhone", { what: "add a phone number", state: true, valid: () => ({ phone: "+46701234567", label: "Matrix" }), harmless: { phone: "abc" } },
                                                                                             cells("login",      "invalid",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  action(SETTINGS, "deletePhone", { what: "remove the target's phone", state: true, valid: (t) => ({ id: t.phoneId }), harmless: { id: "x" } },
                                                                                             cells("login",      "refused",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  // Personal API tokens: the caller's own, with invoice access Read or Full (None: 403, audited).
  action(API_TOKENS, "loadApiTokens", { what: "list the caller's API tokens", form: false, valid: () => ({}), harmless: {} },
                                                                                             cells("login",      "ok",         "ok",         "ok",         "ok",         "ok")),
  action(API_TOKENS, "createApiToken", { what: "create an API token", state: true, valid: () => ({ name: "Matrix", expiresInDays: "30" }), harmless: { name: "", expiresInDays: "30" } },
                                                                                             cells("login",      "invalid",    "forbidden",  "invalid",    "invalid",    "invalid")),
  action(API_TOKENS, "revokeApiToken", { what: "revoke an API token that is not the caller's", state: true, valid: () => ({ id: randomUUID() }), harmless: { id: "x" } },
                                                                                             cells("login",      "invalid",    "forbidden",  "invalid",    "invalid",    "invalid")),
  // Everyone's own: a signed-in caller's harmless input (no confirmation, no current password)
  // is declined; ending sessions or changing a password for real is tests/e2e/security-sessions.spec.ts.
  action(SETTINGS, "logOutEverywhere", { what: "end every session of the caller", state: true, valid: () => ({ scope: "everywhere" }), harmless: {} },
                                                                                             cells("login",      "invalid",    "invalid",    "invalid",    "invalid",    "invalid")),
  action(SETTINGS, "changePassword", {
    what: "change the caller's password", state: true,
    valid: () => ({ password: DEMO_PASSWORD, newPassword: "matrix-changed-password", confirmPassword: "matrix-changed-password" }),
    harmless: { password: "", newPassword: "short", confirmPassword: "short" },
  },                                                                                         cells("login",      "invalid",    "invalid",    "invalid",    "invalid",    "invalid")),
  action("lib/actions/payments.ts", "payInvoices", {
    what: "pay the target's invoice by card",
    state: true,
    valid: (t) => ({ n: String(t.invoice.number), method: "card", amount: t.invoice.outstandingMinor, idempotencyKey: randomUUID() }),
    harmless: { n: "x" },
  },                                                                                         cells("login",      "refused",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  // Add card only opens the provider's page (nothing of the account changes until a card is saved there).
  action(CARDS, "addCard", { what: "open the provider's page to add a card", state: true, valid: () => ({}), harmless: {} },
                                                                                             cells("login",      "ok",         "forbidden",  "forbidden",  "ok",         "ok")),
  action(CARDS, "removeSavedCard", { what: "remove the saved card", state: true, valid: () => ({ password: DEMO_PASSWORD }), harmless: { password: "" } },
                                                                                             cells("login",      "refused",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  action(CARDS, "payWithSavedCard", {
    what: "pay the target's invoice with a saved card",
    state: true,
    valid: (t) => ({ n: String(t.invoice.number), amount: t.invoice.outstandingMinor, idempotencyKey: randomUUID() }),
    harmless: { n: "x" },
  },                                                                                         cells("login",      "refused",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  // Share links and the feed: invoice access Full, each in its own account.
  action(SHARING, "createShareLink", { what: "share the target's invoice", state: true, valid: (t) => ({ n: String(t.invoice.number), expiryDays: "7" }), harmless: { n: "x" } },
                                                                                             cells("login",      "refused",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  action(SHARING, "revokeShareLink", { what: "revoke a share link that is not the caller's", state: true, valid: () => ({ id: randomUUID() }), harmless: { id: "x" } },
                                                                                             cells("login",      "refused",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  action(SHARING, "rotateCalendarFeed", { what: "rotate the calendar feed", state: true, valid: () => ({ confirm: "rotate" }), harmless: {} },
                                                                                             cells("login",      "invalid",    "forbidden",  "forbidden",  "invalid",    "invalid")),
  action("lib/actions/users.ts", "saveUserAccess", {
    what: "give the target's None user Full and admin",
    state: true,
    valid: (t) => ({ userId: t.members.none!.id, invoiceAccess: "full", isAdmin: "on" }),
    harmless: { userId: "x" },
  },                                                                                         cells("login",      "refused",    "forbidden",  "forbidden",  "forbidden",  "invalid",    "invalid")),
  action("lib/actions/login.ts", "login", { what: "the login form, empty", state: true, valid: () => ({ email: "", password: "" }), harmless: { email: "", password: "" } },
                                                                                             cells("invalid",    "invalid",    "invalid",    "invalid",    "invalid",    "invalid")),
  action("lib/actions/sandbox.ts", "payWithCard", {
    what: "pay an unknown sandbox checkout", args: () => [UNKNOWN_CHECKOUT], state: true,
    valid: () => ({ card: "4242424242424242", expiry: "12/30", cvc: "123" }), harmless: { card: "1" },
  },                                                                                         cells("refused",    "refused",    "refused",    "refused",    "refused",    "refused")),
  action("lib/actions/sandbox.ts", "authenticate", {
    what: "complete 3-D Secure of an unknown checkout", args: () => [UNKNOWN_CHECKOUT], valid: () => ({ result: "approve" }), harmless: { result: "approve" },
  },                                                                                         cells("redirect:/sandbox/checkout/expired", "redirect:/sandbox/checkout/expired", "redirect:/sandbox/checkout/expired",
                                                                                                   "redirect:/sandbox/checkout/expired", "redirect:/sandbox/checkout/expired", "redirect:/sandbox/checkout/expired")),
  action("lib/actions/sandbox.ts", "cancelCheckout", {
    what: "cancel an unknown checkout", args: () => [UNKNOWN_CHECKOUT], valid: () => ({}), harmless: {},
  },                                                                                         cells("redirect:/sandbox/checkout/expired", "redirect:/sandbox/checkout/expired", "redirect:/sandbox/checkout/expired",
                                                                                                   "redirect:/sandbox/checkout/expired", "redirect:/sandbox/checkout/expired", "redirect:/sandbox/checkout/expired")),
  action("lib/actions/sandbox.ts", "saveCard", {
    what: "save a card on an unknown sandbox setup", args: () => [UNKNOWN_CHECKOUT], state: true,
    valid: () => ({ card: "4242424242424242", expiry: "12/30", cvc: "123" }), harmless: { card: "1" },
  },                                                                                         cells("refused",    "refused",    "refused",    "refused",    "refused",    "refused")),
  action("lib/actions/sandbox.ts", "authenticateSetup", {
    what: "complete 3-D Secure of an unknown card setup", args: () => [UNKNOWN_CHECKOUT], valid: () => ({ result: "approve" }), harmless: { result: "approve" },
  },                                                                                         cells("redirect:/sandbox/setup/expired", "redirect:/sandbox/setup/expired", "redirect:/sandbox/setup/expired",
                                                                                                   "redirect:/sandbox/setup/expired", "redirect:/sandbox/setup/expired", "redirect:/sandbox/setup/expired")),
  action("lib/actions/sandbox.ts", "cancelSetup", {
    what: "cancel an unknown card setup", args: () => [UNKNOWN_CHECKOUT], valid: () => ({}), harmless: {},
  },                                                                                         cells("redirect:/sandbox/setup/expired", "redirect:/sandbox/setup/expired", "redirect:/sandbox/setup/expired",
                                                                                                   "redirect:/sandbox/setup/expired", "redirect:/sandbox/setup/expired", "redirect:/sandbox/setup/expired")),
  // Last: it ends the session it is sent from (each cell signs in afresh for it).
  action("lib/actions/session.ts", "logout", { what: "log out", form: false, valid: () => ({}), harmless: {} },
                                                                                             cells("login",      "login",      "login",      "login",      "login",      "login"), { endsSession: true }),
];
