/**
 * The demo seed (docs/product.md, "The demo data"), checked with SQL of its
 * own rather than the seed's code: outstanding amounts are computed here from payments.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, rows, type Database } from "@/db/client";
import { FIRST_INVOICE_NUMBER } from "@/lib/invoices/numbers";
import { DEMO_PASSWORD, isDatabaseEmpty, seedDemo } from "@/scripts/seed";
import { addDays, addMonths, endOfMonth, startOfMonth } from "@/lib/dates";
import { computeTotals, lineAmountMinor } from "@/lib/money";
import { verifyPassword } from "@/lib/passwords";
import { parsePaymentReference } from "@/lib/reference";
import { createTestDatabase, resetTables, setupTestDatabase } from "../setup/db";
import { count, invoiceFacts, isGapless, lineFacts, type InvoiceFacts } from "./helpers";

const TODAY = "2026-11-25";
const CUSTOMER = "Example Cloud Customer AB";
const OTHER = "Other Tenant Oy";

const { db } = await setupTestDatabase();

/**
 * docs/product.md: all paid except last month's (outstanding, not yet due), the month before
 * (outstanding and overdue) and the one before that (partly paid, overdue).
 */
function expectThreeUnpaid(invoices: InvoiceFacts[], today: string) {
  const thisMonth = startOfMonth(today);
  const [last, before, third] = [0, -1, -2].map((m) => addMonths(thisMonth, m));
  const byDate = new Map(invoices.map((i) => [i.invoiceDate, i]));
  expect(byDate.size).toBe(invoices.length); // one invoice per month

  const notYetDue = byDate.get(last!)!;
  expect(notYetDue, `invoice dated ${last}`).toBeDefined();
  expect(notYetDue.outstandingMinor).toBe(notYetDue.totalMinor);
  expect(notYetDue.dueDate >= today).toBe(true);

  const overdue = byDate.get(before!)!;
  expect(overdue, `invoice dated ${before}`).toBeDefined();
  expect(overdue.outstandingMinor).toBe(overdue.totalMinor);
  expect(overdue.dueDate < today).toBe(true);

  const partly = byDate.get(third!)!;
  expect(partly, `invoice dated ${third}`).toBeDefined();
  expect(partly.outstandingMinor > 0n).toBe(true);
  expect(partly.outstandingMinor < partly.totalMinor).toBe(true);
  expect(partly.dueDate < today).toBe(true);

  const others = invoices.filter((i) => ![last, before, third].includes(i.invoiceDate));
  expect(others.length).toBe(invoices.length - 3);
  for (const i of others) expect(i.outstandingMinor, `invoice ${i.number} (${i.invoiceDate})`).toBe(0n);
}

describe("seedDemo on a fresh database", () => {
  let invoices: InvoiceFacts[];

  beforeAll(async () => {
    expect(await isDatabaseEmpty(db)).toBe(true);
    expect(await seedDemo(db, TODAY)).toEqual({ accounts: 2, invoices: 36 });
    invoices = await invoiceFacts(db);
  });

  it("is what getDb() returns: the test file's database", async () => {
    expect(getDb()).toBe(db);
    expect(await isDatabaseEmpty(getDb())).toBe(false);
  });

  it("creates the customer account with 24 monthly invoices for the last 24 full months", async () => {
    const [account] = await rows<Record<string, string>>(
      db,
      sql`select kind::text as kind, country_code::text as country, currency::text as currency from accounts where name = ${CUSTOMER}`,
    );
    expect(account).toEqual({ kind: "company", country: "SE", currency: "EUR" });
    const mine = invoices.filter((i) => i.account === CUSTOMER);
    expect(mine).toHaveLength(24);
    const expectedDates = Array.from({ length: 24 }, (_, k) => addMonths(TODAY, k - 23));
    expect(mine.map((i) => i.invoiceDate).sort()).toEqual(expectedDates);
    expect(expectedDates[0]).toBe("2024-12-01");
    expect(expectedDates[23]).toBe("2026-11-01");
    for (const i of mine) {
      expect(i.periodStart).toBe(addMonths(i.invoiceDate, -1));
      expect(i.periodEnd).toBe(endOfMonth(i.periodStart));
      expect(i.periodEnd).toBe(addDays(i.invoiceDate, -1));
      expect(i.dueDate >= i.invoiceDate).toBe(true);
      expect(i.currency).toBe("EUR");
      expect(i.vatCategory).toBe("standard");
      expect(i.type).toBe("invoice");
    }
  });

  it("charges Swedish VAT of 25 % to the customer and none (reverse charge) to the Finnish tenant", () => {
    for (const i of invoices.filter((x) => x.account === CUSTOMER)) {
      expect(i.vatMinor).toBe((i.netMinor * 2500n + 5000n) / 10_000n);
      expect(i.vatMinor > 0n).toBe(true);
    }
    const other = invoices.filter((i) => i.account === OTHER);
    expect(other).toHaveLength(12);
    for (const i of other) {
      expect(i.vatCategory).toBe("reverse_charge");
      expect(i.vatMinor).toBe(0n);
    }
  });

  it("leaves exactly last month's, the month before's and the one before that unpaid", () => {
    expectThreeUnpaid(
      invoices.filter((i) => i.account === CUSTOMER),
      TODAY,
    );
    // Concretely, for 2026-11-25:
    const byDate = new Map(invoices.filter((i) => i.account === CUSTOMER).map((i) => [i.invoiceDate, i]));
    expect(byDate.get("2026-11-01")!.dueDate).toBe("2026-11-30");
    expect(byDate.get("2026-10-01")!.dueDate).toBe("2026-10-31");
    expect(byDate.get("2026-09-01")!.outstandingMinor).toBeGreaterThan(0n);
  });

  it("creates the three users with their invoice access, all with the demo password", async () => {
    const users = await rows<Record<string, string | boolean>>(
      db,
      sql`select u.email, u.is_admin, u.invoice_access::text as access, a.name as account, u.password_hash as hash
          from users u join accounts a on a.id = u.account_id order by u.email`,
    );
    expect(users.map(({ hash: _hash, ...u }) => u)).toEqual([
      { email: "demo@example.com", is_admin: true, access: "full", account: CUSTOMER },
      { email: "noaccess@example.com", is_admin: false, access: "none", account: CUSTOMER },
      { email: "other@example.com", is_admin: true, access: "full", account: OTHER },
      { email: "reader@example.com", is_admin: false, access: "read", account: CUSTOMER },
    ]);
    const reader = users.find((u) => u.email === "reader@example.com")!;
    expect(await verifyPassword(reader.hash as string, DEMO_PASSWORD)).toBe(true);
    expect(await verifyPassword(reader.hash as string, "wrong password")).toBe(false);
  });

  it("has one verified contact email, demo@example.com, holding billing, tech and DPO", async () => {
    const contacts = await rows<Record<string, string | boolean>>(
      db,
      sql`select c.email, c.verified_at is not null as verified, c.is_billing, c.is_tech, c.is_dpo
          from contact_emails c join accounts a on a.id = c.account_id where a.name = ${CUSTOMER}`,
    );
    expect(contacts).toEqual([{ email: "demo@example.com", verified: true, is_billing: true, is_tech: true, is_dpo: true }]);
  });

  it("numbers invoices uniquely and without gaps across both accounts, in issue order", async () => {
    const numbers = invoices.map((i) => i.number);
    expect(new Set(numbers).size).toBe(36);
    expect(isGapless(numbers, FIRST_INVOICE_NUMBER)).toBe(true);
    // Issue order: a later invoice date never has a smaller number.
    for (let k = 1; k < invoices.length; k++) {
      expect(invoices[k]!.invoiceDate >= invoices[k - 1]!.invoiceDate).toBe(true);
    }
    const [seq] = await rows<{ next: string }>(db, sql`select next_value::text as next from number_sequences where name = 'invoice'`);
    expect(Number(seq!.next)).toBe(FIRST_INVOICE_NUMBER + 36);
    for (const i of invoices) expect(parsePaymentReference(i.paymentReference)).toBe(i.number);
  });

  it("stores totals equal to computeTotals of the lines, and line amounts equal to quantity × price", async () => {
    const lines = await lineFacts(db);
    for (const i of invoices) {
      const mine = lines.get(i.id) ?? [];
      expect(mine.length, `lines of invoice ${i.number}`).toBeGreaterThanOrEqual(5);
      expect(mine.map((l) => l.position)).toEqual(mine.map((_, k) => k + 1));
      for (const l of mine) expect(l.amountMinor).toBe(lineAmountMinor(l.quantity, l.unitPriceMinor));
      expect(mine.some((l) => l.amountMinor < 0n), "a discount line").toBe(true);
      const t = computeTotals(mine);
      expect({ net: i.netMinor, vat: i.vatMinor, total: i.totalMinor }).toEqual({ net: t.netMinor, vat: t.vatMinor, total: t.totalMinor });
    }
    const payments = await rows<{ n: string }>(db, sql`select count(*)::text as n from payments where state <> 'succeeded'`);
    expect(payments[0]!.n).toBe("0");
  });

  it("resetTables empties every table but keeps the schema", async () => {
    const scratch = await createTestDatabase();
    try {
      await seedDemo(scratch.db, TODAY);
      expect(await count(scratch.db, "invoices")).toBe(36);
      await resetTables(scratch.db);
      for (const t of ["accounts", "users", "invoices", "invoice_lines", "payments", "payment_allocations", "products"]) {
        expect(await count(scratch.db, t), t).toBe(0);
      }
      expect(await isDatabaseEmpty(scratch.db)).toBe(true);
      // Sequences restart: the same seed gives the same invoice numbers again.
      await seedDemo(scratch.db, TODAY);
      expect((await invoiceFacts(scratch.db)).map((i) => i.number)).toEqual(invoices.map((i) => i.number));
    } finally {
      await scratch.close();
    }
  });
});

describe("seedDemo is relative to today and deterministic", () => {
  const fresh: Database[] = [];
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });
  async function freshDb() {
    const t = await createTestDatabase();
    closers.push(t.close);
    fresh.push(t.db);
    return t.db;
  }

  it("follows another today (2027-03-01): the same three-invoice rule", async () => {
    const other = await freshDb();
    const today = "2027-03-01";
    await seedDemo(other, today);
    const invoices = (await invoiceFacts(other)).filter((i) => i.account === CUSTOMER);
    expect(invoices).toHaveLength(24);
    expect(invoices.map((i) => i.invoiceDate).sort().at(-1)).toBe("2027-03-01");
    expectThreeUnpaid(invoices, today);
  });

  it("gives identical invoice numbers, dates and totals on two fresh databases", async () => {
    const snapshot = (list: InvoiceFacts[]) =>
      list.map((i) => [i.account, i.number, i.invoiceDate, i.dueDate, i.netMinor, i.vatMinor, i.totalMinor, i.outstandingMinor, i.paymentReference]);
    const second = await freshDb();
    await seedDemo(second, TODAY);
    const a = snapshot(await invoiceFacts(db));
    const b = snapshot(await invoiceFacts(second));
    expect(a).toHaveLength(36);
    expect(b).toEqual(a);
    // The ids are random, though: the data really lives in two databases.
    expect((await invoiceFacts(second))[0]!.id).not.toBe((await invoiceFacts(db))[0]!.id);
  });
});
