/**
 * The billing run under real concurrency and crashes, on PostgreSQL only (PGlite is one
 * connection in one process): two runs at once — in one process on two connection pools, and as
 * two `billing:run` processes — issue each invoice once with gapless numbers; a `billing:run`
 * process killed with SIGKILL in the middle leaves whole batches only, and the next run bills
 * the rest, every account ending with exactly one invoice and one invoice email.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createPostgresHandle, rows, type Database } from "@/db/client";
import { parsePeriod } from "@/lib/billing/period";
import { runBilling } from "@/lib/billing/run";
import { billingFacts } from "@/scripts/lib/billing-facts";
import { seedBillingAccounts } from "@/scripts/seed/billing-accounts";
import { resetTables, setupTestDatabase } from "../setup/db";
import { nextInvoiceNumber, runScript } from "./billing-fixtures";

const { db, kind, url } = await setupTestDatabase();
const OCTOBER = parsePeriod("2026-10");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function expectEveryAccountBilledOnce(accounts: number) {
  const f = await billingFacts(db, OCTOBER.start);
  expect(f).toMatchObject({
    accountsWithUsage: accounts,
    invoices: accounts,
    accountsWithOneInvoice: accounts,
    accountsWithMore: 0,
    lines: accounts * 12,
    emails: accounts,
    gapless: true,
  });
  // The sequence continues right after the last number: nothing was taken and lost.
  expect(await nextInvoiceNumber(db)).toBe(f.lastNumber! + 1);
  const dupMails = await rows<{ n: string }>(
    db,
    sql`select count(*)::text as n from (select invoice_id from email_outbox where kind = 'invoice' group by invoice_id having count(*) > 1) d`,
  );
  expect(dupMails[0]!.n).toBe("0");
  return f;
}

describe.runIf(kind === "postgres")("billing runs at once and after a crash (PostgreSQL)", () => {
  const others: { close: () => Promise<void> }[] = [];
  afterAll(async () => {
    for (const o of others) await o.close();
  });
  function secondPool(): Database {
    const h = createPostgresHandle(url!, 4);
    others.push(h);
    return h.db;
  }

  beforeEach(async () => {
    await resetTables(db);
  });

  it("two runs started at once in one process, on two connection pools, issue each invoice once", async () => {
    await seedBillingAccounts(db, { accounts: 120, usageLines: 12, period: OCTOBER.start });
    const other = secondPool();
    const [a, b] = await Promise.all([
      runBilling(db, { period: OCTOBER, today: "2026-11-01", batchSize: 7 }),
      runBilling(other, { period: OCTOBER, today: "2026-11-01", batchSize: 7 }),
    ]);
    expect(a.invoicesIssued + b.invoicesIssued).toBe(120);
    expect(a.invoicesIssued + a.alreadyInvoiced + a.notBilled).toBe(120);
    expect(b.invoicesIssued + b.alreadyInvoiced + b.notBilled).toBe(120);
    const f = await expectEveryAccountBilledOnce(120);
    expect(f.perRun.reduce((x, y) => x + y, 0)).toBe(120);
  });

  it("two billing:run processes started at once issue each invoice once, numbers gapless", async () => {
    await seedBillingAccounts(db, { accounts: 300, usageLines: 12, period: OCTOBER.start });
    const args = ["--period", "2026-10", "--today", "2026-11-01", "--batch-size", "10"];
    const [a, b] = await Promise.all([runScript("scripts/billing-run.ts", args, url!), runScript("scripts/billing-run.ts", args, url!)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const f = await expectEveryAccountBilledOnce(300);
    expect(f.perRun).toHaveLength(2);
    expect(f.perRun[0]! + f.perRun[1]!).toBe(300);
    for (const out of [a.stdout, b.stdout]) expect(out).toMatch(/Billing 2026-10 completed in/);
  }, 120_000);

  it("a billing:run killed with SIGKILL in the middle is resumed by the next run: every account ends with exactly one invoice", async () => {
    const accounts = 800;
    await seedBillingAccounts(db, { accounts, usageLines: 12, period: OCTOBER.start });
    const args = ["--period", "2026-10", "--today", "2026-11-01", "--batch-size", "4"];
    const victim = runScript("scripts/billing-run.ts", args, url!);
    // Wait until some batches have committed, then kill the process without warning.
    let issuedAtKill = 0;
    for (let waited = 0; waited < 60_000; waited += 10) {
      const [r] = await rows<{ n: string }>(db, sql`select coalesce(sum(invoices_issued), 0)::text as n from billing_runs`);
      issuedAtKill = Number(r!.n);
      if (issuedAtKill >= 40) break;
      await sleep(10);
    }
    victim.kill("SIGKILL");
    const killed = await victim;
    expect(killed.code).toBeNull(); // ended by the signal, not by itself

    // Whole batches only: every invoice there has its lines and its email, numbers have no gap.
    const partial = await billingFacts(db, OCTOBER.start);
    expect(partial.invoices).toBeGreaterThanOrEqual(40);
    expect(partial.invoices).toBeLessThan(accounts);
    expect(partial.invoices % 4).toBe(0);
    expect(partial).toMatchObject({ accountsWithMore: 0, lines: partial.invoices * 12, emails: partial.invoices, gapless: true });
    expect(await nextInvoiceNumber(db)).toBe(partial.lastNumber! + 1);
    const [stale] = await rows<{ status: string }>(db, sql`select status::text as status from billing_runs`);
    expect(stale!.status).toBe("running");

    const resumed = await runScript("scripts/billing-run.ts", args, url!);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`already invoiced\\s+${partial.invoices} `));
    expect(resumed.stdout).toMatch(/earlier runs closed\s+1 /);
    const f = await expectEveryAccountBilledOnce(accounts);
    expect(f.perRun).toEqual([partial.invoices, accounts - partial.invoices]);
    const statuses = await rows<{ status: string }>(db, sql`select status::text as status from billing_runs order by started_at`);
    expect(statuses.map((s) => s.status)).toEqual(["failed", "completed"]);
  }, 180_000);
});
