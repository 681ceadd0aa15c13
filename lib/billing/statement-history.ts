/** Reads one account's history up to a day, for the statement (statement.ts computes the rest). */
import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accounts, invoices, paymentAllocations, payments } from "@/db/schema";
import { buildStatement, type AccountHistory, type HistoryPayment, type Statement } from "./statement";

/**
 * The account's invoices and credit notes dated up to `to`, and its succeeded payments in its
 * own currency that settled up to `to` in `timeZone`, with their allocations.
 */
export async function statementHistory(db: Executor, accountId: string, to: string, timeZone: string): Promise<AccountHistory> {
  const settledOn = sql<string>`((${payments.settledAt} at time zone ${timeZone})::date)::text`;
  const paymentWhere = and(
    eq(payments.accountId, accountId),
    eq(payments.state, "succeeded"),
    sql`${payments.currency} = (select ${accounts.currency} from ${accounts} where ${accounts.id} = ${accountId})`,
    sql`${settledOn} <= ${to}`,
  );
  const [documents, paid, allocations] = await Promise.all([
    db
      .select({ id: invoices.id, number: invoices.number, type: invoices.type, date: invoices.invoiceDate, totalMinor: invoices.totalMinor, creditsInvoiceId: invoices.creditsInvoiceId })
      .from(invoices)
      .where(and(eq(invoices.accountId, accountId), lte(invoices.invoiceDate, to)))
      .orderBy(asc(invoices.invoiceDate), asc(invoices.number)),
    db
      .select({ id: payments.id, date: settledOn, method: payments.method, amountMinor: payments.amountMinor })
      .from(payments)
      .where(paymentWhere)
      .orderBy(asc(payments.settledAt), asc(payments.id)),
    db
      .select({ paymentId: paymentAllocations.paymentId, invoiceId: paymentAllocations.invoiceId, amountMinor: paymentAllocations.amountMinor })
      .from(paymentAllocations)
      .innerJoin(payments, eq(payments.id, paymentAllocations.paymentId))
      .where(paymentWhere),
  ]);
  const byPayment = new Map<string, HistoryPayment["allocations"]>();
  for (const a of allocations) byPayment.set(a.paymentId, [...(byPayment.get(a.paymentId) ?? []), { invoiceId: a.invoiceId, amountMinor: a.amountMinor }]);
  return {
    invoices: documents.map((d) => ({ ...d, date: String(d.date) })),
    payments: paid.map((p) => ({ ...p, date: String(p.date).slice(0, 10), allocations: byPayment.get(p.id) ?? [] })),
  };
}

/** The account's statement for the period from `from` to `to` (both included). */
export async function accountStatement(db: Executor, accountId: string, from: string, to: string, timeZone: string): Promise<Statement> {
  return buildStatement(await statementHistory(db, accountId, to, timeZone), from, to);
}
