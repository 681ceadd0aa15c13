/** The benchmark generator, with small numbers: counts, gapless numbering and totals. */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { FIRST_INVOICE_NUMBER } from "@/lib/invoices/numbers";
import { seedDemo, seedScale } from "@/scripts/seed";
import { addMonths } from "@/lib/dates";
import { computeTotals } from "@/lib/money";
import { resetTables, setupTestDatabase } from "../setup/db";
import { count, invoiceFacts, isGapless, lineFacts, type InvoiceFacts } from "./helpers";

const TODAY = "2026-11-25";
const OPTIONS = { accounts: 5, invoicesPerAccount: 3, linesPerInvoice: 2, bigAccountInvoices: 7, batchAccounts: 2 };
const SCALE_INVOICES = 5 * 3 + 7;
const DEMO_INVOICES = 36;

const { db } = await setupTestDatabase();

async function expectTotalsFromLines(invoices: InvoiceFacts[]) {
  const lines = await lineFacts(db);
  for (const i of invoices) {
    const mine = lines.get(i.id) ?? [];
    const t = computeTotals(mine);
    expect({ net: i.netMinor, vat: i.vatMinor, total: i.totalMinor }, `invoice ${i.number}`).toEqual({
      net: t.netMinor,
      vat: t.vatMinor,
      total: t.totalMinor,
    });
  }
}

describe("seedScale after the demo seed", () => {
  const progress: Array<[number, number]> = [];
  let all: InvoiceFacts[];
  let scale: InvoiceFacts[];

  beforeAll(async () => {
    await seedDemo(db, TODAY);
    const result = await seedScale(db, TODAY, { ...OPTIONS, onProgress: (done, total) => progress.push([done, total]) });
    expect(result).toEqual({ invoices: SCALE_INVOICES });
    all = await invoiceFacts(db);
    scale = all.filter((i) => i.number >= FIRST_INVOICE_NUMBER + DEMO_INVOICES);
  });

  it("reports progress per batch of accounts", () => {
    expect(progress).toEqual([
      [2, 5],
      [4, 5],
      [5, 5],
    ]);
  });

  it("creates the expected numbers of rows", async () => {
    expect(await count(db, "accounts")).toBe(2 + 5 + 1);
    expect(await count(db, "users")).toBe(4 + 6);
    expect(await count(db, "contact_emails")).toBe(2 + 6);
    expect(all).toHaveLength(DEMO_INVOICES + SCALE_INVOICES);
    expect(scale).toHaveLength(SCALE_INVOICES);
    const [lines] = await rows<{ n: string }>(
      db,
      sql`select count(*)::text as n from invoice_lines l join invoices i on i.id = l.invoice_id
          where i.number >= ${FIRST_INVOICE_NUMBER + DEMO_INVOICES}`,
    );
    expect(Number(lines!.n)).toBe(SCALE_INVOICES * 2);
    // Five scale accounts with 3 invoices each and the big account with 7.
    const [accountsOfScale] = await rows<{ n: string; big: string }>(
      db,
      sql`select count(distinct account_id)::text as n,
                 max(c)::text as big from (select account_id, count(*) c from invoices
                 where number >= ${FIRST_INVOICE_NUMBER + DEMO_INVOICES} group by account_id) x`,
    );
    expect(accountsOfScale).toEqual({ n: "6", big: "7" });
  });

  it("continues the demo's invoice numbers, gapless and unique, and advances the sequence", async () => {
    const numbers = all.map((i) => i.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(isGapless(numbers, FIRST_INVOICE_NUMBER)).toBe(true);
    expect(isGapless(scale.map((i) => i.number), FIRST_INVOICE_NUMBER + DEMO_INVOICES)).toBe(true);
    const [seq] = await rows<{ next: string }>(db, sql`select next_value::text as next from number_sequences where name = 'invoice'`);
    expect(Number(seq!.next)).toBe(FIRST_INVOICE_NUMBER + DEMO_INVOICES + SCALE_INVOICES);
  });

  it("stores totals equal to the sum of their lines plus VAT", async () => {
    await expectTotalsFromLines(all);
    for (const i of scale) expect(i.totalMinor).toBe(i.netMinor + i.vatMinor);
  });

  it("dates invoices monthly back from last month and pays all but the newest two", async () => {
    const invoicesOf = new Map<string, InvoiceFacts[]>();
    const owners = await rows<{ id: string; account_id: string }>(db, sql`select id::text as id, account_id::text as account_id from invoices`);
    const ownerOf = new Map(owners.map((o) => [o.id, o.account_id]));
    for (const i of scale) {
      const key = ownerOf.get(i.id)!;
      invoicesOf.set(key, [...(invoicesOf.get(key) ?? []), i]);
    }
    expect(invoicesOf.size).toBe(6);
    for (const list of invoicesOf.values()) {
      const byDateDesc = [...list].sort((a, b) => b.invoiceDate.localeCompare(a.invoiceDate));
      byDateDesc.forEach((inv, k) => {
        expect(inv.invoiceDate).toBe(addMonths(TODAY, -k));
        expect(inv.outstandingMinor).toBe(k < 2 ? inv.totalMinor : 0n);
      });
    }
  });
});

describe("seedScale on an empty database", () => {
  it("starts numbering at the first invoice number", async () => {
    await resetTables(db);
    expect(await count(db, "invoices")).toBe(0);
    const result = await seedScale(db, TODAY, { accounts: 3, invoicesPerAccount: 2, linesPerInvoice: 3, bigAccountInvoices: 0, batchAccounts: 10 });
    expect(result).toEqual({ invoices: 6 });
    const invoices = await invoiceFacts(db);
    expect(invoices).toHaveLength(6);
    expect(isGapless(invoices.map((i) => i.number), FIRST_INVOICE_NUMBER)).toBe(true);
    expect(await count(db, "accounts")).toBe(3);
    expect(await count(db, "invoice_lines")).toBe(18);
    await expectTotalsFromLines(invoices);
  });
});
