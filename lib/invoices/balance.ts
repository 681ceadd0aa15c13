/**
 * Outstanding amount and status are derived, never stored: total minus settled payment
 * allocations minus credit notes; overdue = outstanding and past the due date (in the
 * account's time zone). These SQL fragments are the single definition used by every query.
 */
import { sql, type SQL } from "drizzle-orm";
import { invoices } from "@/db/schema";
import { OPEN_STATES } from "@/lib/payments/states";

/** "processing": something is outstanding and a card payment for it is under way (OPEN_STATES). */
export type InvoiceStatus = "paid" | "outstanding" | "overdue" | "processing";

export const settledMinorSql = sql<string>`coalesce((
  select sum(pa.amount_minor) from payment_allocations pa
  join payments p on p.id = pa.payment_id and p.state = 'succeeded'
  where pa.invoice_id = ${invoices.id}), 0)`;

export const creditedMinorSql = sql<string>`coalesce((
  select sum(c.total_minor) from invoices c where c.credits_invoice_id = ${invoices.id}), 0)`;

/** A credit note has nothing outstanding; an invoice never goes below zero (overpayment is credit). */
export const outstandingMinorSql = sql<string>`(case when ${invoices.type} = 'credit_note' then 0
  else greatest(${invoices.totalMinor} - ${settledMinorSql} - ${creditedMinorSql}, 0) end)`;

/**
 * A card payment for the invoice is under way: in one of the payment engine's open states
 * (lib/payments/engine.ts OPEN_STATES, e.g. a checkout not yet paid or given up). An EXISTS on
 * payment_allocations_invoice_idx and the payments primary key: a few index probes per row.
 */
export const paymentUnderWaySql = sql<boolean>`exists (
  select 1 from payment_allocations pa
  join payments p on p.id = pa.payment_id and p.state in (${sql.raw(OPEN_STATES.map((s) => `'${s}'`).join(", "))})
  where pa.invoice_id = ${invoices.id})`;

export function statusSql(today: string): SQL<InvoiceStatus> {
  return sql<InvoiceStatus>`(case when ${outstandingMinorSql} = 0 then 'paid'
    when ${invoices.dueDate} < ${today}::date then 'overdue' else 'outstanding' end)`;
}

export function statusOf(outstandingMinor: bigint, dueDate: string, today: string, paymentUnderWay = false): InvoiceStatus {
  if (outstandingMinor <= 0n) return "paid";
  if (paymentUnderWay) return "processing";
  return dueDate < today ? "overdue" : "outstanding";
}

export const STATUS_LABEL: Record<InvoiceStatus, string> = {
  paid: "Paid",
  outstanding: "Outstanding",
  overdue: "Overdue",
  processing: "Payment processing",
};
