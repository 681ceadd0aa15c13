/**
 * `payments:autopay` under real concurrency and crashes, on PostgreSQL only (PGlite is one
 * connection in one process): two processes started at once, and a process killed with SIGKILL
 * in the middle and started again, charge each due invoice exactly once.
 */
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { autopayFacts } from "@/scripts/lib/autopay-facts";
import { seedAutopayAccounts } from "@/scripts/seed/autopay-accounts";
import { resetTables, setupTestDatabase } from "../setup/db";
import { runScript } from "./billing-fixtures";

const { db, kind, url } = await setupTestDatabase();
const DAY = "2026-12-01";
const args = ["--today", DAY];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function expectEachChargedOnce(invoices: number) {
  expect(await autopayFacts(db)).toEqual({ paid: invoices, charges: invoices, succeededAttempts: invoices, invoicesChargedTwice: 0, receipts: invoices });
  const [dup] = await rows<{ n: string }>(db, sql`select count(*)::text as n from (select merchant_reference from sandbox_checkouts group by 1 having count(*) > 1) d`);
  expect(dup!.n).toBe("0");
}

describe.runIf(kind === "postgres")("payments:autopay at once and after a crash (PostgreSQL)", () => {
  beforeEach(async () => {
    await resetTables(db);
  });

  it("two processes started at once charge each invoice once", async () => {
    await seedAutopayAccounts(db, { accounts: 200, dueDate: DAY });
    const [a, b] = await Promise.all([runScript("scripts/payments-autopay.ts", args, url!), runScript("scripts/payments-autopay.ts", args, url!)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    await expectEachChargedOnce(200);
  }, 180_000);

  it("a process killed with SIGKILL in the middle, then started again, charges nothing twice", async () => {
    const accounts = 500;
    await seedAutopayAccounts(db, { accounts, dueDate: DAY });
    const victim = runScript("scripts/payments-autopay.ts", args, url!);
    for (let waited = 0; waited < 120_000; waited += 10) {
      const [r] = await rows<{ n: string }>(db, sql`select count(*)::text as n from autopay_attempts`);
      if (Number(r!.n) >= 40) break;
      await sleep(10);
    }
    victim.kill("SIGKILL");
    expect((await victim).code).toBeNull();
    const [partial] = await rows<{ attempts: string; open: string }>(db, sql`select count(*)::text as attempts, count(*) filter (where outcome = 'open')::text as open from autopay_attempts`);
    expect(Number(partial!.attempts)).toBeLessThan(accounts);

    // What the killed run left open is another run's to resolve once it is old enough (not at once).
    await db.execute(sql`update autopay_attempts set updated_at = now() - interval '5 minutes' where outcome = 'open'`);
    const resumed = await runScript("scripts/payments-autopay.ts", args, url!);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`${partial!.open} open attempts resolved`));
    await expectEachChargedOnce(accounts);
  }, 240_000);
});
