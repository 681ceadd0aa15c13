/**
 * The invoice list's summary is cached per account, ledger version and day
 * (lib/invoices/summary.ts), and its pages also per under-way version (lib/invoices/page-cache.ts):
 * these tests pin that every change that moves a balance raises the account's ledger version
 * (migration 0004's triggers), that starting a checkout, which moves none, leaves it alone and
 * raises the under-way version instead (0018), and so that each change is shown at the next request.
 */
import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { accounts, invoices, payments, paymentsUnderWayVersions } from "@/db/schema";
import { issueCreditNote } from "@/lib/billing/credit";
import { listInvoices, parseListParams, PAGE_SIZE, STATUS_FILTERS, type InvoicePage, type ListParams } from "@/lib/invoices/list";
import { cachedInvoicePage } from "@/lib/invoices/page-cache";
import { cachedInvoiceSummary, invoiceSummary } from "@/lib/invoices/summary";
import { applyOutcome } from "@/lib/payments/engine";
import { setupTestDatabase } from "../setup/db";
import { freshDemo, startSandboxCheckout } from "./helpers";

const TODAY = "2026-11-25";
const { db } = await setupTestDatabase();

let accountId = "";
let userId = "";
let owed: { number: number; outstandingMinor: bigint }[] = [];

beforeEach(async () => {
  ({ accountId, userId, owed } = await freshDemo(db, TODAY));
});

async function ledgerVersion(): Promise<number> {
  const [a] = await db.select({ v: accounts.ledgerVersion }).from(accounts).where(eq(accounts.id, accountId));
  return a!.v;
}

/** What a request would show: the version read first (as getViewer does), then the summary. */
async function shownSummary() {
  return cachedInvoiceSummary(db, accountId, TODAY, await ledgerVersion());
}

describe("the summary cached per ledger version", () => {
  it("is served from the cache while nothing changed", async () => {
    const first = await shownSummary();
    expect(await shownSummary()).toBe(first);
    expect(first).toEqual(await invoiceSummary(db, accountId, TODAY));
    // Another day is another key: an invoice can turn overdue overnight.
    const tomorrow = await cachedInvoiceSummary(db, accountId, "2026-11-26", await ledgerVersion());
    expect(tomorrow).not.toBe(first);
  });

  it("a succeeded card payment shows at the next request; starting the checkout changes nothing", async () => {
    const before = await shownSummary();
    const target = owed[0]!;
    const v0 = await ledgerVersion();
    const checkout = await startSandboxCheckout(db, { accountId, userId }, [target.number], target.outstandingMinor);
    // A checkout moves no balance: the version, and so the cached summary, stay.
    expect(await ledgerVersion()).toBe(v0);
    expect(await shownSummary()).toBe(before);

    const applied = await applyOutcome(db, "sandbox", {
      eventId: `evt_${crypto.randomUUID()}`,
      type: "checkout.succeeded",
      providerReference: checkout.providerReference,
      state: "succeeded",
      amountMinor: checkout.amountMinor,
      currency: checkout.currency,
    });
    expect(applied).toBe("changed");
    expect(await ledgerVersion()).toBeGreaterThan(v0);
    const after = await shownSummary();
    expect(after.outstandingMinor).toBe(before.outstandingMinor - target.outstandingMinor);
    expect(after).toEqual(await invoiceSummary(db, accountId, TODAY));
  });

  it("a credit note shows at the next request", async () => {
    const before = await shownSummary();
    const v0 = await ledgerVersion();
    const target = owed[0]!;
    const result = await issueCreditNote(db, { number: String(target.number), amount: "1.00", reason: "Goodwill" }, { today: TODAY });
    expect(result.ok).toBe(true);
    expect(await ledgerVersion()).toBeGreaterThan(v0);
    const after = await shownSummary();
    expect(after.outstandingMinor).toBe(before.outstandingMinor - 100n);
    expect(after).toEqual(await invoiceSummary(db, accountId, TODAY));
  });

  it("gives the list its length from the summary, unfiltered and by status, and a new credit note counts at once", async () => {
    const lengths = async () => {
      const summary = await shownSummary();
      const out: Record<string, [counted: number, fromSummary: number]> = {};
      for (const status of STATUS_FILTERS) {
        const params = parseListParams({ status }).params;
        out[status] = [(await listInvoices(db, accountId, params, TODAY)).total, (await listInvoices(db, accountId, params, TODAY, PAGE_SIZE, summary)).total];
      }
      return out;
    };
    const agree = (l: Record<string, [number, number]>) => Object.values(l).forEach(([counted, fromSummary]) => expect(fromSummary).toBe(counted));
    const before = await lengths();
    agree(before);
    // Each status holds some invoices, so a wrong mapping cannot agree by chance at zero.
    for (const [counted] of Object.values(before)) expect(counted).toBeGreaterThan(0);
    const result = await issueCreditNote(db, { number: String(owed[0]!.number), amount: "1.00", reason: "Goodwill" }, { today: TODAY });
    expect(result.ok).toBe(true);
    const after = await lengths();
    agree(after);
    expect(after.all![0]).toBe(before.all![0] + 1);
    // A search still counts its own rows, whatever summary it is given.
    const search = parseListParams({ q: String(owed[0]!.number) }).params;
    const found = (await listInvoices(db, accountId, search, TODAY, PAGE_SIZE, await shownSummary())).total;
    expect(found).toBe((await listInvoices(db, accountId, search, TODAY)).total);
    expect(found).toBeLessThan(after.all![0]);
  });

  it("a changed due date shows at the next request", async () => {
    const before = await shownSummary();
    const v0 = await ledgerVersion();
    const { and, gte, inArray } = await import("drizzle-orm");
    const { invoices } = await import("@/db/schema");
    // An invoice owed but not yet due: moving its due date back to its invoice date (in the past) makes it overdue.
    const [notDue] = await db
      .select({ id: invoices.id, invoiceDate: invoices.invoiceDate })
      .from(invoices)
      .where(and(inArray(invoices.number, owed.map((o) => o.number)), gte(invoices.dueDate, TODAY)))
      .limit(1);
    expect(notDue!.invoiceDate < TODAY).toBe(true);
    await db.update(invoices).set({ dueDate: notDue!.invoiceDate }).where(eq(invoices.id, notDue!.id));
    expect(await ledgerVersion()).toBeGreaterThan(v0);
    const after = await shownSummary();
    expect(after.overdueCount).toBe(before.overdueCount + 1);
    expect(after).toEqual(await invoiceSummary(db, accountId, TODAY));
  });
});

describe("the list's pages cached per ledger and under-way versions", () => {
  async function underWayVersion(): Promise<number> {
    const [row] = await db.select({ v: paymentsUnderWayVersions.version }).from(paymentsUnderWayVersions).where(eq(paymentsUnderWayVersions.accountId, accountId));
    return row?.v ?? 0;
  }
  /** What a request would show: the versions read first (as getViewer does), then the page. */
  async function shownPage(params: ListParams, today = TODAY) {
    return cachedInvoicePage(db, accountId, { ledgerVersion: await ledgerVersion(), underWayVersion: await underWayVersion() }, params, today);
  }
  const statusIn = (page: InvoicePage, number: number) => page.rows.find((r) => r.number === number)?.status;

  it("is served from the cache while nothing changed, and is the page a fresh query gives", async () => {
    const params = parseListParams({}).params;
    const first = await shownPage(params);
    expect(await shownPage(params)).toBe(first);
    expect(first).toEqual(await listInvoices(db, accountId, params, TODAY));
    // Other parameters, another day: other pages.
    expect(await shownPage(parseListParams({ status: "paid" }).params)).not.toEqual(first);
    expect(await shownPage(params, "2026-11-26")).not.toBe(first);
  });

  it("shows a payment coming under way, moving between open states and failing, each at the next request", async () => {
    const target = owed[0]!;
    const params = parseListParams({ q: String(target.number) }).params;
    const before = statusIn(await shownPage(params), target.number);
    expect(before === "outstanding" || before === "overdue").toBe(true);

    const [v0, u0] = [await ledgerVersion(), await underWayVersion()];
    const checkout = await startSandboxCheckout(db, { accountId, userId }, [target.number], target.outstandingMinor);
    expect(await underWayVersion()).toBeGreaterThan(u0);
    expect(await ledgerVersion()).toBe(v0);
    expect(statusIn(await shownPage(params), target.number)).toBe("processing");

    // Still under way: nothing the list shows changed, and the version stays.
    const u1 = await underWayVersion();
    await db.update(payments).set({ state: "requires_action" }).where(eq(payments.id, checkout.paymentId));
    expect(await underWayVersion()).toBe(u1);

    await db.update(payments).set({ state: "failed" }).where(eq(payments.id, checkout.paymentId));
    expect(await underWayVersion()).toBeGreaterThan(u1);
    expect(statusIn(await shownPage(params), target.number)).toBe(before);
    expect(await shownPage(params)).toEqual(await listInvoices(db, accountId, params, TODAY));
  });

  it("shows a changed invoice date at the next request", async () => {
    const params = parseListParams({}).params;
    const first = (await shownPage(params)).rows[0]!;
    await db.update(invoices).set({ invoiceDate: "2026-11-24" }).where(and(eq(invoices.accountId, accountId), eq(invoices.number, first.number)));
    expect((await shownPage(params)).rows.find((r) => r.number === first.number)?.invoiceDate).toBe("2026-11-24");
  });
});
