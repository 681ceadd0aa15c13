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
import { createPostgresHandle, migrate, rows, type Database } from "@/db/client";
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

type AutopayFacts = { paid: number; charges: number; succeededAttempts: number; invoicesChargedTwice: number; receipts: number };

/** Accounts as the panel keeps them after a card was saved and automatic payment turned on, each with one invoice due on DAY. */
async function seed(db: Database, count: number): Promise<void> {
  await db.execute(sql`
    with a as (
      insert into accounts (kind, name, country_code, currency, street, zip_code, city, automatic_payment)
      select 'company', 'Autopay Bench ' || g, 'SE', 'EUR', 'Benchgatan 1', '11122', 'Stockholm', true from generate_series(1, ${count}::int) g
      returning id, name),
    m as (
      insert into sandbox_payment_methods (id, brand, last4, exp_month, exp_year, behaviour)
      select md5(a.id::text)::uuid, 'Visa', '4242', 12, 2099, 'succeeds' from a returning id),
    c as (
      insert into saved_cards (account_id, provider, provider_reference, brand, last4, exp_month, exp_year)
      select a.id, 'sandbox', md5(a.id::text)::uuid::text, 'Visa', '4242', 12, 2099 from a returning account_id),
    e as (
      insert into contact_emails (account_id, email, verified_at, is_billing)
      select a.id, 'billing-' || a.id || '@example.com', now(), true from a returning account_id)
    insert into invoices (account_id, number, type, period_start, period_end, invoice_date, due_date, currency, language,
      vat_category, net_minor, vat_minor, total_minor, customer, payment_reference)
    select a.id, 9000000 + row_number() over (order by a.id), 'invoice', '2026-10-01', '2026-10-31', '2026-11-01', ${DAY}::date, 'EUR', 'en',
      'standard', 10000, 2500, 12500,
      jsonb_build_object('name', a.name, 'careOf', null, 'street', 'Benchgatan 1', 'zipCode', '11122', 'city', 'Stockholm',
                         'countryCode', 'SE', 'organisationNumber', null, 'vatNumber', null, 'purchaseOrder', null),
      'AUTOPAY-BENCH-' || a.id
    from a`);
  await db.execute(sql`analyze`);
}

async function factsOf(db: Database): Promise<AutopayFacts> {
  const [f] = await rows<Record<keyof AutopayFacts, string>>(
    db,
    sql`select
      (select count(*) from invoices i where i.total_minor = (select coalesce(sum(pa.amount_minor), 0) from payment_allocations pa
         join payments p on p.id = pa.payment_id and p.state = 'succeeded' where pa.invoice_id = i.id))::text as "paid",
      (select count(*) from sandbox_checkouts)::text as "charges",
      (select count(*) from autopay_attempts where outcome = 'succeeded')::text as "succeededAttempts",
      (select count(*) from (select pa.invoice_id from payment_allocations pa group by pa.invoice_id having count(*) > 1) t)::text as "invoicesChargedTwice",
      (select count(*) from email_outbox where kind = 'payment_receipt')::text as "receipts"`,
  );
  return Object.fromEntries(Object.entries(f!).map(([k, v]) => [k, Number(v)])) as AutopayFacts;
}

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
      await seed(h.db, count);
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      log(`seeded in ${seedSeconds.toFixed(1)} s; one payments:autopay process…`);
      const run = await runSampledChild("scripts/payments-autopay.ts", url.toString(), ["--today", DAY]);
      if (run.exitCode !== 0) throw new Error(`payments:autopay exited with ${run.exitCode}:\n${run.stderr}\n${run.stdout}`);
      const facts = await factsOf(h.db);
      log(`${facts.succeededAttempts.toLocaleString("en")} charged in ${run.wallSeconds.toFixed(1)} s, RSS peak ${run.rss.peakMb.toFixed(0)} MB (${run.rss.earlyMb.toFixed(0)} → ${run.rss.lateMb.toFixed(0)} MB)`);
      const again = await runSampledChild("scripts/payments-autopay.ts", url.toString(), ["--today", DAY]);
      const secondRunCharges = (await factsOf(h.db)).charges - facts.charges;
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
