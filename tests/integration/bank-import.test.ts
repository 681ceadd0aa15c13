/**
 * Bank transfers from a CSV statement: exact, partial and over-payments, lines that cannot be
 * matched (each with its reason), a transfer for an invoice already paid (all of it becomes
 * account credit), and importing the same statement twice, which settles nothing twice.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { auditEvents, paymentAllocations, payments } from "@/db/schema";
import { toDecimalString } from "@/lib/money";
import { BankStatementError, importBankStatement, parseStatement, parseStatementAmount } from "@/lib/payments/bank-import";
import { accountCreditMinor } from "@/lib/payments/credit";
import { paymentReferenceFor } from "@/lib/reference";
import { runScript } from "@/scripts/lib/run-script";
import { setupTestDatabase } from "../setup/db";
import { freshDemo, invoiceFacts, type InvoiceFacts } from "./helpers";

const TODAY = "2026-11-25";
const { db, kind, url } = await setupTestDatabase();

let accountId = "";
let otherAccountId = "";
let facts: InvoiceFacts[] = [];

beforeEach(async () => {
  ({ accountId, otherAccountId } = await freshDemo(db, TODAY));
  facts = await invoiceFacts(db);
});

const eur = (minor: bigint) => toDecimalString(minor, "EUR");
const ours = () => facts.filter((f) => f.account === "Example Cloud Customer AB");
const outstanding = async () => new Map((await invoiceFacts(db)).map((f) => [f.number, f.outstandingMinor]));

/** A statement touching every case; returns it with the invoices it is about. */
function statement() {
  const owed = ours().filter((f) => f.outstandingMinor > 0n).sort((a, b) => a.number - b.number);
  // Oldest first: the partly paid one, the overdue one, last month's.
  const [partlyPaid, overdue, latest] = owed as [InvoiceFacts, InvoiceFacts, InvoiceFacts];
  const paid = ours().find((f) => f.outstandingMinor === 0n)!;
  const foreign = facts.find((f) => f.account === "Other Tenant Oy" && f.outstandingMinor > 0n)!;
  const wrongDigit = latest.paymentReference.slice(0, -1) + String((Number(latest.paymentReference.at(-1)) + 1) % 10);
  const half = overdue.outstandingMinor / 2n;
  // Windows line ends, an extra column (ignored) and the optional currency column.
  const csv = [
    "date,amount,reference,description,currency",
    `2026-11-20,${eur(latest.outstandingMinor)},${latest.paymentReference},exact,`,
    `2026-11-20,${eur(half)},${overdue.paymentReference},partial,EUR`,
    `2026-11-21,${eur(partlyPaid.outstandingMinor + 10000n)},${partlyPaid.paymentReference},overpaid by 100.00,`,
    `2026-11-21,${eur(latest.outstandingMinor)},${wrongDigit},mistyped reference,`,
    `2026-11-21,50.00,${paymentReferenceFor(999999)},no such invoice,`,
    `2026-11-22,"12,50",${paid.paymentReference},garbage amount,`,
    `2026-11-22,10.001,${paid.paymentReference},too many decimals,`,
    `2026-11-22,25.00,${paid.paymentReference},already paid,`,
    `2026-11-22,5.00,${foreign.paymentReference},another account's invoice,`,
    `2026-11-23,5.00,${foreign.paymentReference},two identical transfers on one day,`,
    `2026-11-23,5.00,${foreign.paymentReference},two identical transfers on one day,`,
    `2026-11-23,5.00,${foreign.paymentReference},wrong currency,SEK`,
    `2026-13-40,5.00,${foreign.paymentReference},bad date,`,
  ].join("\r\n");
  return { csv, partlyPaid, overdue, latest, paid, foreign, half };
}

async function moneyState() {
  const [p] = await rows<{ n: string; sum: string }>(db, sql`select count(*)::text as n, coalesce(sum(amount_minor), 0)::text as sum from payments`);
  const [a] = await rows<{ n: string; sum: string }>(db, sql`select count(*)::text as n, coalesce(sum(amount_minor), 0)::text as sum from payment_allocations`);
  return {
    payments: p,
    allocations: a,
    outstanding: [...(await outstanding()).entries()],
    credit: [await accountCreditMinor(db, accountId), await accountCreditMinor(db, otherAccountId)],
    received: await db.$count(auditEvents, eq(auditEvents.action, "payment.bank_transfer_received")),
    creditAdded: await db.$count(auditEvents, eq(auditEvents.action, "account_credit.added")),
  };
}

describe("importBankStatement", () => {
  it("settles exact, partial and over-payments; reports every line it cannot match, with the reason", async () => {
    const s = statement();
    const started = performance.now();
    const report = await importBankStatement(db, s.csv, { source: "statement.csv" });
    console.log(`imported ${report.lines.length} statement lines in ${(performance.now() - started).toFixed(0)} ms`);

    const by = (line: number) => report.lines.find((l) => l.line === line)!;
    expect(by(2)).toMatchObject({ status: "settled", invoiceNumber: s.latest.number, allocatedMinor: s.latest.outstandingMinor, creditMinor: 0n });
    expect(by(3)).toMatchObject({ status: "settled", invoiceNumber: s.overdue.number, allocatedMinor: s.half, creditMinor: 0n });
    expect(by(3).message).toMatch(/partly paid/);
    expect(by(4)).toMatchObject({ status: "settled", invoiceNumber: s.partlyPaid.number, allocatedMinor: s.partlyPaid.outstandingMinor, creditMinor: 10000n });
    expect(by(4).message).toMatch(/100\.00 EUR overpaid became account credit/);
    expect(by(5)).toMatchObject({ status: "unmatched", reason: "bad_check_digit" });
    expect(by(5).message).toContain(`invoice ${s.latest.number} has reference ${s.latest.paymentReference}`);
    expect(by(6)).toMatchObject({ status: "unmatched", reason: "unknown_reference" });
    expect(by(7)).toMatchObject({ status: "unmatched", reason: "unparsable_amount" });
    expect(by(8)).toMatchObject({ status: "unmatched", reason: "unparsable_amount" });
    expect(by(9)).toMatchObject({ status: "credited", invoiceNumber: s.paid.number, amountMinor: 2500n, creditMinor: 2500n });
    expect(by(9).message).toMatch(/already paid: the whole 25\.00 EUR became account credit/);
    expect(by(10)).toMatchObject({ status: "settled", invoiceNumber: s.foreign.number, allocatedMinor: 500n });
    expect(by(11)).toMatchObject({ status: "settled", allocatedMinor: 500n });
    expect(by(12)).toMatchObject({ status: "settled", allocatedMinor: 500n });
    expect(by(13)).toMatchObject({ status: "unmatched", reason: "currency_mismatch" });
    expect(by(14)).toMatchObject({ status: "unmatched", reason: "bad_date" });
    expect(report.counts).toEqual({ settled: 6, credited: 1, already_imported: 0, unmatched: 6 });

    const after = await outstanding();
    expect(after.get(s.latest.number)).toBe(0n);
    expect(after.get(s.overdue.number)).toBe(s.overdue.outstandingMinor - s.half);
    expect(after.get(s.partlyPaid.number)).toBe(0n); // never negative: the rest is credit
    expect(after.get(s.paid.number)).toBe(0n);
    expect(after.get(s.foreign.number)).toBe(s.foreign.outstandingMinor - 1500n);
    for (const v of after.values()) expect(v).toBeGreaterThanOrEqual(0n);
    expect(await accountCreditMinor(db, accountId)).toBe(10000n + 2500n);
    expect(await accountCreditMinor(db, otherAccountId)).toBe(0n);

    // Payments are the statement's: on its date, succeeded, the transfer's full amount.
    const [overpaid] = await db.select().from(payments).where(eq(payments.id, (by(4) as { paymentId: string }).paymentId));
    expect(overpaid).toMatchObject({ provider: "bank_transfer", method: "bank_transfer", state: "succeeded", amountMinor: s.partlyPaid.outstandingMinor + 10000n, currency: "EUR", accountId });
    expect(overpaid!.settledAt!.toISOString().slice(0, 10)).toBe("2026-11-21");
    const [alloc] = await db.select().from(paymentAllocations).where(eq(paymentAllocations.paymentId, overpaid!.id));
    expect(alloc!.amountMinor).toBe(s.partlyPaid.outstandingMinor);

    // Audit: one row per payment, one per credit, one for the run (with the unmatched lines).
    expect(await db.$count(auditEvents, eq(auditEvents.action, "payment.bank_transfer_received"))).toBe(7);
    expect(await db.$count(auditEvents, eq(auditEvents.action, "account_credit.added"))).toBe(2);
    const [run] = await db.select().from(auditEvents).where(eq(auditEvents.action, "bank_statement.imported"));
    expect(run!.entityId).toBe("statement.csv");
    expect((run!.after as { unmatched: unknown[] }).unmatched).toHaveLength(6);
  });

  it("importing the same statement twice changes nothing the second time", async () => {
    const s = statement();
    await importBankStatement(db, s.csv);
    const first = await moneyState();
    const again = await importBankStatement(db, s.csv);
    expect(again.counts).toEqual({ settled: 0, credited: 0, already_imported: 7, unmatched: 6 });
    expect(await moneyState()).toEqual(first);
    // A later statement overlapping this one: its old lines are recognised, its new line is settled.
    const overlapping = s.csv.split("\r\n").slice(0, 3).join("\n") + `\n2026-11-24,1.00,${s.overdue.paymentReference},new,`;
    const third = await importBankStatement(db, overlapping);
    expect(third.counts).toEqual({ settled: 1, credited: 0, already_imported: 2, unmatched: 0 });
    expect((await outstanding()).get(s.overdue.number)).toBe(s.overdue.outstandingMinor - s.half - 100n);
  });

  it("reads ';'-separated files and amounts exactly; refuses a file that is not a statement", () => {
    const lines = parseStatement("\uFEFFDate;Amount;Reference\n2026-11-20;1234.50;12345\n\n");
    expect(lines).toEqual([{ line: 2, date: "2026-11-20", amount: "1234.50", reference: "12345", currency: null }]);
    expect(parseStatementAmount("1234.56", "EUR")).toBe(123456n);
    expect(parseStatementAmount("1234.5", "EUR")).toBe(123450n);
    expect(parseStatementAmount("0.10", "EUR")).toBe(10n);
    expect(parseStatementAmount("1234", "JPY")).toBe(1234n);
    expect(parseStatementAmount("1234.5", "JPY")).toBeNull();
    expect(parseStatementAmount("1.234", "KWD")).toBe(1234n);
    for (const bad of ["", "abc", "12,50", "-5.00", "1e3", "0.00", "1.005", " 1.00x", "NaN", "Infinity"]) expect(parseStatementAmount(bad, "EUR")).toBeNull();
    expect(() => parseStatement("")).toThrow(BankStatementError);
    expect(() => parseStatement("date,amount\n2026-11-20,1.00")).toThrow(/missing: reference/);
    expect(() => parseStatement('date,amount,reference\n2026-11-20,"1.00,12345')).toThrow(/not a readable CSV/);
    expect(() => parseStatement("date,amount,reference\n2026-11-20,1.00,12345,extra")).toThrow(BankStatementError);
  });
});

describe("npm run payments:import", () => {
  const run = (args: string[], env: Record<string, string>) => runScript("scripts/payments-import.ts", args, env, { timeoutMs: 60_000 });

  it("prints a summary, and exits non-zero only for a bad file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cumulus-import-"));
    try {
      const bad = path.join(dir, "bad.csv");
      fs.writeFileSync(bad, "when,how much\n2026-11-20,1.00\n");
      const r1 = await run([bad], {});
      expect(r1.code).not.toBe(0);
      expect(r1.stderr).toMatch(/must name the columns date, amount and reference/);
      expect((await run([path.join(dir, "missing.csv")], {})).code).not.toBe(0);

      // The real run needs this file's seeded database from another process: PostgreSQL only
      // (an in-memory PGlite belongs to this process; an empty embedded one would prove little).
      if (kind === "postgres") {
        const good = path.join(dir, "statement.csv");
        fs.writeFileSync(good, statement().csv);
        const started = performance.now();
        const r2 = await run([good], { DATABASE_URL: url! });
        console.log(`payments:import CLI in ${(performance.now() - started).toFixed(0)} ms`);
        expect(r2.stderr).toBe("");
        expect(r2.code).toBe(0);
        expect(r2.stdout).toMatch(/13 lines: 6 settled, 1 became account credit \(invoice already paid\), 0 already imported, 6 not matched/);
        expect(r2.stdout).toMatch(/NOT MATCHED \(bad check digit\)/);
        expect(r2.stdout).toMatch(/New account credit: 125\.00 EUR/);
        const r3 = await run([good], { DATABASE_URL: url! });
        expect(r3.code).toBe(0);
        expect(r3.stdout).toMatch(/0 settled, 0 became account credit \(invoice already paid\), 7 already imported/);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
