/**
 * Ten times the billing (`npm run bench -- --only billing-100k`): 100,000 accounts × 30 usage
 * lines billed by one `billing:run` process, and 10,000 × 30 billed the same way in the same run
 * first, each on a database of its own (`cumulus_bench_billing_10k`, `cumulus_bench_billing_100k`,
 * dropped at the end). Reports the time ratio (linear: ≤ 10×) and the bigger run's RSS, sampled
 * every 100 ms: its peak, and its value at 10 % and at 90 % of the accounts done (read from the
 * progress lines billing:run writes to stderr), which stay level when nothing grows with the run.
 */
import postgres from "postgres";
import type { BillingFacts } from "@/scripts/lib/billing-facts";
import { previousPeriod } from "@/lib/billing/period";
import { accountToday } from "@/lib/dates";
import { PROVIDER_TIME_ZONE } from "@/lib/provider";
import { runScript } from "../lib/run-script";
import { factsOf, freshBillingDatabase, rssOf, withDatabase } from "./billing";
import { check, type Check } from "./report";

const MB = 1024 * 1024;

export type ScaleRun = {
  database: string;
  accounts: number;
  seedSeconds: number;
  wallSeconds: number;
  rssPeakMb: number;
  /** RSS when 10 % and 90 % of the accounts were done (median of the samples within 1 s). */
  rssAt10Mb: number;
  rssAt90Mb: number;
  facts: BillingFacts;
  exact: boolean;
};

export type Billing100kResult = { usageLines: number; period: string; small: ScaleRun; large: ScaleRun; timeRatio: number; accountsRatio: number };

type Sample = { t: number; value: number };

/** "4,250 / 10,000 accounts (42 %), …" lines of billing:run's progress, as (time, fraction done). */
function progressReader(started: number, into: Sample[]): (text: string) => void {
  let partial = "";
  return (text) => {
    const lines = (partial + text).split(/[\r\n]/);
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const m = /([\d,]+) \/ ([\d,]+) accounts/.exec(line.replace(/\x1b\[K/g, ""));
      if (!m) continue;
      const [done, total] = [Number(m[1]!.replaceAll(",", "")), Number(m[2]!.replaceAll(",", ""))];
      if (total > 0) into.push({ t: performance.now() - started, value: done / total });
    }
  };
}

/** When the run reached `fraction` of its accounts (linear between progress lines), or null. */
function timeAt(progress: Sample[], fraction: number): number | null {
  let prev: Sample = { t: 0, value: 0 };
  for (const p of progress) {
    if (p.value >= fraction) return p.value === prev.value ? p.t : prev.t + ((fraction - prev.value) / (p.value - prev.value)) * (p.t - prev.t);
    prev = p;
  }
  return null;
}

function rssNear(rss: Sample[], t: number | null): number {
  if (t === null) return NaN;
  const near = rss.filter((s) => Math.abs(s.t - t) <= 1000).map((s) => s.value).sort((a, b) => a - b);
  return near.length ? near[Math.floor(near.length / 2)]! / MB : NaN;
}

/** Seeds `accounts` into a new database `name`, bills it with one billing:run, reads what it left. */
async function billScale(adminUrl: string, name: string, accounts: number, usageLines: number, log: (line: string) => void): Promise<ScaleRun> {
  const period = previousPeriod(accountToday(PROVIDER_TIME_ZONE));
  log(`seeding ${accounts.toLocaleString("en")} accounts × ${usageLines} usage lines into ${name}…`);
  const seedStarted = performance.now();
  const url = await freshBillingDatabase(adminUrl, name, accounts, usageLines, period.start);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  log(`seeded in ${seedSeconds.toFixed(0)} s; billing:run…`);

  const started = performance.now();
  const progress: Sample[] = [];
  const rss: Sample[] = [];
  const child = runScript("scripts/billing-run.ts", ["--period", period.label], { DATABASE_URL: url }, { onStderr: progressReader(started, progress) });
  const timer = setInterval(() => {
    const v = child.pid ? rssOf(child.pid) : null;
    if (v !== null) rss.push({ t: performance.now() - started, value: v });
  }, 100);
  const r = await child.finally(() => clearInterval(timer));
  if (r.code !== 0) throw new Error(`billing:run on ${name} exited with ${r.code}:\n${r.stderr.slice(-2000)}\n${r.stdout.slice(-2000)}`);
  const facts = await factsOf(url, period.start);
  const run: ScaleRun = {
    database: name,
    accounts,
    seedSeconds,
    wallSeconds: r.ms / 1000,
    rssPeakMb: Math.max(0, ...rss.map((s) => s.value)) / MB,
    rssAt10Mb: rssNear(rss, timeAt(progress, 0.1)),
    rssAt90Mb: rssNear(rss, timeAt(progress, 0.9)),
    facts,
    exact: facts.invoices === accounts && facts.accountsWithOneInvoice === accounts && facts.accountsWithMore === 0 && facts.gapless && facts.emails === accounts,
  };
  log(
    `${facts.invoices.toLocaleString("en")} invoices in ${run.wallSeconds.toFixed(1)} s (${(accounts / run.wallSeconds).toFixed(0)} accounts/s), ` +
      `RSS peak ${run.rssPeakMb.toFixed(0)} MB, at 10 % ${run.rssAt10Mb.toFixed(0)} MB, at 90 % ${run.rssAt90Mb.toFixed(0)} MB`,
  );
  return run;
}

/** 10,000 then 100,000 accounts, one after the other on the same server; the databases dropped after. */
export async function benchBilling100k(o: { adminUrl: string; accounts?: number; usageLines?: number; keep?: boolean; log?: (line: string) => void }): Promise<Billing100kResult> {
  const large = o.accounts ?? 100_000;
  const small = Math.round(large / 10);
  const usageLines = o.usageLines ?? 30;
  const log = o.log ?? (() => {});
  const names = ["cumulus_bench_billing_10k", "cumulus_bench_billing_100k"] as const;
  try {
    const smallRun = await billScale(o.adminUrl, names[0], small, usageLines, log);
    const largeRun = await billScale(o.adminUrl, names[1], large, usageLines, log);
    return {
      usageLines,
      period: previousPeriod(accountToday(PROVIDER_TIME_ZONE)).label,
      small: smallRun,
      large: largeRun,
      timeRatio: largeRun.wallSeconds / smallRun.wallSeconds,
      accountsRatio: large / small,
    };
  } finally {
    if (!o.keep) {
      const admin = postgres(withDatabase(o.adminUrl, "postgres"), { max: 1, onnotice: () => {}, connect_timeout: 10 });
      for (const name of names) await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
      await admin.end({ timeout: 5 });
    }
  }
}

/** The figures as rows of the result table (scripts/bench/report.ts). */
export function billing100kChecks(r: Billing100kResult): Check[] {
  const n = (v: number) => v.toLocaleString("en");
  const { small, large } = r;
  return [
    check("billing100k.small.wall", `billing:run, ${n(small.accounts)} accounts × ${r.usageLines} lines`, small.wallSeconds, "s", "", null, `${(small.accounts / small.wallSeconds).toFixed(0)} accounts/s`),
    check("billing100k.large.wall", `billing:run, ${n(large.accounts)} accounts × ${r.usageLines} lines`, large.wallSeconds, "s", "", null, `${(large.accounts / large.wallSeconds).toFixed(0)} accounts/s`),
    check("billing100k.ratio", `time ${n(large.accounts)} / ${n(small.accounts)} accounts`, r.timeRatio, "×", `≤ ${r.accountsRatio}× (linear)`, (v) => v <= r.accountsRatio),
    check("billing100k.rss.peak", `billing:run peak RSS, ${n(large.accounts)} accounts`, large.rssPeakMb, "MB", "", null, `${n(small.accounts)}: ${small.rssPeakMb.toFixed(0)} MB`),
    check(
      "billing100k.rss.growth",
      "RSS at 90 % of the accounts − at 10 %",
      large.rssAt90Mb - large.rssAt10Mb,
      "MB",
      "flat (< 32 MB)",
      (v) => v < 32,
      `${large.rssAt10Mb.toFixed(0)} → ${large.rssAt90Mb.toFixed(0)} MB`,
    ),
    check("billing100k.exact", "one invoice per account, gapless (both runs)", small.exact && large.exact ? 1 : 0, "", "yes", (v) => v === 1),
  ];
}

/** The bench step: on databases of their own next to the bench database. */
export async function billing100kPhase(adminUrl: string, details: Record<string, unknown>, log: (line: string) => void): Promise<Check[]> {
  log("ten times the billing (scripts/bench/billing-100k.ts): 10,000 accounts, then 100,000, one billing:run each…");
  const r = await benchBilling100k({ adminUrl, log: (line) => log(`  ${line}`) });
  details.billing100k = r;
  return billing100kChecks(r);
}
