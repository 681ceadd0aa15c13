/**
 * The start of a bench run: the seeded database, the production server, the big account signed
 * in, and what every step then shares (BenchRun).
 */
import crypto from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";
import { DEMO_PASSWORD } from "@/scripts/seed";
import { signIn } from "../lib/http";
import { buildIfStale } from "../lib/next-process";
import { bigAccountNumbers, cursorForPage, deleteStoredPdfs, prepareBenchDatabase, redactUrl, type BenchData } from "./database";
import { mustGet, type Load } from "./http";
import { args, cfg, cleanups, databaseUrl, log, MB } from "./options";
import type { Check } from "./report";
import { startServer, type Server } from "./server";

/** /proc/pressure/cpu "some avg10": % of the last 10 s in which some task waited for a CPU. */
export function cpuPressure(): number | null {
  try {
    const m = /some avg10=([\d.]+)/.exec(readFileSync("/proc/pressure/cpu", "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
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

export type RssNote = { at: string; rssMb: number; loadAverage: number[]; cpuPressureAvg10: number | null };

/** What every measured phase shares: the data, the server, the signed-in URLs, and what was found. */
export type BenchRun = {
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
  /** The server's memory and the machine's load after each step. */
  rssLog: RssNote[];
  /** Signs the sandbox provider's callbacks as the provider would (the pay step). */
  webhookSecret: string;
  /** The static route's rate and the list's load: what later steps compare with. */
  ceiling: { staticRps: number; listLoad: Load } | null;
};

/** The bench database, seeded on first use. */
export async function prepareData(): Promise<BenchData> {
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

/** Builds when needed, starts the server, signs in as the big account and checks the pages answer what they should. */
export async function startRun(data: BenchData): Promise<BenchRun> {
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
    rssLog,
    webhookSecret,
    ceiling: null,
  };
  await checkPagesAnswer(run);
  return run;
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
