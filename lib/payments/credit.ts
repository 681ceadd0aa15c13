/**
 * Account credit, derived (never stored): money received that no invoice needed.
 *
 *   credit = Σ succeeded payments (except payments made *from* credit)
 *          − Σ per invoice of min(settled allocations, what the invoice asked for)
 *
 * where what an invoice asks for is its total minus its credit notes (never below 0). So an
 * overpaid bank transfer, a transfer for an invoice that was already paid, a card payment that
 * settled after a transfer had already paid the same invoice, and a credit note issued after
 * payment all show up as credit, and an invoice's outstanding amount is never negative. A payment
 * with method `account_credit` spends credit: its allocations count as applied, its amount is
 * not new money.
 */
import { sql } from "drizzle-orm";
import { rows, type Executor } from "@/db/client";

/** The account's credit in `currency` (default: the account's currency), in minor units, ≥ 0. */
export async function accountCreditMinor(db: Executor, accountId: string, currency?: string): Promise<bigint> {
  const cur = currency ? sql`${currency.toUpperCase()}` : sql`(select a.currency from accounts a where a.id = ${accountId})`;
  const [r] = await rows<{ credit: string }>(
    db,
    sql`
      with cur as (select ${cur}::text as c),
      received as (
        select coalesce(sum(p.amount_minor), 0) as v from payments p, cur
        where p.account_id = ${accountId} and p.state = 'succeeded' and p.method <> 'account_credit' and p.currency = cur.c
      ),
      allocated as (
        select pa.invoice_id, sum(pa.amount_minor) as v
        from payment_allocations pa join payments p on p.id = pa.payment_id and p.state = 'succeeded'
        where p.account_id = ${accountId}
        group by pa.invoice_id
      ),
      applied as (
        select coalesce(sum(least(al.v, greatest(i.total_minor - coalesce((
          select sum(c.total_minor) from invoices c where c.credits_invoice_id = i.id), 0), 0))), 0) as v
        from allocated al join invoices i on i.id = al.invoice_id, cur
        where i.currency = cur.c
      )
      select greatest((select v from received) - (select v from applied), 0)::text as credit`,
  );
  return BigInt(r?.credit ?? "0");
}
