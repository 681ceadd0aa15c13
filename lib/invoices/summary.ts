import { and, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
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

/** Totals for the dashboard and the invoice list's summary, for one account. */
export async function invoiceSummary(db: Executor, accountId: string, today: string): Promise<InvoiceSummary> {
  const balances = db
    .select({ dueDate: invoices.dueDate, outstanding: sql<string>`${outstandingMinorSql}`.as("outstanding") })
    .from(invoices)
    .where(eq(invoices.accountId, accountId))
    .as("b");
  const [totals, latestRows] = await Promise.all([
    db
      .select({
        outstanding: sql<string>`coalesce(sum(${balances.outstanding}), 0)`,
        overdue: sql<string>`coalesce(sum(${balances.outstanding}) filter (where ${balances.dueDate} < ${today}::date), 0)`,
        outstandingCount: sql<number>`count(*) filter (where ${balances.outstanding} > 0)::int`,
        overdueCount: sql<number>`count(*) filter (where ${balances.outstanding} > 0 and ${balances.dueDate} < ${today}::date)::int`,
        nextDue: sql<string | null>`min(${balances.dueDate}) filter (where ${balances.outstanding} > 0 and ${balances.dueDate} >= ${today}::date)`,
      })
      .from(balances),
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
  const t = totals[0]!;
  const l = latestRows[0];
  return {
    outstandingMinor: BigInt(t.outstanding),
    overdueMinor: BigInt(t.overdue),
    outstandingCount: Number(t.outstandingCount),
    overdueCount: Number(t.overdueCount),
    nextDueDate: t.nextDue ? String(t.nextDue).slice(0, 10) : null,
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
