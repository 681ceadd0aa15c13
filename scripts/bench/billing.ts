/**
 * The billing run's scale benchmark, on PostgreSQL: 10,000 accounts × 30 usage lines billed for
 * one month by `billing:run` as a child process (wall time, its RSS sampled every 100 ms: peak
 * and whether it stays flat), then, on a fresh copy of the same data, two `billing:run`
 * processes started at once (each account must end with exactly one invoice, numbers gapless).
 *
 * `benchBilling()` creates (drops first) the databases `cumulus_bench_billing` and
 * `cumulus_bench_billing_pair` on the server of `adminUrl`, and drops them at the end unless
 * `keep` is set. The data comes from scripts/seed/billing-accounts.ts; what a run left is read
 * by scripts/lib/billing-facts.ts (both shared with the integration tests).
 */
import fs from "node:fs";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createPostgresHandle, migrate } from "@/db/client";
import { billingFacts, type BillingFacts } from "@/scripts/lib/billing-facts";
import { seedBillingAccounts } from "@/scripts/seed/billing-accounts";
import { previousPeriod } from "@/lib/billing/period";
import { accountToday } from "@/lib/dates";
import { PROVIDER_TIME_ZONE } from "@/lib/provider";
import { runScript } from "../lib/run-script";
import { check, type Check } from "./report";

const MB = 1024 * 1024;

export type RssSummary = {
  peakMb: number;
  /** Median RSS over the second quarter of the run and over the last quarter. */
  earlyMb: number;
  lateMb: number;
  growthMb: number;
  samples: number;
};

export type ChildRun = { exitCode: number | null; wallSeconds: number; rss: RssSummary; stdout: string; stderr: string };

export function rssOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const median = (xs: number[]) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

function summarizeRss(samples: { t: number; rss: number }[], wallMs: number): RssSummary {
  const q = (from: number, to: number) => samples.filter((s) => s.t >= from * wallMs && s.t < to * wallMs).map((s) => s.rss);
  const early = median(q(0.25, 0.5));
  const late = median(q(0.75, 1.01));
  return {
    peakMb: Math.max(0, ...samples.map((s) => s.rss)) / MB,
    earlyMb: early / MB,
    lateMb: late / MB,
    growthMb: (late - early) / MB,
    samples: samples.length,
  };
}

/** `billing:run` as its own process (node + tsx, as npm runs it), RSS sampled every 100 ms. */
export function runBillingChild(databaseUrl: string, args: string[]): Promise<ChildRun> {
  return runSampledChild("scripts/billing-run.ts", databaseUrl, args);
}

/** A command-line script as its own process on `databaseUrl`, its RSS sampled every 100 ms. */
export async function runSampledChild(script: string, databaseUrl: string, args: string[]): Promise<ChildRun> {
  const child = runScript(script, args, { DATABASE_URL: databaseUrl });
  const samples: { t: number; rss: number }[] = [];
  const started = performance.now();
  const timer = setInterval(() => {
    const rss = child.pid ? rssOf(child.pid) : null;
    if (rss !== null) samples.push({ t: performance.now() - started, rss });
  }, 100);
  try {
    const r = await child;
    return { exitCode: r.code, wallSeconds: r.ms / 1000, rss: summarizeRss(samples, r.ms), stdout: r.stdout, stderr: r.stderr };
  } finally {
    clearInterval(timer);
  }
}

export type BillingBenchOptions = {
  /** Any database on the server; the bench databases are created next to it. */
  adminUrl?: string;
  database?: string;
  accounts?: number;
  usageLines?: number;
  /** Keep the databases afterwards (to look at them). */
  keep?: boolean;
  log?: (line: string) => void;
};

export type BillingBenchResult = {
  database: string;
  period: string;
  accounts: number;
  usageLines: number;
  seedSeconds: number;
  single: ChildRun & { facts: BillingFacts; accountsPerSecond: number };
  pair: { wallSeconds: number; exitCodes: (number | null)[]; facts: BillingFacts; rssPeakMb: number[] };
  /** The targets: 60 s, memory flat (growth < 32 MB between the second and last quarter), exactly once. */
  ok: { underSixtySeconds: boolean; memoryFlat: boolean; singleExact: boolean; pairExact: boolean };
};

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops, creates, migrates and seeds the bench database, bills it, then bills a copy twice at once. */
export async function benchBilling(o: BillingBenchOptions = {}): Promise<BillingBenchResult> {
  const adminUrl = o.adminUrl ?? process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const name = o.database ?? "cumulus_bench_billing";
  if (!/^[a-z0-9_]*bench[a-z0-9_]*$/.test(name)) throw new Error(`The billing bench only drops databases named *bench*, not "${name}".`);
  const pairName = `${name}_pair`;
  const accounts = o.accounts ?? 10_000;
  const usageLines = o.usageLines ?? 30;
  const log = o.log ?? (() => {});
  const period = previousPeriod(accountToday(PROVIDER_TIME_ZONE));
  const url = withDatabase(adminUrl, name);
  const pairUrl = withDatabase(adminUrl, pairName);

  const admin = postgres(withDatabase(adminUrl, "postgres"), { max: 1, onnotice: () => {}, connect_timeout: 10 });
  const drop = async () => {
    await admin.unsafe(`drop database if exists "${pairName}" with (force)`);
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  };
  try {
    await drop();
    await admin.unsafe(`create database "${name}"`);

    log(`seeding ${accounts.toLocaleString("en")} accounts × ${usageLines} usage lines for ${period.label} into ${name}…`);
    const seedStarted = performance.now();
    const h = createPostgresHandle(url, 2);
    try {
      await migrate(h.db, "postgres");
      await seedBillingAccounts(h.db, { accounts, usageLines, period: period.start });
      await h.db.execute(sql`analyze`);
    } finally {
      await h.close();
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    // A copy before anything is billed, for the two runs at once.
    await admin.unsafe(`create database "${pairName}" template "${name}"`);
    log(`seeded in ${seedSeconds.toFixed(1)} s; billing with one process…`);

    const single = await runBillingChild(url, ["--period", period.label]);
    if (single.exitCode !== 0) throw new Error(`billing:run exited with ${single.exitCode}:\n${single.stderr}\n${single.stdout}`);
    const facts = await factsOf(url, period.start);
    log(
      `one process: ${facts.invoices.toLocaleString("en")} invoices in ${single.wallSeconds.toFixed(1)} s, ` +
        `RSS peak ${single.rss.peakMb.toFixed(0)} MB (${single.rss.earlyMb.toFixed(0)} → ${single.rss.lateMb.toFixed(0)} MB)`,
    );

    log("two processes at once on a fresh copy…");
    const pairStarted = performance.now();
    const runs = await Promise.all([runBillingChild(pairUrl, ["--period", period.label]), runBillingChild(pairUrl, ["--period", period.label])]);
    const pairWall = (performance.now() - pairStarted) / 1000;
    const pairFacts = await factsOf(pairUrl, period.start);
    log(`two processes: ${pairFacts.invoices.toLocaleString("en")} invoices in ${pairWall.toFixed(1)} s, issued ${pairFacts.perRun.join(" + ")}`);

    const exact = (f: BillingFacts) =>
      f.accountsWithUsage === accounts && f.accountsWithOneInvoice === accounts && f.accountsWithMore === 0 && f.invoices === accounts && f.gapless && f.emails === accounts;
    const result: BillingBenchResult = {
      database: name,
      period: period.label,
      accounts,
      usageLines,
      seedSeconds,
      single: { ...single, facts, accountsPerSecond: accounts / single.wallSeconds },
      pair: { wallSeconds: pairWall, exitCodes: runs.map((r) => r.exitCode), facts: pairFacts, rssPeakMb: runs.map((r) => r.rss.peakMb) },
      ok: {
        underSixtySeconds: single.wallSeconds < 60,
        memoryFlat: single.rss.growthMb < 32,
        singleExact: exact(facts),
        pairExact: exact(pairFacts) && runs.every((r) => r.exitCode === 0),
      },
    };
    if (!o.keep) await drop();
    return result;
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export async function factsOf(url: string, period: string): Promise<BillingFacts> {
  const h = createPostgresHandle(url, 1);
  try {
    // Fresh statistics: the tables were empty when last analyzed, and a nested loop over
    // 10,000 × 10,000 rows is what the planner picks otherwise.
    await h.db.execute(sql`analyze invoices, invoice_lines, email_outbox`);
    return await billingFacts(h.db, period);
  } finally {
    await h.close();
  }
}

/** The bench's figures as rows of the result table (scripts/bench/report.ts). */
export function billingChecks(r: BillingBenchResult): Check[] {
  return [
    check("billing.wall", `billing:run, ${r.accounts.toLocaleString("en")} accounts × ${r.usageLines} lines`, r.single.wallSeconds, "s", "< 60 s", (v) => v < 60),
    check("billing.rate", "accounts billed per second", r.single.accountsPerSecond, "/s", "", null),
    check("billing.rss.peak", "billing:run peak RSS", r.single.rss.peakMb, "MB", "", null),
    check("billing.rss.growth", "RSS, last quarter − second quarter", r.single.rss.growthMb, "MB", "flat (< 32 MB)", (v) => v < 32),
    check("billing.exact", "one invoice per account, gapless", r.ok.singleExact ? 1 : 0, "", "yes", (v) => v === 1),
    check("billing.pair.wall", "two billing:run at once", r.pair.wallSeconds, "s", "", null),
    check("billing.pair.exact", "two at once: each invoice once, gapless", r.ok.pairExact ? 1 : 0, "", "yes", (v) => v === 1, `issued ${r.pair.facts.perRun.join(" + ")}`),
  ];
}

/** Drops and creates the database `name` on `adminUrl`'s server, migrates it and seeds accounts with usage in the month of `periodStart`; returns its URL. */
export async function freshBillingDatabase(adminUrl: string, name: string, accounts: number, usageLines: number, periodStart: string): Promise<string> {
  const admin = postgres(withDatabase(adminUrl, "postgres"), { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = withDatabase(adminUrl, name);
  const h = createPostgresHandle(url, 2);
  try {
    await migrate(h.db, "postgres");
    await seedBillingAccounts(h.db, { accounts, usageLines, period: periodStart });
    await h.db.execute(sql`analyze`);
  } finally {
    await h.close();
  }
  return url;
}
