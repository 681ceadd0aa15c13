/**
 * The payments list's queries against a real database: every payment of the account newest
 * first with the invoices it settled, status / method / date filters, keyset pages (stable for
 * equal instants), the CSV export, and isolation between accounts.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/scripts/seed";
import { accounts, invoices, paymentAllocations, payments } from "@/db/schema";
import { PAYMENT_CSV_HEADER, paymentCsvRecord } from "@/lib/payments/csv";
import { allPayments, listPayments, parsePaymentListParams, type PaymentListParams, type PaymentRow } from "@/lib/payments/list";
import { setupTestDatabase } from "../setup/db";

const TODAY = "2026-11-25";
const TZ = "Europe/Stockholm";
const { db } = await setupTestDatabase();

let demoId = "";
let otherId = "";
const params = (p: Partial<PaymentListParams> = {}): PaymentListParams => ({ status: "all", method: "all", page: 1, ...p });

async function everyPage(p: PaymentListParams, pageSize: number): Promise<PaymentRow[]> {
  const seen: PaymentRow[] = [];
  let page = await listPayments(db, demoId, p, TZ, pageSize);
  seen.push(...page.rows);
  while (page.next) {
    page = await listPayments(db, demoId, { ...p, after: page.next }, TZ, pageSize);
    seen.push(...page.rows);
  }
  return seen;
}

beforeAll(async () => {
  await seedDemo(db, TODAY);
  const all = await db.select({ id: accounts.id, name: accounts.name }).from(accounts);
  demoId = all.find((a) => a.name === "Example Cloud Customer AB")!.id;
  otherId = all.find((a) => a.name === "Other Tenant Oy")!.id;
});

describe("listPayments", () => {
  it("lists every payment of the account newest first, with the invoices it settled", async () => {
    const expected = await db
      .select({ id: payments.id, number: invoices.number })
      .from(payments)
      .innerJoin(paymentAllocations, eq(paymentAllocations.paymentId, payments.id))
      .innerJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId))
      .where(eq(payments.accountId, demoId));
    const page = await listPayments(db, demoId, params(), TZ, 100);
    expect(page.total).toBe(expected.length);
    expect(page.rows).toHaveLength(expected.length);
    const instants = page.rows.map((r) => r.createdAt.getTime());
    expect([...instants].sort((a, b) => b - a)).toEqual(instants);
    for (const row of page.rows) {
      expect(row.invoiceNumbers).toEqual(expected.filter((e) => e.id === row.id).map((e) => e.number));
      expect(row.hasReceipt).toBe(row.state === "succeeded");
    }
  });

  it("pages by keyset forwards and back, covering every row once, equal instants included", async () => {
    const all = (await listPayments(db, demoId, params(), TZ, 100)).rows;
    // Four payments made at one instant: the id breaks the tie.
    const same = new Date("2025-06-15T10:00:00.000Z");
    await db.update(payments).set({ createdAt: same }).where(sql`${payments.id} in ${all.slice(4, 8).map((r) => r.id)}`);
    const seen = await everyPage(params(), 3);
    expect(seen.map((r) => r.id).sort()).toEqual(all.map((r) => r.id).sort());
    expect(new Set(seen.map((r) => r.id)).size).toBe(all.length);
    const first = await listPayments(db, demoId, params(), TZ, 3);
    expect(first.prev).toBeNull();
    const second = await listPayments(db, demoId, params({ after: first.next! }), TZ, 3);
    const back = await listPayments(db, demoId, params({ before: second.prev! }), TZ, 3);
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect(back.prev).toBeNull();
  });

  it("filters by status, method and the payment's date in the account's time zone", async () => {
    const all = (await listPayments(db, demoId, params(), TZ, 100)).rows;
    const count = async (p: Partial<PaymentListParams>) => (await listPayments(db, demoId, params(p), TZ, 100)).total;
    expect(await count({ method: "bank_transfer" })).toBe(all.filter((r) => r.method === "bank_transfer").length);
    expect(await count({ method: "card" })).toBe(all.filter((r) => r.method === "card").length);
    expect(await count({ status: "settled" })).toBe(all.filter((r) => r.state === "succeeded").length);
    expect(await count({ status: "failed" })).toBe(0);
    // 23:30 UTC on 1 March is already 2 March in Stockholm.
    await db.update(payments).set({ createdAt: new Date("2026-03-01T23:30:00.000Z") }).where(eq(payments.id, all[0]!.id));
    expect((await listPayments(db, demoId, params({ from: "2026-03-02", to: "2026-03-02" }), TZ)).rows.map((r) => r.id)).toEqual([all[0]!.id]);
    expect(await count({ from: "2026-03-01", to: "2026-03-01" })).toBe(0);
  });

  it("reports bad filters against their fields and lists without them", () => {
    const parsed = parsePaymentListParams({ status: "lost", method: "cash", from: "2026-02-30", to: "2026-01-01", after: "x" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual(["after", "from", "method", "status"]);
    expect(parsed.params).toEqual(params());
    const range = parsePaymentListParams({ from: "2026-02-01", to: "2026-01-01" });
    expect(range.ok ? null : range.errors.to).toBe("The end date is before the start date.");
  });

  it("never returns another account's payments", async () => {
    const demo = new Set((await listPayments(db, demoId, params(), TZ, 100)).rows.map((r) => r.id));
    const other = (await listPayments(db, otherId, params(), TZ, 100)).rows;
    expect(other.some((r) => demo.has(r.id))).toBe(false);
    // A cursor taken from the demo account's list shows the other account only its own rows.
    const cursor = (await listPayments(db, demoId, params(), TZ, 2)).next!;
    const paged = await listPayments(db, otherId, params({ after: cursor }), TZ, 100);
    expect(paged.rows.every((r) => !demo.has(r.id))).toBe(true);
  });

  it("streams the filtered list for CSV export, with exact decimal amounts", async () => {
    const rows: PaymentRow[] = [];
    for await (const r of allPayments(db, demoId, { status: "all", method: "all" }, TZ, 4)) rows.push(r);
    expect(rows.map((r) => r.id)).toEqual((await listPayments(db, demoId, params(), TZ, 100)).rows.map((r) => r.id));
    expect(PAYMENT_CSV_HEADER.join(",")).toBe("Date,Payment ID,Method,Card,Amount,Currency,Invoices,Status");
    const r = rows[0]!;
    const euros = (m: bigint) => `${m / 100n}.${String(m % 100n).padStart(2, "0")}`;
    const line = paymentCsvRecord(r, TZ, "en").trimEnd().split(",");
    expect(line.slice(1)).toEqual([r.id, r.method === "card" ? "Card" : "Bank transfer", "", euros(r.amountMinor), "EUR", r.invoiceNumbers.join(" "), "Settled"]);
  });
});
