import { and, desc, eq, sql } from "drizzle-orm";
import { rows, type Executor } from "@/db/client";
import { invoices } from "@/db/schema";
import { outstandingMinorSql, statusOf, type InvoiceStatus } from "./balance";

export type InvoiceSummary = {
  outstandingMinor: bigint;
  overdueMinor: bigint;
  outstandingCount: number;
  overdueCount: number;
  nextDueDate: string | null;
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
 * Totals for the dashboard and the invoice list's summary, for one account. The same
 * derivation as lib/invoices/balance.ts (total − settled allocations − credit notes, never
 * below 0), written as grouped joins over the account's payments and credit notes: one pass,
 * instead of two correlated lookups per invoice for every aggregate (npm run bench measured
 * 0.6–2 s for an account with 5,000 invoices the per-row way). Tests compare both ways.
 */
export async function invoiceSummary(db: Executor, accountId: string, today: string): Promise<InvoiceSummary> {
  const [totalsRows, latestRows] = await Promise.all([
    rows<{ outstanding: string; overdue: string; outstanding_count: number; overdue_count: number; next_due: string | null }>(
      db,
      sql`
        with paid as (
          select pa.invoice_id, sum(pa.amount_minor) as settled
          from payments p join payment_allocations pa on pa.payment_id = p.id
          where p.account_id = ${accountId} and p.state = 'succeeded'
          group by pa.invoice_id
        ), credited as (
          select credits_invoice_id as invoice_id, sum(total_minor) as credited
          from invoices where account_id = ${accountId} and type = 'credit_note'
          group by credits_invoice_id
        ), b as (
          select i.due_date,
                 greatest(i.total_minor - coalesce(paid.settled, 0) - coalesce(credited.credited, 0), 0) as outstanding
          from invoices i
          left join paid on paid.invoice_id = i.id
          left join credited on credited.invoice_id = i.id
          where i.account_id = ${accountId} and i.type = 'invoice'
        )
        select coalesce(sum(outstanding), 0)::text as outstanding,
               coalesce(sum(outstanding) filter (where due_date < ${today}::date), 0)::text as overdue,
               (count(*) filter (where outstanding > 0))::int as outstanding_count,
               (count(*) filter (where outstanding > 0 and due_date < ${today}::date))::int as overdue_count,
               (min(due_date) filter (where outstanding > 0 and due_date >= ${today}::date))::text as next_due
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
