/**
 * The account statement against a real database: for a period that ends today its closing
 * balance is the invoice list's Total outstanding less account credit (the demo account, then
 * after an overpayment and a credit note); for any period end it is the balance computed in SQL
 * on that day (fast-check); the PDF from the worker pool prints the same closing balance.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { accounts, invoices, paymentAllocations, payments } from "@/db/schema";
import { issueCreditNote } from "@/lib/billing/credit";
import { statementCsv, statementPdf } from "@/lib/billing/statement-output";
import { accountStatement } from "@/lib/billing/statement-history";
import { addDays } from "@/lib/dates";
import { invoiceSummary } from "@/lib/invoices/summary";
import { formatMoney } from "@/lib/money";
import { accountCreditMinor } from "@/lib/payments/credit";
import { closePdfPool } from "@/lib/pdf/render";
import { seedDemo } from "@/scripts/seed";
import { setupTestDatabase } from "../setup/db";

const TODAY = "2026-11-25";
const TZ = "Europe/Stockholm";
const { db } = await setupTestDatabase();
let demoId = "";

beforeAll(async () => {
  await seedDemo(db, TODAY);
  const all = await db.select({ id: accounts.id, name: accounts.name }).from(accounts);
  demoId = all.find((a) => a.name === "Example Cloud Customer AB")!.id;
});

afterAll(async () => {
  await closePdfPool();
});

async function outstandingLessCredit(): Promise<bigint> {
  const summary = await invoiceSummary(db, demoId, TODAY);
  return summary.outstandingMinor - (await accountCreditMinor(db, demoId));
}

/** The balance at the end of `day`, straight from the tables. */
async function balanceInSql(day: string): Promise<bigint> {
  const [r] = await rows<{ balance: string }>(
    db,
    sql`select (
      coalesce((select sum(case when type = 'invoice' then total_minor else -total_minor end) from invoices
        where account_id = ${demoId} and invoice_date <= ${day}::date), 0)
      - coalesce((select sum(amount_minor) from payments where account_id = ${demoId} and state = 'succeeded'
        and method <> 'account_credit' and (settled_at at time zone ${TZ})::date <= ${day}::date), 0))::text as balance`,
  );
  return BigInt(r!.balance);
}

describe("accountStatement", () => {
  it("closes a period ending today at Total outstanding less account credit (demo account)", async () => {
    const s = await accountStatement(db, demoId, "2026-01-01", TODAY, TZ);
    expect(s.rows.length).toBeGreaterThan(10);
    expect(s.closingMinor).toBe(await outstandingLessCredit());
    expect(s.outstandingMinor).toBe((await invoiceSummary(db, demoId, TODAY)).outstandingMinor);
  });

  it("still does after an overpaying bank transfer and a credit note", async () => {
    const [paid] = await db
      .select({ id: invoices.id })
      .from(invoices)
      .where(eq(invoices.accountId, demoId))
      .orderBy(invoices.invoiceDate)
      .limit(1);
    const settledAt = new Date(`${TODAY}T08:00:00Z`);
    const [p] = await db
      .insert(payments)
      .values({ accountId: demoId, provider: "bank_transfer", method: "bank_transfer", state: "succeeded", amountMinor: 7_500n, currency: "EUR", providerReference: "statement-test", createdAt: settledAt, settledAt })
      .returning({ id: payments.id });
    await db.insert(paymentAllocations).values({ paymentId: p!.id, invoiceId: paid!.id, amountMinor: 7_500n });
    const summary = await invoiceSummary(db, demoId, TODAY);
    const credited = await issueCreditNote(db, { number: String(summary.latest!.number), amount: "10.00", reason: "Statement test" }, { today: TODAY });
    expect(credited).toMatchObject({ ok: true });
    const s = await accountStatement(db, demoId, "2026-01-01", TODAY, TZ);
    expect(await accountCreditMinor(db, demoId)).toBeGreaterThan(0n);
    expect(s.accountCreditMinor).toBe(await accountCreditMinor(db, demoId));
    expect(s.closingMinor).toBe(await outstandingLessCredit());
  });

  it("closes any period at that day's balance, and opens at the day before's", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 0, max: 400 }), async (back, length) => {
        const to = addDays(TODAY, -back);
        const from = addDays(to, -length);
        const s = await accountStatement(db, demoId, from, to, TZ);
        expect(s.closingMinor).toBe(await balanceInSql(to));
        expect(s.openingMinor).toBe(await balanceInSql(addDays(from, -1)));
      }),
      { numRuns: 15 },
    );
  });

  it("prints the same rows and closing balance in the PDF and the CSV", async () => {
    const s = await accountStatement(db, demoId, "2026-01-01", TODAY, TZ);
    const file = path.join(os.tmpdir(), `cumulus-statement-${process.pid}.pdf`);
    fs.writeFileSync(file, await statementPdf(db, demoId, "2026-01-01", TODAY, TZ));
    try {
      const text = execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"], { encoding: "utf8" });
      expect(text).toContain("Account statement");
      expect(text).toMatch(new RegExp(`Closing balance\\s+${formatMoney(s.closingMinor, "EUR", "en").replace(/[.,]/g, "\\$&")}`));
      for (const r of s.rows.filter((x) => x.kind !== "payment")) expect(text).toContain(`${r.kind === "invoice" ? "Invoice" : "Credit note"} ${r.number}`);
    } finally {
      fs.rmSync(file, { force: true });
    }
    const csv = statementCsv(s, "EUR", "en").trimEnd().split("\r\n");
    expect(csv[0]).toBe("Date,Description,Amount (EUR),Balance (EUR)");
    expect(csv).toHaveLength(s.rows.length + 4);
    expect(csv[csv.length - 1]).toBe(`${TODAY},Closing balance,,${(Number(s.closingMinor) / 100).toFixed(2)}`);
  });
});
