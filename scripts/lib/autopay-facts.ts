/** What automatic payment runs left in a database, as the bench and the crash tests check it: each invoice charged once. */
import { sql } from "drizzle-orm";
import { rows, type Executor } from "@/db/client";

export type AutopayFacts = {
  /** Invoices with nothing outstanding left by succeeded payments. */
  paid: number;
  /** The sandbox provider's charges (one checkout per charge). */
  charges: number;
  succeededAttempts: number;
  invoicesChargedTwice: number;
  receipts: number;
};

export async function autopayFacts(db: Executor): Promise<AutopayFacts> {
  const [f] = await rows<Record<keyof AutopayFacts, string>>(
    db,
    sql`select
      (select count(*) from invoices i where i.total_minor = (select coalesce(sum(pa.amount_minor), 0) from payment_allocations pa
         join payments p on p.id = pa.payment_id and p.state = 'succeeded' where pa.invoice_id = i.id))::text as "paid",
      (select count(*) from sandbox_checkouts)::text as "charges",
      (select count(*) from autopay_attempts where outcome = 'succeeded')::text as "succeededAttempts",
      (select count(*) from (select pa.invoice_id from payment_allocations pa group by pa.invoice_id having count(*) > 1) t)::text as "invoicesChargedTwice",
      (select count(*) from email_outbox where kind = 'payment_receipt')::text as "receipts"`,
  );
  return Object.fromEntries(Object.entries(f!).map(([k, v]) => [k, Number(v)])) as AutopayFacts;
}
