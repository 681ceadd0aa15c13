/**
 * The first of the month, end to end (`npm run bench -- --only month`, step 11): 10,000 accounts
 * × 30 usage lines billed by one `billing:run`, then every invoice email sent with its PDF through
 * the outbox by `npm run worker -- --once` to a local SMTP server (smtp-server, in this process)
 * that accepts and counts — first by one worker process, then by two on a copy of the billed
 * database made before the first send. While each send runs, the invoice list of the bench server
 * is loaded as in step 1; its p99 is compared with a load of the list alone, just before.
 *
 * CPU seconds are utime + stime of /proc/<pid>/stat of billing:run and of the worker processes
 * (their PDF render threads included), sampled every 100 ms until they exit.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import type net from "node:net";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { SMTPServer } from "smtp-server";
import { createPostgresHandle, rows } from "@/db/client";
import { previousPeriod } from "@/lib/billing/period";
import { accountToday } from "@/lib/dates";
import { PROVIDER_TIME_ZONE } from "@/lib/provider";
import { runScript } from "../lib/run-script";
import { freshBillingDatabase, rssOf, withDatabase } from "./billing";
import { startLoad, load, type Load } from "./http";
import { cfg, databaseUrl, log, sleep } from "./options";
import { bad, p99 } from "./pages";
import { check } from "./report";
import type { BenchRun } from "./run";

const MB = 1024 * 1024;
const DATABASE = "cumulus_bench_month";
const COPY = `${DATABASE}_two`;
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** utime + stime of a process (all its threads), in seconds; null once it is gone. */
function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces: the fields after it are counted from its ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

type Child = { wallSeconds: number; cpuSeconds: number; rssPeakMb: number; exitCode: number | null; stderr: string; stdout: string };

/** A script as its own process, its CPU time and RSS sampled every 100 ms until it exits. */
async function runMeasured(script: string, args: string[], env: Record<string, string>): Promise<Child> {
  const child = runScript(script, args, env);
  let cpu = 0;
  let rss = 0;
  const timer = setInterval(() => {
    if (!child.pid) return;
    cpu = cpuSecondsOf(child.pid) ?? cpu;
    rss = Math.max(rss, rssOf(child.pid) ?? 0);
  }, 100);
  const r = await child.finally(() => clearInterval(timer));
  if (r.code !== 0) throw new Error(`${script} exited with ${r.code}:\n${r.stderr.slice(-2000)}\n${r.stdout.slice(-2000)}`);
  return { wallSeconds: r.ms / 1000, cpuSeconds: cpu, rssPeakMb: rss / MB, exitCode: r.code, stderr: r.stderr, stdout: r.stdout };
}

/** An SMTP server that accepts every message and counts them, with the time of the last one. */
async function countingSmtp() {
  const state = { accepted: 0, lastAt: 0 };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    size: 0,
    onData(stream, _session, callback) {
      stream.on("data", () => {});
      stream.on("end", () => {
        state.accepted++;
        state.lastAt = performance.now();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as net.AddressInfo).port;
  return { state, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export type SendRun = {
  workers: number;
  emails: number;
  pdfs: number;
  /** From the workers' start to the last message accepted. */
  secondsToLast: number;
  emailsPerSecond: number;
  pdfsPerSecond: number;
  workerCpuSeconds: number;
  workerRssPeakMb: number[];
  list: Load;
};

/** What a send left: messages sent and PDFs stored. */
async function sendFacts(url: string): Promise<{ sent: number; notSent: number; pdfs: number }> {
  const h = createPostgresHandle(url, 1);
  try {
    const [r] = await rows<{ sent: string; not_sent: string; pdfs: string }>(
      h.db,
      sql`select (select count(*) from email_outbox where kind = 'invoice' and status = 'sent')::text as sent,
                 (select count(*) from email_outbox where kind = 'invoice' and status <> 'sent')::text as not_sent,
                 (select count(*) from invoice_pdfs)::text as pdfs`,
    );
    return { sent: Number(r!.sent), notSent: Number(r!.not_sent), pdfs: Number(r!.pdfs) };
  } finally {
    await h.close();
  }
}

/** `workers` worker processes send the outbox of `url` to `smtp` while the list is loaded. */
async function send(run: BenchRun, url: string, workers: number, smtp: Awaited<ReturnType<typeof countingSmtp>>, expected: number): Promise<SendRun> {
  smtp.state.accepted = 0;
  const started = performance.now();
  const children = Array.from({ length: workers }, () => runMeasured("scripts/worker.ts", ["--once"], { DATABASE_URL: url, SMTP_URL: smtp.url }));
  // The list load starts once messages flow (the workers' start-up is not the send), and ends before they do.
  while (smtp.state.accepted < 5 && performance.now() - started < 60_000) await sleep(100);
  const listing = startLoad(`list while ${workers} worker${workers > 1 ? "s" : ""} send`, { url: run.listUrl, connections: cfg.connections, seconds: cfg.seconds, headers: run.authHeaders });
  const done = await Promise.all(children);
  const list = await listing.done;
  const facts = await sendFacts(url);
  if (facts.notSent > 0 || facts.sent !== expected || smtp.state.accepted !== facts.sent) throw new Error(`${workers} worker(s): ${facts.sent} sent, ${facts.notSent} not sent (of ${expected}), ${smtp.state.accepted} accepted by the SMTP server`);
  const secondsToLast = (smtp.state.lastAt - started) / 1000;
  return {
    workers,
    emails: smtp.state.accepted,
    pdfs: facts.pdfs,
    secondsToLast,
    emailsPerSecond: smtp.state.accepted / secondsToLast,
    pdfsPerSecond: facts.pdfs / secondsToLast,
    workerCpuSeconds: done.reduce((s, c) => s + c.cpuSeconds, 0),
    workerRssPeakMb: done.map((c) => c.rssPeakMb),
    list,
  };
}

/** Drops, creates, migrates and seeds the month's database; bills it; copies it for the second send. */
async function billTheMonth(adminUrl: string, accounts: number) {
  const period = previousPeriod(accountToday(PROVIDER_TIME_ZONE));
  log(`  seeding ${accounts.toLocaleString("en")} accounts × 30 usage lines into ${DATABASE}…`);
  await dropMonthDatabases(adminUrl);
  const url = await freshBillingDatabase(adminUrl, DATABASE, accounts, 30, period.start);
  const admin = postgres(withDatabase(adminUrl, "postgres"), { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    log("  billing:run…");
    const billing = await runMeasured("scripts/billing-run.ts", ["--period", period.label], { DATABASE_URL: url });
    // Statistics of the billed tables, for the outbox's and the PDFs' queries; then the copy.
    const h2 = createPostgresHandle(url, 1);
    try {
      await h2.db.execute(sql`analyze`);
    } finally {
      await h2.close();
    }
    await admin.unsafe(`create database "${COPY}" template "${DATABASE}"`);
    return { url, copyUrl: withDatabase(adminUrl, COPY), billing };
  } finally {
    await admin.end({ timeout: 5 });
  }
}

async function dropMonthDatabases(adminUrl: string): Promise<void> {
  const admin = postgres(withDatabase(adminUrl, "postgres"), { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    for (const name of [COPY, DATABASE]) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** 11. Bill the month, then send every invoice with one worker and with two, the list loaded meanwhile. */
export async function benchMonth(run: BenchRun): Promise<void> {
  const adminUrl = withDatabase(databaseUrl, "postgres");
  const accounts = cfg.monthAccounts;
  log(`the first of the month (scripts/bench/month.ts): ${accounts.toLocaleString("en")} accounts billed, then their emails sent with PDFs…`);
  const { url, copyUrl, billing } = await billTheMonth(adminUrl, accounts);
  log(`  ${accounts.toLocaleString("en")} invoices issued in ${billing.wallSeconds.toFixed(1)} s, ${billing.cpuSeconds.toFixed(1)} CPU s`);
  const smtp = await countingSmtp();
  try {
    log(`  list alone, ${cfg.connections} clients, ${cfg.seconds} s…`);
    await load("warm-up list", { url: run.listUrl, connections: cfg.connections, seconds: cfg.warmSeconds, headers: run.authHeaders });
    const alone = await load("list alone (month)", { url: run.listUrl, connections: cfg.connections, seconds: cfg.seconds, headers: run.authHeaders });
    log(`  list alone: p99 ${alone.p99} ms; sending with one worker…`);
    const one = await send(run, url, 1, smtp, accounts);
    log(`  one worker: ${one.emails} emails in ${one.secondsToLast.toFixed(1)} s (${one.emailsPerSecond.toFixed(1)}/s), ${one.workerCpuSeconds.toFixed(1)} CPU s; list p99 ${one.list.p99} ms`);
    const two = await send(run, copyUrl, 2, smtp, accounts);
    log(`  two workers: ${two.emails} emails in ${two.secondsToLast.toFixed(1)} s (${two.emailsPerSecond.toFixed(1)}/s), ${two.workerCpuSeconds.toFixed(1)} CPU s; list p99 ${two.list.p99} ms`);
    run.loads.push(alone, one.list, two.list);
    run.details.month = { accounts, billing: { ...billing, stdout: undefined, stderr: undefined }, one: { ...one, list: undefined }, two: { ...two, list: undefined } };
    monthChecks(run, accounts, billing, alone, one, two);
  } finally {
    await smtp.close();
    await dropMonthDatabases(adminUrl);
  }
}

function monthChecks(run: BenchRun, accounts: number, billing: Child, alone: Load, one: SendRun, two: SendRun): void {
  const n = accounts.toLocaleString("en");
  const perInvoice = (s: SendRun) => (billing.cpuSeconds + s.workerCpuSeconds) / accounts;
  const listRatio = (s: SendRun) => (Number.isFinite(p99(alone)) ? p99(s.list) / p99(alone) : NaN);
  run.checks.push(
    check("month.issued_rate", `First of the month: invoices issued (${n} accounts)`, accounts / billing.wallSeconds, "/s", "", null, `${billing.wallSeconds.toFixed(1)} s`),
    check("month.one.pdf_rate", "one worker: PDFs rendered", one.pdfsPerSecond, "/s", "", null),
    check("month.one.email_rate", "one worker: emails accepted", one.emailsPerSecond, "/s", "", null, `last after ${one.secondsToLast.toFixed(0)} s`),
    check("month.one.cpu", "one worker: CPU per invoice, issue to accepted email", perInvoice(one), "s", "", null, `issue ${((1000 * billing.cpuSeconds) / accounts).toFixed(1)} ms + send ${((1000 * one.workerCpuSeconds) / accounts).toFixed(1)} ms`),
    check("month.two.email_rate", "two workers: emails accepted", two.emailsPerSecond, "/s", "", null, `last after ${two.secondsToLast.toFixed(0)} s; PDFs ${two.pdfsPerSecond.toFixed(1)}/s`),
    check("month.two.cpu", "two workers: CPU per invoice, issue to accepted email", perInvoice(two), "s", "", null),
    check("month.scaling", "emails/s, two workers / one", two.emailsPerSecond / one.emailsPerSecond, "×", "", null, "2 shared cores"),
    ...[one, two].map((s) =>
      check(
        `month.list_p99.${s.workers}`,
        `List p99 while ${s.workers === 1 ? "one worker sends" : "two workers send"} / alone`,
        listRatio(s),
        "×",
        "≤ 1.5×",
        (v) => v <= 1.5 && !bad(s.list) && !bad(alone),
        bad(s.list) ?? bad(alone) ?? `${s.list.p99} vs ${alone.p99} ms`,
      ),
    ),
  );
}
