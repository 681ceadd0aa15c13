/**
 * `npm run bench`: the performance figures of the invoice pages, against PostgreSQL holding
 * 1,000,000 invoices (one account with 5,000) and a production server (`next start`), with a
 * static file measured in the same run as the ceiling. It measures; it never fails because a
 * target is missed (exit 0), only when the benchmark itself cannot run (exit 1).
 *
 *   npm run bench                      full run (~5 min on 2 cores once the database is seeded)
 *   npm run bench -- --quick           100k invoices, 3 s loads, 1,000 downloads: a fast check
 *   npm run bench -- --reseed          empty the bench database and seed it again
 *   npm run bench -- --seed-only       prepare (create, migrate, seed) the database, then stop
 *   npm run bench -- --duration 20     seconds per load (default 10, --quick 3)
 *   npm run bench -- --connections 10  concurrent clients of the loads (default 10)
 *   npm run bench -- --downloads 5000  PDF downloads of the memory check (default 5000, --quick 1000)
 *   npm run bench -- --out DIR         where the JSON goes (default bench-results/)
 *   npm run bench -- --only pay        only some parts: pages (1–7 below), pay (8), billing (9); comma-separated
 *   npm run bench -- --jit-off         the server's connections with PostgreSQL's JIT off (`?jit=off`
 *                                      on its DATABASE_URL, a startup parameter for postgres.js):
 *                                      to compare with the default, where JIT may compile big queries
 *
 * Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cumulus_bench,
 * with --quick …/cumulus_bench_quick). The database is created when missing, migrated, and
 * seeded with scripts/seed/index.ts's seedScale (41,459 accounts × 24 invoices × 3 lines + "Big Customer
 * 1 AB" with 5,000; ~2 min here) plus one 300-line invoice; a database that already holds enough
 * is reused. A database whose name lacks "bench" is never emptied without --reseed.
 *
 * What runs, in order (results: table on the terminal, bench-results/latest.json + a dated copy):
 *  1. static /icon.svg, then the invoice list (/invoices), each under `--connections` clients
 *     for `--duration` s after a short warm-up; ratios are to the static route of this run.
 *  2. page 1 vs page 100 of the list (keyset cursor of the 2,475th row), sequential, interleaved.
 *  3. a stored PDF: 200 sequential requests (p50/p95), a conditional request (304), then a load.
 *  4. first renders (stored bytes deleted first): one-page invoices and the 300-line invoice.
 *  5. PDFs never rendered before, 4 clients, alone (the full-speed reference); then the list
 *     load again while those 4 clients go on requesting new PDFs.
 *  6. a ZIP of 100 never-rendered invoices: time to the last byte, server RSS sampled every 25 ms.
 *  7. memory: the big account's PDFs downloaded (rendered) with 4 clients; RSS after the first
 *     100 and after all of them, each once the server idled (median over 3–5 s of rest), and
 *     every tenth of the run (a leak keeps climbing; garbage collection makes RSS swing).
 *  8. the pay action (scripts/bench/pay.ts): "Pay Bench AB" (made once, 12,000 outstanding
 *     invoices; its payments deleted at every run) pays one new invoice per request under
 *     `--connections` clients (p95 from every response), after a warm-up that lasts until the
 *     rate settles (2 s steps, 20 s at most: the action's code paths kept compiling well past
 *     3 s); then 100 requests at once for one invoice and the provider's signed callback: one
 *     checkout, no 5xx, one settled payment.
 *  9. the billing run at scale (scripts/bench/billing.ts, also `npm run bench:billing`), after the
 *     server stopped: 10,000 accounts × 30 usage lines billed by one `billing:run` process (its
 *     RSS sampled), then two processes at once on a fresh copy: each invoice exactly once.
 * The server's memory is VmRSS of the process holding the listening socket (render workers are
 * threads of it). The signed-in user is the big account's (password cumulus-demo-2026).
 */
import crypto from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEMO_PASSWORD } from "@/scripts/seed";
import {
  bigAccountNumbers,
  cursorForPage,
  deleteStoredPdfs,
  prepareBenchDatabase,
  redactUrl,
  type BenchData,
} from "./bench/database";
import { load, mustGet, startLoad, timedGet, type Load } from "./bench/http";
import { signIn } from "./lib/http";
import { median, percentile } from "./lib/stats";
import { check, checksTable, loadsTable, machine, writeResults, type Check } from "./bench/report";
import { benchBilling, billingChecks } from "./bench/billing";
import { preparePayAccount, runPayBench } from "./bench/pay";
import { startServer, type Server } from "./bench/server";
import { buildIfStale } from "./lib/next-process";

const MB = 1024 * 1024;
const root = path.resolve(import.meta.dirname, "..");

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    reseed: { type: "boolean", default: false },
    "seed-only": { type: "boolean", default: false },
    duration: { type: "string" },
    connections: { type: "string", default: "10" },
    downloads: { type: "string" },
    out: { type: "string", default: "bench-results" },
    "jit-off": { type: "boolean", default: false },
    only: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${value}`);
  return n;
}

const quick = args.quick;
const PHASES = ["pages", "pay", "billing"] as const;
type Phase = (typeof PHASES)[number];
const phases = new Set<Phase>(
  args.only
    ? args.only.split(",").map((p) => {
        if (!(PHASES as readonly string[]).includes(p)) throw new Error(`--only: unknown part "${p}" (parts: ${PHASES.join(", ")})`);
        return p as Phase;
      })
    : PHASES,
);
const cfg = {
  quick,
  jitOff: args["jit-off"],
  totalInvoices: quick ? 100_000 : 1_000_000,
  bigAccountInvoices: 5_000,
  invoicesPerAccount: 24,
  linesPerInvoice: 3,
  seconds: positive("duration", args.duration ?? (quick ? "3" : "10")),
  warmSeconds: quick ? 1 : 3,
  connections: Math.round(positive("connections", args.connections)),
  pageSamples: quick ? 30 : 100,
  sequentialBudgetSeconds: quick ? 20 : 60,
  storedSamples: quick ? 50 : 200,
  firstRenders: quick ? 3 : 5,
  longRenders: quick ? 2 : 3,
  zipInvoices: 100,
  downloads: Math.round(positive("downloads", args.downloads ?? (quick ? "1000" : "5000"))),
  downloadClients: 4,
  renderClients: 4,
  // Enough for the longest warm-up and the measured load at ~300 payments/s, never repeated.
  payInvoices: quick ? 4_000 : 12_000,
  payWarmStepSeconds: quick ? 1 : 2,
  payMaxWarmSeconds: quick ? 6 : 20,
};
const databaseUrl =
  process.env.BENCH_DATABASE_URL ??
  `postgres://postgres@127.0.0.1:5432/${quick ? "cumulus_bench_quick" : "cumulus_bench"}`;

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const log = (line: string) => console.log(`[${elapsed()}] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmtMs = (v: number) => `${v.toFixed(1)} ms`;
const fmtMb = (b: number) => `${(b / MB).toFixed(0)} MB`;

/** /proc/pressure/cpu "some avg10": % of the last 10 s in which some task waited for a CPU. */
function cpuPressure(): number | null {
  try {
    const m = /some avg10=([\d.]+)/.exec(readFileSync("/proc/pressure/cpu", "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Pages of a PDF made by pdfkit (no object streams): its /Type /Page objects. */
function pdfPages(bytes: Buffer): number {
  return (bytes.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

/** Entries of a ZIP, from its end-of-central-directory record. */
function zipEntries(bytes: Buffer): number | null {
  const at = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  return at < 0 || at + 22 > bytes.length ? null : bytes.readUInt16LE(at + 10);
}

/** The big account's invoices not yet asked for in this run, in list order. */
class FreshInvoices {
  private i = 0;
  wrapped = 0;
  constructor(private readonly numbers: number[]) {
    if (numbers.length === 0) throw new Error("no invoices to render");
  }
  next(): number {
    if (this.i >= this.numbers.length) {
      this.i = 0;
      this.wrapped++;
    }
    return this.numbers[this.i++]!;
  }
  get used(): number {
    return this.i + this.wrapped * this.numbers.length;
  }
}

const cleanups: (() => Promise<void>)[] = [];
async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((e: unknown) => console.error("cleanup:", e));
}
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping the server…`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** 9. The billing run at scale, on databases of its own next to the bench database. */
async function billingPhase(details: Record<string, unknown>): Promise<Check[]> {
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  log("billing run at scale (scripts/bench/billing.ts): seeding, one billing:run, then two at once…");
  const r = await benchBilling({ adminUrl: admin.toString(), log: (line) => log(`  ${line}`) });
  details.billing = { ...r, single: { ...r.single, stdout: undefined, stderr: undefined } };
  return billingChecks(r);
}

async function main() {
  if (args.help) {
    console.log(readFileSync(new URL(import.meta.url), "utf8").split("*/")[0]);
    return;
  }
  const m = machine();
  const startPressure = cpuPressure();
  log(`Cumulus bench${quick ? " (--quick)" : ""}: ${m.nproc} CPUs (${m.cpu}), Node ${m.node}, load ${m.loadAverage.join(" ")}, CPU pressure ${cpuPressure() ?? "?"} %`);
  if (!phases.has("pages") && !phases.has("pay")) {
    const checks = await billingPhase({});
    console.log(`\n${checksTable(checks)}`);
    const files = writeResults(path.resolve(root, args.out), { date: new Date().toISOString(), machine: m, options: { only: [...phases] }, checks });
    console.log(`results: ${files.map((f) => path.relative(root, f)).join(", ")}`);
    return;
  }
  const data = await prepareData();
  if (args["seed-only"]) {
    await cleanup();
    return;
  }
  const { run, rssLog, webhookSecret } = await startRun(data);
  let staticRps: number | null = null;
  if (phases.has("pages")) {
    const ceiling = await benchStaticAndList(run);
    staticRps = ceiling.staticRps;
    await benchPageDepth(run);
    await benchStoredPdf(run, ceiling.staticRps);
    await benchFirstRenders(run);
    await benchListDuringRenders(run, ceiling.listLoad);
    await benchZip(run);
    await benchMemory(run);
  }
  if (phases.has("pay")) await benchPay(run, webhookSecret);
  await cleanup();
  if (phases.has("billing")) run.checks.push(...(await billingPhase(run.details)));
  report(m, startPressure, run, staticRps, rssLog);
}

/** The bench database, seeded on first use. */
async function prepareData(): Promise<BenchData> {
  log(`database ${redactUrl(databaseUrl)}`);
  const data: BenchData = await prepareBenchDatabase(
    databaseUrl,
    {
      totalInvoices: cfg.totalInvoices,
      bigAccountInvoices: cfg.bigAccountInvoices,
      invoicesPerAccount: cfg.invoicesPerAccount,
      linesPerInvoice: cfg.linesPerInvoice,
    },
    { reseed: args.reseed, log },
  );
  cleanups.push(data.close);
  log(`${data.invoices.toLocaleString("en")} invoices; ${data.bigAccountEmail} has ${data.bigAccountInvoices.toLocaleString("en")}; 300-line invoice ${data.longInvoiceNumber}`);
  return data;
}

type RssNote = { at: string; rssMb: number; loadAverage: number[]; cpuPressureAvg10: number | null };

/** Builds when needed, starts the server, signs in as the big account and checks the pages answer what they should. */
async function startRun(data: BenchData): Promise<{ run: BenchRun; rssLog: RssNote[]; webhookSecret: string }> {
  const { db, bigAccountId } = data;
  // Every run starts with none of the big account's PDFs stored.
  const forgotten = await deleteStoredPdfs(db, bigAccountId);
  if (forgotten > 0) log(`deleted ${forgotten} stored PDFs of the big account from an earlier run`);
  const numbers = await bigAccountNumbers(db, bigAccountId, data.longInvoiceNumber);
  const zipNumbers = numbers.slice(-cfg.zipInvoices);
  const fresh = new FreshInvoices(numbers.slice(0, -cfg.zipInvoices));
  const cursor100 = await cursorForPage(db, bigAccountId, 100);

  log("building when the sources changed (scripts/start.mjs buildIfStale)…");
  const buildStarted = Date.now();
  await buildIfStale();
  log(`build ready (${((Date.now() - buildStarted) / 1000).toFixed(0)} s)`);
  const serverDatabaseUrl = args["jit-off"] ? `${databaseUrl}${databaseUrl.includes("?") ? "&" : "?"}jit=off` : databaseUrl;
  if (args["jit-off"]) log("the server connects with jit=off");
  // The pay phase signs the sandbox provider's callback as the provider would: it needs the secret.
  const webhookSecret = crypto.randomBytes(32).toString("base64url");
  const server: Server = await startServer({ databaseUrl: serverDatabaseUrl, log, env: { SANDBOX_WEBHOOK_SECRET: webhookSecret } });
  cleanups.push(server.stop);
  const base = server.baseUrl;
  // Server memory, and how busy the machine is (other work skews every figure), per phase.
  const rssLog: RssNote[] = [];
  const noteRss = (at: string) => {
    const v = server.rss();
    rssLog.push({ at, rssMb: Math.round(v / MB), loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))), cpuPressureAvg10: cpuPressure() });
    return v;
  };
  noteRss("started");

  const cookie = await signIn(base, data.bigAccountEmail, DEMO_PASSWORD);
  const run: BenchRun = {
    db,
    data,
    bigAccountId,
    server,
    base,
    authHeaders: { cookie },
    listUrl: `${base}/invoices`,
    page100Url: `${base}/invoices?after=${cursor100}&page=100`,
    staticUrl: `${base}/icon.svg`,
    pdfUrl: (n: number) => `${base}/invoices/${n}/pdf`,
    fresh,
    numbers,
    zipNumbers,
    cursor100,
    loads: [],
    checks: [],
    details: {},
    noteRss,
  };
  await checkPagesAnswer(run);
  return { run, rssLog, webhookSecret };
}

/** Sanity: the pages answer what they should before anything is measured. */
async function checkPagesAnswer(run: BenchRun): Promise<void> {
  const { authHeaders, listUrl, page100Url, staticUrl, cursor100 } = run;
  const first = await mustGet(listUrl, authHeaders);
  // React separates adjacent text with <!-- --> comments.
  const text = (b: Buffer) => b.toString("utf8").replaceAll("<!-- -->", "");
  const firstHtml = text(first.body);
  const pagesMatch = /Page 1 of (\d+)/.exec(firstHtml);
  if (!pagesMatch) throw new Error(`the list page does not look like the invoice list:\n${firstHtml.slice(0, 500)}`);
  const p100 = text((await mustGet(page100Url, authHeaders)).body);
  if (!p100.includes(`Page 100 of ${pagesMatch[1]}`)) throw new Error(`page 100 (after=${cursor100}) is not page 100 of the list`);
  const icon = await mustGet(staticUrl);
  log(`signed in; list has ${pagesMatch[1]} pages; static route ${icon.headers["content-type"]} ${icon.body.length} bytes`);
}

/** Why a load does not count: nothing answered, or errors; undefined when it is fine. */
function bad(l: Load): string | undefined {
  return l.requests === 0
    ? `no response within ${l.seconds.toFixed(0)} s`
    : l.non2xx + l.errors + l.timeouts > 0
      ? `${l.non2xx} non-2xx, ${l.errors + l.timeouts} errors`
      : undefined;
}

/** A load's p99, or Infinity when not one request completed. */
const p99 = (l: Load) => (l.requests > 0 ? l.p99 : Infinity);

/** What every measured phase shares: the data, the server, the signed-in URLs, and what was found. */
type BenchRun = {
  db: BenchData["db"];
  data: BenchData;
  bigAccountId: string;
  server: Server;
  base: string;
  authHeaders: { cookie: string };
  listUrl: string;
  page100Url: string;
  staticUrl: string;
  pdfUrl: (n: number) => string;
  fresh: FreshInvoices;
  numbers: number[];
  zipNumbers: number[];
  cursor100: string;
  loads: Load[];
  checks: Check[];
  details: Record<string, unknown>;
  noteRss: (at: string) => number;
};

/** 1. The static ceiling and the list at full load. */
async function benchStaticAndList(run: BenchRun): Promise<{ staticRps: number; listLoad: Load }> {
  const { authHeaders, listUrl, staticUrl, loads, checks, noteRss } = run;
  log(`warm-up (${cfg.warmSeconds} s each)…`);
  await load("warm-up static", { url: staticUrl, connections: cfg.connections, seconds: cfg.warmSeconds });
  await load("warm-up list", { url: listUrl, connections: cfg.connections, seconds: cfg.warmSeconds, headers: authHeaders });
  log(`static route, ${cfg.connections} clients, ${cfg.seconds} s…`);
  const staticLoad = await load("static /icon.svg", { url: staticUrl, connections: cfg.connections, seconds: cfg.seconds });
  loads.push(staticLoad);
  log(`  ${staticLoad.reqPerSec.toFixed(0)} req/s, p99 ${staticLoad.p99} ms`);
  log(`invoice list, ${cfg.connections} clients, ${cfg.seconds} s…`);
  const listLoad = await load("list /invoices", { url: listUrl, connections: cfg.connections, seconds: cfg.seconds, headers: authHeaders });
  loads.push(listLoad);
  log(`  ${listLoad.reqPerSec.toFixed(0)} req/s, p50 ${listLoad.p50} ms, p99 ${listLoad.p99} ms`);
  noteRss("after list load");
  const staticRps = staticLoad.reqPerSec;
  checks.push(check("static.rps", "Static route (ceiling)", staticRps, "req/s", "", null, bad(staticLoad)));
  checks.push(
    check("list.rps_ratio", "List: req/s vs static", (100 * listLoad.reqPerSec) / staticRps, "%", "≥ 12 %", (v) => v >= 12 && !bad(listLoad), bad(listLoad)),
  );
  checks.push(check("list.p99", `List: p99 at ${cfg.connections} clients`, p99(listLoad), "ms", "< 100 ms", (v) => v < 100 && !bad(listLoad), bad(listLoad)));
  return { staticRps, listLoad };
}

/** 2. Page 1 vs page 100 of the list, one client (keyset pagination keeps them equal). */
async function benchPageDepth(run: BenchRun): Promise<void> {
  const { authHeaders, listUrl, page100Url, cursor100, checks, details } = run;
  log(`page 1 vs page 100, ${cfg.pageSamples} sequential requests each (interleaved; at most ${cfg.sequentialBudgetSeconds} s)…`);
  for (let i = 0; i < 3; i++) {
    await mustGet(listUrl, authHeaders);
    await mustGet(page100Url, authHeaders);
  }
  const t1: number[] = [];
  const t100: number[] = [];
  // A slow list must not stretch the run for minutes: stop at the time budget (5 pairs at least).
  const pagesDeadline = Date.now() + cfg.sequentialBudgetSeconds * 1000;
  for (let i = 0; i < cfg.pageSamples && (i < 5 || Date.now() < pagesDeadline); i++) {
    t1.push((await mustGet(listUrl, authHeaders)).ms);
    t100.push((await mustGet(page100Url, authHeaders)).ms);
  }
  const p1med = median(t1);
  const p100med = median(t100);
  log(`  page 1 p50 ${fmtMs(p1med)}, page 100 p50 ${fmtMs(p100med)} (${t1.length} pairs)`);
  details.pages = { samples: t1.length, page1: { p50: p1med, p95: percentile(t1, 0.95) }, page100: { p50: p100med, p95: percentile(t100, 0.95) }, cursor100 };
  checks.push(check("list.page1_p50", "List: page 1 p50, one client", p1med, "ms", "", null));
  checks.push(check("list.page100_ratio", "List: page 100 p50 / page 1 p50", p100med / p1med, "×", "≤ 1.2×", (v) => v <= 1.2, `page 100 p50 ${p100med.toFixed(1)} ms, ${t1.length} pairs`));
}

/** 3. A stored PDF: one client, If-None-Match, and at full load against the static ceiling. */
async function benchStoredPdf(run: BenchRun, staticRps: number): Promise<void> {
  const { authHeaders, pdfUrl, fresh, loads, checks, details, noteRss } = run;
  const storedNumber = fresh.next();
  const render0 = await mustGet(pdfUrl(storedNumber), authHeaders);
  if (render0.headers["content-type"] !== "application/pdf") throw new Error(`the PDF route answered ${render0.headers["content-type"]}`);
  const etag = String(render0.headers.etag ?? "");
  log(`stored PDF ${storedNumber} (${render0.body.length} bytes, first request ${fmtMs(render0.ms)}): ${cfg.storedSamples} sequential requests…`);
  const storedTimes: number[] = [];
  for (let i = 0; i < 10; i++) await mustGet(pdfUrl(storedNumber), authHeaders);
  for (let i = 0; i < cfg.storedSamples; i++) {
    const r = await mustGet(pdfUrl(storedNumber), authHeaders);
    if (r.body.length !== render0.body.length || String(r.headers.etag) !== etag) throw new Error("the stored PDF changed between requests");
    storedTimes.push(r.ms);
  }
  const notModified = await timedGet(pdfUrl(storedNumber), { ...authHeaders, "if-none-match": etag });
  log(`  p50 ${fmtMs(median(storedTimes))}, p95 ${fmtMs(percentile(storedTimes, 0.95))}; If-None-Match → ${notModified.status} in ${fmtMs(notModified.ms)}`);
  log(`stored PDF, ${cfg.connections} clients, ${cfg.seconds} s…`);
  const storedLoad = await load("stored PDF", { url: pdfUrl(storedNumber), connections: cfg.connections, seconds: cfg.seconds, headers: authHeaders });
  loads.push(storedLoad);
  log(`  ${storedLoad.reqPerSec.toFixed(0)} req/s, p99 ${storedLoad.p99} ms`);
  noteRss("after stored PDF load");
  details.storedPdf = {
    number: storedNumber,
    bytes: render0.body.length,
    p50: median(storedTimes),
    p95: percentile(storedTimes, 0.95),
    notModified: { status: notModified.status, ms: notModified.ms },
  };
  checks.push(check("pdf.stored_p50", "Stored PDF: p50, one client", median(storedTimes), "ms", "< 5 ms", (v) => v < 5, `p95 ${percentile(storedTimes, 0.95).toFixed(1)} ms`));
  checks.push(
    check(
      "pdf.stored_rps_ratio",
      `Stored PDF: req/s at ${cfg.connections} clients vs static`,
      (100 * storedLoad.reqPerSec) / staticRps,
      "%",
      "≥ 50 %",
      (v) => v >= 50 && !bad(storedLoad),
      bad(storedLoad) ?? `${storedLoad.reqPerSec.toFixed(0)} req/s`,
    ),
  );
  checks.push(check("pdf.if_none_match", "Stored PDF: If-None-Match answers", notModified.status, "", "304", (v) => v === 304, `${notModified.ms.toFixed(1)} ms`));
}

/** 4. First renders of a one-page and of the 300-line invoice. */
async function benchFirstRenders(run: BenchRun): Promise<void> {
  const { db, data, authHeaders, pdfUrl, fresh, checks, details, bigAccountId } = run;
  log(`first renders: one throwaway, then ${cfg.firstRenders} one-page invoices and ${cfg.longRenders}× the 300-line invoice…`);
  await mustGet(pdfUrl(fresh.next()), authHeaders);
  const onePage: number[] = [];
  let onePagePages = 0;
  for (let i = 0; i < cfg.firstRenders; i++) {
    const n = fresh.next();
    await deleteStoredPdfs(db, bigAccountId, [n]);
    const r = await mustGet(pdfUrl(n), authHeaders);
    onePage.push(r.ms);
    onePagePages = pdfPages(r.body);
  }
  const long: number[] = [];
  let longPages = 0;
  let longBytes = 0;
  for (let i = 0; i < cfg.longRenders; i++) {
    await deleteStoredPdfs(db, bigAccountId, [data.longInvoiceNumber]);
    const r = await mustGet(pdfUrl(data.longInvoiceNumber), authHeaders);
    long.push(r.ms);
    longPages = pdfPages(r.body);
    longBytes = r.body.length;
  }
  log(`  one-page: ${onePage.map(fmtMs).join(", ")}; 300 lines (${longPages} pages): ${long.map(fmtMs).join(", ")}`);
  details.firstRender = { onePage, onePagePages, long, longPages, longBytes, longInvoice: data.longInvoiceNumber };
  checks.push(check("pdf.first_one_page", `First render, one-page invoice (median of ${onePage.length})`, median(onePage), "ms", "< 35 ms", (v) => v < 35, `${onePagePages} page`));
  checks.push(check("pdf.first_300_lines", `First render, 300-line invoice (median of ${long.length})`, median(long), "ms", "< 400 ms", (v) => v < 400, `${longPages} pages`));
}

/** 5. The list while other clients ask for PDFs never rendered before. */
async function benchListDuringRenders(run: BenchRun, listLoad: Load): Promise<void> {
  const { authHeaders, listUrl, pdfUrl, fresh, numbers, loads, checks, noteRss } = run;
  const nextFreshPath = () => `/invoices/${fresh.next()}/pdf`;
  // Full speed: what the render clients get with nothing else running.
  const aloneSeconds = Math.min(5, cfg.seconds);
  log(`PDF first renders alone, ${cfg.renderClients} clients, ${aloneSeconds} s (the full-speed reference)…`);
  const rendersAlone = await load("PDF first renders (alone)", {
    url: pdfUrl(numbers[0]!),
    connections: cfg.renderClients,
    seconds: aloneSeconds,
    headers: authHeaders,
    nextPath: nextFreshPath,
  });
  loads.push(rendersAlone);
  log(`  ${rendersAlone.reqPerSec.toFixed(0)} PDFs/s, p50 ${rendersAlone.p50} ms, p99 ${rendersAlone.p99} ms`);
  checks.push(check("pdf.render_rate", `First renders at ${cfg.renderClients} clients (nothing else)`, rendersAlone.reqPerSec, "PDFs/s", "", null, bad(rendersAlone)));
  log(`list, ${cfg.connections} clients, ${cfg.seconds} s, while ${cfg.renderClients} clients request PDFs never rendered before…`);
  const usedBefore = fresh.used;
  const renders = startLoad(`PDF first renders (during list)`, {
    url: pdfUrl(numbers[0]!),
    connections: cfg.renderClients,
    seconds: cfg.seconds + 30,
    headers: authHeaders,
    nextPath: nextFreshPath,
  });
  await sleep(1000);
  const listDuring = await load("list while PDFs render", { url: listUrl, connections: cfg.connections, seconds: cfg.seconds, headers: authHeaders });
  renders.stop();
  const rendersLoad = await renders.done;
  loads.push(listDuring, rendersLoad);
  noteRss("after list during renders");
  log(`  list ${listDuring.reqPerSec.toFixed(0)} req/s, p99 ${listDuring.p99} ms (alone ${listLoad.p99} ms); ${rendersLoad.reqPerSec.toFixed(0)} PDFs/s rendered (${fresh.used - usedBefore} asked${fresh.wrapped ? `, ran out of fresh invoices ${fresh.wrapped}×` : ""})`);
  checks.push(
    check(
      "list.p99_during_renders",
      "List p99 while PDFs render / alone",
      // Without a p99 of the list alone there is nothing to compare with.
      Number.isFinite(p99(listLoad)) ? p99(listDuring) / p99(listLoad) : NaN,
      "×",
      "≤ 1.5×",
      (v) => v <= 1.5 && !bad(listDuring) && !bad(rendersLoad),
      (Number.isFinite(p99(listLoad)) ? undefined : "the list alone never answered") ??
        bad(listDuring) ??
        bad(rendersLoad) ??
        `${listDuring.p99} vs ${listLoad.p99} ms; PDFs ${rendersLoad.reqPerSec.toFixed(0)}/s vs ${rendersAlone.reqPerSec.toFixed(0)}/s alone`,
    ),
  );
}

/** 6. A ZIP of 100 invoices never rendered: time and the server's peak memory. */
async function benchZip(run: BenchRun): Promise<void> {
  const { server, base, authHeaders, zipNumbers, checks, details, noteRss } = run;
  await sleep(2000);
  const zipUrl = `${base}/invoices/download?${zipNumbers.map((n) => `n=${n}`).join("&")}`;
  const rssBeforeZip = server.rss();
  const hwmReset = server.resetPeak();
  let zipPeak = rssBeforeZip;
  const sampler = setInterval(() => {
    zipPeak = Math.max(zipPeak, server.rss());
  }, 25);
  log(`ZIP of ${zipNumbers.length} invoices never rendered (RSS before ${fmtMb(rssBeforeZip)})…`);
  let zip;
  try {
    zip = await mustGet(zipUrl, authHeaders);
  } finally {
    clearInterval(sampler);
  }
  zipPeak = Math.max(zipPeak, server.rss());
  const hwm = hwmReset ? server.peak() : null;
  const entries = zipEntries(zip.body);
  if (zip.headers["content-type"] !== "application/zip" || entries !== zipNumbers.length + 1) {
    throw new Error(`the ZIP is not what was asked for: ${zip.headers["content-type"]}, ${entries} entries`);
  }
  const zipGrowth = zipPeak - rssBeforeZip;
  log(`  ${fmtMs(zip.ms)}, ${(zip.body.length / MB).toFixed(1)} MB, ${entries} entries; peak RSS ${fmtMb(zipPeak)} (+${fmtMb(zipGrowth)})${hwm ? `, VmHWM ${fmtMb(hwm)}` : ""}`);
  noteRss("after ZIP");
  details.zip = {
    invoices: zipNumbers.length,
    ms: zip.ms,
    bytes: zip.body.length,
    entries,
    rssBeforeMb: rssBeforeZip / MB,
    peakSampledMb: zipPeak / MB,
    vmHwmMb: hwm === null ? null : hwm / MB,
  };
  checks.push(check("zip.time", `ZIP of ${zipNumbers.length} invoices: to last byte`, zip.ms / 1000, "s", "< 2 s", (v) => v < 2));
  checks.push(
    check(
      "zip.peak_growth",
      "ZIP: server peak RSS growth",
      zipGrowth / MB,
      "MB",
      "< 100 MB",
      (v) => v < 100,
      hwm ? `VmHWM +${((hwm - rssBeforeZip) / MB).toFixed(0)} MB` : "sampled every 25 ms",
    ),
  );
}

/** 7. Server memory over many first-render downloads: a leak keeps climbing. */
async function benchMemory(run: BenchRun): Promise<void> {
  const { db, server, authHeaders, pdfUrl, numbers, checks, details, noteRss, bigAccountId } = run;
  const forgottenAgain = await deleteStoredPdfs(db, bigAccountId);
  const downloads = numbers.slice(0, Math.min(cfg.downloads, numbers.length));
  if (downloads.length < cfg.downloads) log(`only ${downloads.length} invoices available for the memory check`);
  log(`memory: ${downloads.length} PDF downloads, all first renders (${forgottenAgain} stored PDFs deleted), ${cfg.downloadClients} clients…`);
  let nextIndex = 0;
  let memPeak = 0;
  const memSampler = setInterval(() => {
    memPeak = Math.max(memPeak, server.rss());
  }, 250);
  // RSS every tenth of the run: a leak keeps climbing, a warm-up flattens out.
  const trend: { done: number; rssMb: number }[] = [];
  const step = Math.max(1, Math.floor(downloads.length / 10));
  let completed = 0;
  const runUntil = async (end: number) => {
    const worker = async () => {
      while (nextIndex < end) {
        const n = downloads[nextIndex++]!;
        const r = await mustGet(pdfUrl(n), authHeaders);
        if (r.body.length < 1000) throw new Error(`PDF ${n} is only ${r.body.length} bytes`);
        if (++completed % step === 0) trend.push({ done: completed, rssMb: Math.round(server.rss() / MB) });
      }
    };
    await Promise.all(Array.from({ length: cfg.downloadClients }, worker));
  };
  let rssAfter100: number;
  let rssAfterAll: number;
  let downloadSeconds: number;
  try {
    await runUntil(Math.min(100, downloads.length));
    rssAfter100 = await settledRss(server);
    log(`  after 100: RSS ${fmtMb(rssAfter100)}`);
    const t = Date.now();
    let lastReport = Date.now();
    const progress = setInterval(() => {
      if (Date.now() - lastReport >= 10_000) {
        lastReport = Date.now();
        log(`  ${nextIndex}/${downloads.length}, RSS ${fmtMb(server.rss())}`);
      }
    }, 1000);
    try {
      await runUntil(downloads.length);
    } finally {
      clearInterval(progress);
    }
    downloadSeconds = (Date.now() - t) / 1000;
    rssAfterAll = await settledRss(server);
  } finally {
    clearInterval(memSampler);
  }
  const memDiff = rssAfterAll - rssAfter100;
  log(`  after ${downloads.length}: RSS ${fmtMb(rssAfterAll)} (${memDiff >= 0 ? "+" : ""}${fmtMb(memDiff)}), peak ${fmtMb(memPeak)}; ${((downloads.length - 100) / downloadSeconds).toFixed(0)} PDFs/s`);
  noteRss("after downloads");
  details.memory = {
    downloads: downloads.length,
    clients: cfg.downloadClients,
    rssAfter100Mb: rssAfter100 / MB,
    rssAfterAllMb: rssAfterAll / MB,
    peakMb: memPeak / MB,
    pdfsPerSecond: (downloads.length - 100) / downloadSeconds,
    trend,
  };
  checks.push(...memoryChecks(downloads.length, trend, rssAfter100, rssAfterAll, memPeak));
}

/** RSS after the server idled: 3 s of rest, then the median of 20 samples over 2 s. */
async function settledRss(server: Server): Promise<number> {
  await sleep(3000);
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    samples.push(server.rss());
    await sleep(100);
  }
  return median(samples);
}

/** Memory stays within 100 MB over the downloads, and does not keep climbing. */
function memoryChecks(downloads: number, trend: { done: number; rssMb: number }[], rssAfter100: number, rssAfterAll: number, memPeak: number): Check[] {
  log(`  RSS trend (downloads:MB): ${trend.map((x) => `${x.done}:${x.rssMb}`).join(" ")}`);
  // RSS swings with garbage collection under load: compare the highs of the two halves.
  const half = Math.floor(trend.length / 2);
  const firstHigh = Math.max(...trend.slice(0, half).map((x) => x.rssMb));
  const secondHigh = Math.max(...trend.slice(half).map((x) => x.rssMb));
  const checks = [
    check(
      "memory.downloads",
      `Server RSS after ${downloads.toLocaleString("en")} PDFs − after 100`,
      (rssAfterAll - rssAfter100) / MB,
      "MB",
      "within 100 MB",
      (v) => Math.abs(v) < 100,
      `${fmtMb(rssAfter100)} → ${fmtMb(rssAfterAll)}, peak ${fmtMb(memPeak)}`,
    ),
  ];
  if (half > 0) {
    checks.push(
      check(
        "memory.second_half",
        "Server RSS high, 2nd half of downloads − 1st half",
        secondHigh - firstHigh,
        "MB",
        "",
        null,
        `${firstHigh} → ${secondHigh} MB; a leak keeps climbing`,
      ),
    );
  }
  return checks;
}

/** 8. The pay action at full load, and 100 concurrent requests for one invoice. */
async function benchPay(run: BenchRun, webhookSecret: string): Promise<void> {
  const { db, base, loads, checks, details, noteRss } = run;
  const account = await preparePayAccount(db, cfg.payInvoices, log);
  const payCookie = await signIn(base, account.email, DEMO_PASSWORD);
  const pay = await runPayBench({ db, base, cookie: payCookie, account, connections: cfg.connections, seconds: cfg.seconds, warmStepSeconds: cfg.payWarmStepSeconds, maxWarmSeconds: cfg.payMaxWarmSeconds, webhookSecret, log });
  noteRss("after pay");
  loads.push(pay.load);
  details.pay = { statuses: pay.statuses, notRedirected: pay.notRedirected, p95: pay.p95, paymentsCreated: pay.paymentsCreated, warmRates: pay.warmRates, concurrent: pay.concurrent };
  const payBad = pay.notRedirected > 0 || pay.load.errors + pay.load.timeouts > 0
    ? `${pay.notRedirected} not sent to the hosted page, ${pay.load.errors + pay.load.timeouts} errors`
    : undefined;
  checks.push(
    check("pay.p95", `Pay action: p95 at ${cfg.connections} clients (sandbox)`, pay.p95, "ms", "< 50 ms", (v) => v < 50 && !payBad, payBad ?? `${pay.load.reqPerSec.toFixed(0)} payments/s, ${pay.paymentsCreated} created`),
  );
  const concurrent = pay.concurrent;
  const raceOk =
    concurrent.started === 1 && concurrent.serverErrors === 0 && concurrent.settledPayments === 1 && concurrent.outstandingMinor === "0" && concurrent.webhookStatus === 200;
  checks.push(
    check(
      "pay.concurrent_100",
      "Pay: 100 concurrent requests for one invoice, settled",
      concurrent.secondsToSettled,
      "s",
      "< 2 s, 1 payment",
      (v) => v < 2 && raceOk,
      `${concurrent.started} checkout, ${concurrent.inProgress} in progress, ${concurrent.serverErrors} 5xx, ${concurrent.settledPayments} settled, outstanding ${concurrent.outstandingMinor}`,
    ),
  );
}

/** The tables, the machine's load, and the results files. */
function report(m: ReturnType<typeof machine>, startPressure: number | null, run: BenchRun, staticRps: number | null, rssLog: RssNote[]): void {
  const totalSeconds = (Date.now() - started) / 1000;
  console.log(`\nCumulus bench — ${new Date().toISOString()} — ${m.nproc} CPUs, Node ${m.node}, ${run.data.invoices.toLocaleString("en")} invoices (big account ${run.data.bigAccountInvoices.toLocaleString("en")}), ${cfg.connections} clients, ${cfg.seconds} s per load${quick ? ", --quick" : ""}${cfg.jitOff ? ", --jit-off" : ""}\n`);
  console.log(checksTable(run.checks));
  console.log("\n" + loadsTable(run.loads, staticRps));
  const missed = run.checks.filter((c) => c.pass === false).length;
  const passed = run.checks.filter((c) => c.pass === true).length;
  console.log(`\n${passed} targets met, ${missed} missed — ${totalSeconds.toFixed(0)} s in all`);
  // Before the server starts, the figures show other work on the machine; later they include ours.
  console.log(
    `machine (load average 1 min · CPU pressure avg10 %): at start ${m.loadAverage[0]} · ${startPressure ?? "?"}; ${rssLog.map((r) => `${r.at} ${r.loadAverage[0]} · ${r.cpuPressureAvg10 ?? "?"}`).join("; ")}`,
  );
  if ((startPressure ?? 0) > 20) console.log("note: the machine was busy with other work when the bench started; absolute figures suffer most, ratios less.");
  const files = writeResults(path.resolve(root, args.out), {
    date: new Date().toISOString(),
    machine: { ...m, cpuPressureAtStart: startPressure, loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))) },
    options: cfg,
    database: {
      url: redactUrl(databaseUrl),
      invoices: run.data.invoices,
      bigAccountInvoices: run.data.bigAccountInvoices,
      longInvoiceNumber: run.data.longInvoiceNumber,
      seeded: run.data.seeded,
      seedSeconds: run.data.seedSeconds,
    },
    checks: run.checks,
    loads: run.loads,
    details: run.details,
    serverRss: rssLog,
    totalSeconds,
  });
  console.log(`results: ${files.map((f) => path.relative(root, f)).join(", ")}`);
}

main()
  .then(() => process.exit(0))
  .catch(async (err: unknown) => {
    console.error(`\nThe benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await cleanup();
    process.exit(1);
  });
