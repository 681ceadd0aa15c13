import { and, desc, eq, sql } from "drizzle-orm";
import { rows, type Database, type Executor } from "@/db/client";
import { invoices } from "@/db/schema";
import { keptPromises } from "@/lib/kept-promises";
import { outstandingMinorSql, statusOf, type InvoiceStatus } from "./balance";

export type InvoiceSummary = {
  outstandingMinor: bigint;
  overdueMinor: bigint;
  outstandingCount: number;
  overdueCount: number;
  nextDueDate: string | null;
  /** Invoices and credit notes: the unfiltered list's length. */
  documentCount: number;
  /**
   * The numbers of the invoices with something outstanding, when there are at most
   * OUTSTANDING_NUMBERS_LIMIT of them (null above): the Outstanding and Overdue filters read
   * these rows by number instead of computing the balance of every invoice until a page is full.
   */
  outstandingNumbers: number[] | null;
  latest: {
    number: number;
    type: "invoice" | "credit_note";
    invoiceDate: string;
    dueDate: string;
    totalMinor: bigint;
    outstandingMinor: bigint;
    status: InvoiceStatus;
  } | null;
};

/**
 * Totals for the dashboard and the invoice list's summary, for one account. The balance of each
 * invoice is the one definition in lib/invoices/balance.ts, computed once per invoice in a
 * materialized CTE: referenced by every aggregate, PostgreSQL would otherwise evaluate it once
 * per aggregate (docs/performance.md), and a grouped join over all allocations made it seq-scan the whole table in parallel.
 */
export async function invoiceSummary(db: Executor, accountId: string, today: string): Promise<InvoiceSummary> {
  const [totalsRows, latestRows] = await Promise.all([
    rows<{ outstanding: string; overdue: string; outstanding_count: number; overdue_count: number; next_due: string | null; documents: number; outstanding_numbers: number[] | null }>(
      db,
      sql`
        with b as materialized (
          select ${invoices.number} as number, ${invoices.dueDate} as due_date, ${outstandingMinorSql} as outstanding
          from ${invoices}
          where ${invoices.accountId} = ${accountId} and ${invoices.type} = 'invoice'
        )
        select coalesce(sum(outstanding), 0)::text as outstanding,
               coalesce(sum(outstanding) filter (where due_date < ${today}::date), 0)::text as overdue,
               (count(*) filter (where outstanding > 0))::int as outstanding_count,
               (count(*) filter (where outstanding > 0 and due_date < ${today}::date))::int as overdue_count,
               (min(due_date) filter (where outstanding > 0 and due_date >= ${today}::date))::text as next_due,
               (select count(*) from ${invoices} where ${invoices.accountId} = ${accountId})::int as documents,
               array_agg(number) filter (where outstanding > 0) as outstanding_numbers
        from b`,
    ),
    db
      .select({
        number: invoices.number,
        type: invoices.type,
        invoiceDate: invoices.invoiceDate,
        dueDate: invoices.dueDate,
        totalMinor: invoices.totalMinor,
        outstanding: sql<string>`${outstandingMinorSql}`,
      })
      .from(invoices)
      .where(and(eq(invoices.accountId, accountId), eq(invoices.type, "invoice")))
      .orderBy(desc(invoices.invoiceDate), desc(invoices.number))
      .limit(1),
  ]);
  const t = totalsRows[0]!;
  const l = latestRows[0];
  return {
    outstandingMinor: BigInt(t.outstanding),
    overdueMinor: BigInt(t.overdue),
    outstandingCount: Number(t.outstanding_count),
    overdueCount: Number(t.overdue_count),
    nextDueDate: t.next_due ? String(t.next_due).slice(0, 10) : null,
    documentCount: Number(t.documents),
    outstandingNumbers: Number(t.outstanding_count) <= OUTSTANDING_NUMBERS_LIMIT ? (t.outstanding_numbers ?? []).map(Number) : null,
    latest: l
      ? {
          number: l.number,
          type: l.type,
          invoiceDate: l.invoiceDate,
          dueDate: l.dueDate,
          totalMinor: l.totalMinor,
          outstandingMinor: BigInt(l.outstanding),
          status: statusOf(BigInt(l.outstanding), l.dueDate, today),
        }
      : null,
  };
}

/** Above this many, the Outstanding and Overdue filters scan (most rows then match, so a page fills fast). */
export const OUTSTANDING_NUMBERS_LIMIT = 1_000;

/** Accounts whose summary a server process keeps; the least recently used one goes first. */
export const SUMMARY_CACHE_SIZE = 10_000;
const summaries = keptPromises<InvoiceSummary>("summaries", SUMMARY_CACHE_SIZE);

/**
 * The summary, computed once per account, ledger version and day: every page of the list shows
 * it, and for a large account it is most of the page's database work (~45 ms for 5,000
 * invoices). `ledgerVersion` is the account's `accounts.ledger_version` as read for this request;
 * triggers raise it in the transaction of every change that can move a balance, add an invoice or
 * change a column the list shows (migrations 0004 and 0018), and `today` is part of the key because
 * an invoice turns overdue when the day changes. A summary computed after a newer change than the
 * version it is kept under is only fresher.
 */
export function cachedInvoiceSummary(db: Database, accountId: string, today: string, ledgerVersion: number): Promise<InvoiceSummary> {
  return summaries.get(accountId, [db, ledgerVersion, today], () => invoiceSummary(db, accountId, today));
}
