/**
 * `npm run load`: a load test with autocannon against a production server (`next start`) on
 * PostgreSQL. Every connection is one person after another: sign in (the login form's server
 * action), then for each of the account's two invoices owed: the invoice list, the invoice, its
 * PDF, and paying it by card (the Pay dialog's action, the sandbox's hosted page, the return
 * page): 13 requests a person. It prints p50/p90/p99 per route, writes
 * bench-results/load.json, and exits 1 on any 5xx, connection error, lost or double payment.
 *
 *   npm run load                        50 connections for 60 s
 *   npm run load -- --connections 20    concurrent people
 *   npm run load -- --duration 10       seconds
 *   npm run load -- --out DIR           where load.json goes (default bench-results/)
 *
 * Environment: LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cumulus_load). The
 * database is dropped and created again on every run (its name must contain "load"), migrated,
 * and seeded with enough accounts that every round pays an invoice never paid before
 * (scripts/seed's seedScale: every account has one user and two invoices owed). "Lost payment":
 * a return page that said "Payment received" for a payment that is not succeeded in the
 * database afterwards; the ledger is also checked for charges without a succeeded payment and
 * invoices charged twice.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import postgres from "postgres";
import { DEMO_PASSWORD } from "@/scripts/seed";
import { actionId, actionIds, Client, signIn } from "./lib/http";
import { payableInvoices, readLedger, seedPayable, succeededAmong, type Payable } from "./lib/ledger";
import { payIds, payInvoice, TEST_CARD } from "./lib/pay-flow";
import { createDatabase, withMigratedDatabase } from "./lib/postgres";
import { percentile } from "./lib/stats";
import { startNext, type NextServer } from "./lib/next-server";
import { redactUrl } from "./bench/database";
import { buildIfStale } from "./lib/next-process";
import { freePort } from "./lib/ports";
import { runCli } from "./lib/run-cli";

const { values: args } = parseArgs({
  options: {
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "60" },
    out: { type: "string", default: "bench-results" },
    help: { type: "boolean", default: false },
  },
});

const ROUTES = ["login", "list", "detail", "pdf", "pay", "card", "return"] as const;
type Route = (typeof ROUTES)[number];
const ROUTE_LABELS: Record<Route, string> = {
  login: "login (sign-in action)",
  list: "GET /invoices",
  detail: "GET /invoices/N",
  pdf: "GET /invoices/N/pdf",
  pay: "pay (Pay dialog action)",
  card: "card (sandbox hosted page)",
  return: "GET /invoices/N?payment=… (return)",
};

type Context = {
  route?: Route;
  invoices?: Payable[];
  cookie?: string;
  checkout?: string;
  paymentId?: string;
};

/** The invoices a person pays in one round. */
const PER_PERSON = 2;

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, not ${value}`);
  return n;
}

/** A multipart/form-data body as a browser's FormData makes it. */
function multipart(fields: [string, string][]): { body: string; contentType: string } {
  const boundary = `----cumulus${crypto.randomBytes(12).toString("hex")}`;
  const body =
    fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join("") + `--${boundary}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** React's encodeReply of `action(...args, formData)`: the fields as part 1, the arguments (part 0) last. */
function actionRequest(id: string, origin: string, cookie: string | undefined, args: unknown[], fields: Record<string, string>) {
  const { body, contentType } = multipart([...Object.entries(fields).map(([k, v]): [string, string] => [`_1_${k}`, v]), ["0", JSON.stringify([...args, "$K1"])]]);
  return {
    method: "POST" as const,
    body,
    headers: { "content-type": contentType, "next-action": id, origin, accept: "text/x-component", ...(cookie ? { cookie } : {}) },
  };
}

function header(headers: Record<string, string | string[]>, name: string): string[] {
  const found = Object.entries(headers).filter(([k]) => k.toLowerCase() === name);
  return found.flatMap(([, v]) => (Array.isArray(v) ? v : [v]));
}

const fmt = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : "—");

/** What the requests record while the load runs. */
type Tally = {
  latencies: Map<Route, number[]>;
  statuses: Map<Route, Map<number, number>>;
  /** Payments whose return page said "Payment received". */
  acknowledged: string[];
  returnOutcomes: { received: number; processing: number; other: number };
  /** How often the seeded people ran out and one came again. */
  exhausted: number;
  /** The route of the response being answered: autocannon's response event carries its time. */
  lastRoute: Route | undefined;
};

function newTally(): Tally {
  return {
    latencies: new Map(ROUTES.map((r) => [r, []])),
    statuses: new Map(ROUTES.map((r) => [r, new Map()])),
    acknowledged: [],
    returnOutcomes: { received: 0, processing: 0, other: 0 },
    exhausted: 0,
    lastRoute: undefined,
  };
}

function note(tally: Tally, route: Route, status: number): void {
  const m = tally.statuses.get(route)!;
  m.set(status, (m.get(status) ?? 0) + 1);
  tally.lastRoute = route;
}

/** The server actions the requests call, by their ids in this build. */
type ActionIds = { all: Record<string, string>; login: string; pay: string; card: string };

function loadActionIds(): ActionIds {
  const all = actionIds();
  return {
    all,
    login: actionId(all, "lib/actions/login.ts#login"),
    pay: actionId(all, "lib/actions/payments.ts#payInvoices"),
    card: actionId(all, "lib/actions/sandbox.ts#payWithCard"),
  };
}

async function main(): Promise<number> {
  if (args.help) {
    console.log(fs.readFileSync(new URL(import.meta.url), "utf8").split("*/")[0]);
    return 0;
  }
  const connections = positive("connections", args.connections);
  const duration = positive("duration", args.duration);
  const databaseUrl = process.env.LOAD_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/cumulus_load";
  const loadDatabase = droppableDatabase(databaseUrl);
  const started = Date.now();
  const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  log(`npm run load: ${connections} connections for ${duration} s; ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  buildIfStale();
  // Enough people that none comes twice: one person per connection every 2 s is far above what
  // two cores serve (13 requests a person, one of them a password hash).
  const accounts = Math.ceil((connections * duration) / 2) + connections;
  await createDatabase(loadDatabase.adminUrl, loadDatabase.name);
  await withMigratedDatabase(databaseUrl, (db) => seedPayable(db, accounts));
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  let server: NextServer | null = null;
  try {
    const queue = await payableInvoices(sql);
    log(`database ${redactUrl(databaseUrl)}: ${accounts} accounts, ${queue.length} invoices owed`);
    server = await startNext({ port: await freePort(), databaseUrl, authSecret: crypto.randomBytes(32).toString("base64url"), log });
    const origin = server.baseUrl;
    const ids = loadActionIds();
    const people = groupPeople(queue);
    await warmUp(origin, ids, people.pop()!, log);
    const tally = newTally();
    const requests = personRequests(people, tally, ids, origin);
    log(`autocannon: ${connections} connections, ${duration} s, ${requests.length} requests a person`);
    const result = await runAutocannon({ url: origin, connections, duration, requests }, tally);
    await server.stop();
    server = null;
    const problems = await reportRun(sql, tally, result, connections, log);
    if (problems.length) {
      console.error(`LOAD TEST FAILED: ${problems.join("; ")}`);
      return 1;
    }
    console.log("load test passed: no 5xx, no connection error, no lost or double payment");
    return 0;
  } finally {
    await server?.stop();
    await sql.end({ timeout: 5 });
  }
}

/** The load database's name and the server's maintenance database; only a name with "load" in it is dropped. */
function droppableDatabase(databaseUrl: string): { name: string; adminUrl: string } {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!/load/.test(name)) throw new Error(`LOAD_DATABASE_URL's database must have "load" in its name (it is dropped on every run): ${name}`);
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  return { name, adminUrl: admin.toString() };
}

/** The people, each with the invoices they owe, in the order they come. */
function groupPeople(queue: Payable[]): Payable[][] {
  const people: Payable[][] = [];
  for (const p of queue) {
    const last = people.at(-1);
    if (last && last[0]!.email === p.email && last.length < PER_PERSON) last.push(p);
    else people.push([p]);
  }
  return people;
}

/**
 * A first person walks every route once before the load: a fresh server loads each route's
 * code on its first request, which is not what the load measures.
 */
async function warmUp(origin: string, ids: ActionIds, warm: Payable[], log: (line: string) => void): Promise<void> {
  const warmClient = new Client(origin, await signIn(origin, warm[0]!.email, DEMO_PASSWORD));
  await warmClient.action("login", "/login", ids.login, [{}], { email: warm[0]!.email, password: DEMO_PASSWORD, callbackUrl: "/invoices" });
  for (const inv of warm) {
    for (const p of ["/invoices", `/invoices/${inv.number}`, `/invoices/${inv.number}/pdf`]) await warmClient.get("warm-up", p, p.endsWith("/pdf"));
    const flow = await payInvoice(warmClient, payIds(ids.all), inv, { maxFailures: 3 });
    if (flow.outcome !== "acknowledged") throw new Error(`the warm-up payment of invoice ${inv.number} ended ${flow.outcome}: ${flow.message ?? ""}`);
  }
  log(`warmed up: one person signed in, viewed and paid ${warm.length} invoices`);
}

/** One person per loop of the list (sign in, then a round per invoice); autocannon starts every loop with a fresh context. */
function personRequests(people: Payable[][], tally: Tally, ids: ActionIds, origin: string): autocannon.Request[] {
  let next = 0;
  const login: autocannon.Request = {
    setupRequest: (req, ctx: Context) => {
      ctx.route = "login";
      ctx.invoices = people[next++];
      if (!ctx.invoices) {
        tally.exhausted++;
        ctx.invoices = people[next % people.length]!;
      }
      return { ...req, path: "/login", ...actionRequest(ids.login, origin, undefined, [{}], { email: ctx.invoices[0]!.email, password: DEMO_PASSWORD, callbackUrl: "/invoices" }) };
    },
    onResponse: (status, _body, ctx: Context, headers) => {
      note(tally, "login", status);
      ctx.cookie = header(headers as Record<string, string | string[]>, "set-cookie")
        .map((c) => c.split(";")[0]!)
        .join("; ");
    },
  };
  return [login, ...Array.from({ length: PER_PERSON }, (_, i) => invoiceRound(i, tally, ids, origin)).flat()];
}

const invoiceOf = (ctx: Context, i: number) => ctx.invoices![i % ctx.invoices!.length]!;

/** The person's i-th invoice: the list, the invoice, its PDF, then paying it by card and the return page. */
function invoiceRound(i: number, tally: Tally, ids: ActionIds, origin: string): autocannon.Request[] {
  const views = (["list", "detail", "pdf"] as const).map(
    (route): autocannon.Request => ({
      setupRequest: (req, ctx: Context) => {
        ctx.route = route;
        const n = invoiceOf(ctx, i).number;
        const p = route === "list" ? "/invoices" : route === "detail" ? `/invoices/${n}` : `/invoices/${n}/pdf`;
        return { ...req, method: "GET", path: p, headers: { cookie: ctx.cookie ?? "" } };
      },
      onResponse: (status) => note(tally, route, status),
    }),
  );
  return [...views, ...paymentRequests(i, tally, ids, origin)];
}

function paymentRequests(i: number, tally: Tally, ids: ActionIds, origin: string): autocannon.Request[] {
  const pay: autocannon.Request = {
    setupRequest: (req, ctx: Context) => {
      ctx.route = "pay";
      const inv = invoiceOf(ctx, i);
      ctx.checkout = undefined;
      ctx.paymentId = undefined;
      return {
        ...req,
        path: `/invoices/${inv.number}`,
        ...actionRequest(ids.pay, origin, ctx.cookie, [{}], { n: String(inv.number), method: "card", amount: inv.amountMinor.toString(), idempotencyKey: crypto.randomUUID() }),
      };
    },
    onResponse: (status, body, ctx: Context, headers) => {
      note(tally, "pay", status);
      const target = header(headers as Record<string, string | string[]>, "x-action-redirect")[0] ?? /"(?:checkoutUrl|inProgressUrl)":"([^"]+)"/.exec(body)?.[1];
      ctx.checkout = /\/sandbox\/checkout\/([0-9a-f-]{36})/.exec(target ?? "")?.[1];
    },
  };
  const card: autocannon.Request = {
    setupRequest: (req, ctx: Context) => {
      ctx.route = "card";
      const id = ctx.checkout ?? "00000000-0000-0000-0000-000000000000";
      return { ...req, path: `/sandbox/checkout/${id}`, ...actionRequest(ids.card, origin, undefined, [id, {}], { card: TEST_CARD, expiry: "12/39", cvc: "123" }) };
    },
    onResponse: (status, _body, ctx: Context, headers) => {
      note(tally, "card", status);
      const target = header(headers as Record<string, string | string[]>, "x-action-redirect")[0] ?? "";
      ctx.paymentId = /[?&]payment=([0-9a-f-]{36})/.exec(target)?.[1];
    },
  };
  const returnPage: autocannon.Request = {
    setupRequest: (req, ctx: Context) => {
      ctx.route = "return";
      return { ...req, method: "GET", path: `/invoices/${invoiceOf(ctx, i).number}?payment=${ctx.paymentId ?? ""}`, headers: { cookie: ctx.cookie ?? "" } };
    },
    onResponse: (status, body, ctx: Context) => {
      note(tally, "return", status);
      if (status === 200 && body.includes("Payment received") && ctx.paymentId) {
        tally.acknowledged.push(ctx.paymentId);
        tally.returnOutcomes.received++;
      } else if (status === 200 && body.includes("being processed")) tally.returnOutcomes.processing++;
      else tally.returnOutcomes.other++;
    },
  };
  return [pay, card, returnPage];
}

function runAutocannon(o: { url: string; connections: number; duration: number; requests: autocannon.Request[] }, tally: Tally): Promise<autocannon.Result> {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ ...o, timeout: 30 }, (err, r) => (err ? reject(err) : resolve(r)));
    // The response event follows the request's onResponse at once: it carries the time.
    instance.on("response", (_client, _status, _bytes, responseTime) => {
      if (tally.lastRoute) tally.latencies.get(tally.lastRoute)!.push(responseTime);
      tally.lastRoute = undefined;
    });
  });
}

type RouteRow = { route: Route; label: string; requests: number; reqPerSec: number; p50: number; p90: number; p99: number; max: number; non2xx: number; fiveXx: number };

function routeRows(tally: Tally, seconds: number): RouteRow[] {
  return ROUTES.map((route) => {
    const l = tally.latencies.get(route)!;
    const s = tally.statuses.get(route)!;
    const count = [...s.values()].reduce((a, b) => a + b, 0);
    const fiveXx = [...s].filter(([k]) => k >= 500).reduce((a, [, v]) => a + v, 0);
    const non2xx = [...s].filter(([k]) => k < 200 || k >= 300).reduce((a, [, v]) => a + v, 0);
    return { route, label: ROUTE_LABELS[route], requests: count, reqPerSec: count / seconds, p50: percentile(l, 0.5), p90: percentile(l, 0.9), p99: percentile(l, 0.99), max: Math.max(...l), non2xx, fiveXx };
  });
}

function printRoutes(rows: RouteRow[]): void {
  const header0 = ["Route", "Requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "non-2xx", "5xx"];
  const table = [header0, ...rows.map((r) => [r.label, String(r.requests), r.reqPerSec.toFixed(1), fmt(r.p50), fmt(r.p90), fmt(r.p99), fmt(r.max), String(r.non2xx), String(r.fiveXx)])];
  const widths = header0.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(`\n${line(table[0]!)}\n${widths.map((w) => "─".repeat(w)).join("  ")}\n${table.slice(1).map(line).join("\n")}`);
}

/** The table, the ledger after the run and bench-results/load.json; answers what went wrong. */
async function reportRun(sql: postgres.Sql, tally: Tally, result: autocannon.Result, connections: number, log: (line: string) => void): Promise<string[]> {
  const { acknowledged, returnOutcomes, exhausted } = tally;
  const ledger = await readLedger(sql);
  const inDb = await succeededAmong(sql, acknowledged);
  const rows = routeRows(tally, result.duration);
  const all = rows.reduce((a, r) => a + r.requests, 0);
  printRoutes(rows);
  console.log(
    `\n${all} requests in ${result.duration} s (${(all / result.duration).toFixed(1)} req/s), ${connections} connections; ` +
      `autocannon: p99 ${result.latency.p99} ms overall, ${result.errors} errors, ${result.timeouts} timeouts`,
  );
  const fiveXx = rows.reduce((a, r) => a + r.fiveXx, 0);
  const non2xx = rows.reduce((a, r) => a + r.non2xx, 0);
  const lost = acknowledged.length - inDb;
  console.log(
    `payments: ${acknowledged.length} acknowledged ("Payment received"), ${inDb} of them succeeded in the database (lost ${lost}); ` +
      `${returnOutcomes.processing} return pages still processing, ${returnOutcomes.other} other; ` +
      `charges ${ledger.charged}, settled ${ledger.settled}, charged twice ${ledger.invoicesChargedTwice}, charges without a succeeded payment ${ledger.chargedNotSettled}`,
  );
  if (exhausted) console.log(`note: the seeded people ran out ${exhausted} times (they then paid invoices already paid)`);

  const problems: string[] = [];
  if (fiveXx) problems.push(`${fiveXx} answers 5xx`);
  if (result.errors || result.timeouts) problems.push(`${result.errors} connection errors, ${result.timeouts} timeouts`);
  if (non2xx - fiveXx > 0) problems.push(`${non2xx - fiveXx} answers neither 2xx nor 5xx`);
  if (lost) problems.push(`${lost} acknowledged payments not succeeded in the database`);
  if (ledger.invoicesChargedTwice || ledger.chargedNotSettled) problems.push(`${ledger.invoicesChargedTwice} invoices charged twice, ${ledger.chargedNotSettled} charges without a succeeded payment`);
  if (acknowledged.length === 0) problems.push("no payment was acknowledged");

  const record = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "", node: process.version, loadAverage: os.loadavg() },
    connections,
    seconds: result.duration,
    requests: all,
    reqPerSec: all / result.duration,
    routes: rows,
    autocannon: { p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx },
    payments: { acknowledged: acknowledged.length, inDb, lost, returnOutcomes, ledger },
    problems,
  };
  const out = path.resolve(args.out);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "load.json"), `${JSON.stringify(record, null, 2)}\n`);
  log(`wrote ${path.relative(process.cwd(), path.join(out, "load.json"))}`);
  return problems;
}

runCli(main, { stack: true, exitOnSignals: true });
