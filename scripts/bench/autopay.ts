/**
 * The automatic payment run at scale, on PostgreSQL with the sandbox provider: 10,000 accounts
 * with automatic payment on, a saved card and one invoice due on the run's day, charged by one
 * `payments:autopay` process (wall time, its RSS sampled every 100 ms); then every invoice must
 * be paid by exactly one charge, and a second run must charge nothing.
 *
 * `benchAutopay()` creates (drops first) the database `cumulus_bench_autopay` on the server of
 * `adminUrl` and drops it at the end unless `keep` is set.
 */
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createPostgresHandle, migrate } from "@/db/client";
import { autopayFacts, type AutopayFacts } from "@/scripts/lib/autopay-facts";
import { seedAutopayAccounts } from "@/scripts/seed/autopay-accounts";
import { runSampledChild, type ChildRun } from "./billing";
import { check, type Check } from "./report";

const DAY = "2026-12-01";

export type AutopayBenchResult = {
  invoices: number;
  seedSeconds: number;
  run: ChildRun & { invoicesPerSecond: number };
  facts: AutopayFacts;
  /** What a second run on the same day charged (must be nothing). */
  secondRunCharges: number;
  ok: { underSixtySeconds: boolean; memoryFlat: boolean; eachOnce: boolean };
};


export async function benchAutopay(o: { adminUrl: string; invoices?: number; keep?: boolean; log?: (line: string) => void }): Promise<AutopayBenchResult> {
  const count = o.invoices ?? 10_000;
  const log = o.log ?? (() => {});
  const name = "cumulus_bench_autopay";
  const url = new URL(o.adminUrl);
  url.pathname = `/${name}`;
  const admin = postgres(o.adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
    const h = createPostgresHandle(url.toString(), 2);
    try {
      log(`seeding ${count.toLocaleString("en")} accounts with a saved card and an invoice due ${DAY}…`);
      const seedStarted = performance.now();
      await migrate(h.db, "postgres");
      await seedAutopayAccounts(h.db, { accounts: count, dueDate: DAY });
      await h.db.execute(sql`analyze`);
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      log(`seeded in ${seedSeconds.toFixed(1)} s; one payments:autopay process…`);
      const run = await runSampledChild("scripts/payments-autopay.ts", url.toString(), ["--today", DAY]);
      if (run.exitCode !== 0) throw new Error(`payments:autopay exited with ${run.exitCode}:\n${run.stderr}\n${run.stdout}`);
      const facts = await autopayFacts(h.db);
      log(`${facts.succeededAttempts.toLocaleString("en")} charged in ${run.wallSeconds.toFixed(1)} s, RSS peak ${run.rss.peakMb.toFixed(0)} MB (${run.rss.earlyMb.toFixed(0)} → ${run.rss.lateMb.toFixed(0)} MB)`);
      const again = await runSampledChild("scripts/payments-autopay.ts", url.toString(), ["--today", DAY]);
      const secondRunCharges = (await autopayFacts(h.db)).charges - facts.charges;
      log(`a second run: ${secondRunCharges} more charges (${again.wallSeconds.toFixed(1)} s)`);
      const eachOnce = facts.paid === count && facts.charges === count && facts.succeededAttempts === count && facts.invoicesChargedTwice === 0 && secondRunCharges === 0;
      return {
        invoices: count,
        seedSeconds,
        run: { ...run, stdout: run.stdout.trim(), stderr: "", invoicesPerSecond: count / run.wallSeconds },
        facts,
        secondRunCharges,
        ok: { underSixtySeconds: run.wallSeconds < 60, memoryFlat: run.rss.growthMb < 32, eachOnce },
      };
    } finally {
      await h.close();
      if (!o.keep) await admin.unsafe(`drop database if exists "${name}" with (force)`);
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** The figures as rows of the result table (scripts/bench/report.ts). */
export function autopayChecks(r: AutopayBenchResult): Check[] {
  const f = r.facts;
  return [
    check("autopay.wall", `payments:autopay, ${r.invoices.toLocaleString("en")} due invoices`, r.run.wallSeconds, "s", "< 60 s", (v) => v < 60),
    check("autopay.rate", "invoices charged per second", r.run.invoicesPerSecond, "/s", "", null),
    check("autopay.rss.peak", "payments:autopay peak RSS", r.run.rss.peakMb, "MB", "", null),
    check("autopay.rss.growth", "RSS, last quarter − second quarter", r.run.rss.growthMb, "MB", "flat (< 32 MB)", (v) => v < 32),
    check("autopay.exact", "each invoice paid by one charge; a second run charges none", r.ok.eachOnce ? 1 : 0, "", "yes", (v) => v === 1, `${f.paid} paid, ${f.charges} charges, ${f.receipts} receipts, ${r.secondRunCharges} more on a second run`),
  ];
}
