/**
 * The fault tests' data: seeding (scripts/seed/index.ts's scale generator: every account has one user,
 * password DEMO_PASSWORD, and its two newest invoices outstanding) and the ledger's invariants,
 * read with plain SQL as the database owner so they never reuse the code under test.
 */
import type postgres from "postgres";
import type { Database } from "@/db/client";
import { seedScale } from "@/scripts/seed";
import { accountToday } from "@/lib/dates";
import { PROVIDER_TIME_ZONE } from "@/lib/provider";

export type Payable = { email: string; number: number; amountMinor: bigint };

export async function seedPayable(db: Database, accounts: number): Promise<void> {
  await seedScale(db, accountToday(PROVIDER_TIME_ZONE), {
    accounts,
    invoicesPerAccount: 3,
    linesPerInvoice: 2,
    bigAccountInvoices: 0,
    batchAccounts: 500,
  });
}

const OUTSTANDING = `(i.total_minor - coalesce((select sum(pa.amount_minor) from payment_allocations pa
   join payments p on p.id = pa.payment_id where pa.invoice_id = i.id and p.state = 'succeeded'), 0))`;

/** Every outstanding invoice with its user's email and what is owed, by account then number. */
export async function payableInvoices(sql: postgres.Sql): Promise<Payable[]> {
  const rows = await sql.unsafe<{ email: string; number: string; outstanding: string }[]>(`
    select u.email, i.number::text as number, ${OUTSTANDING}::text as outstanding
    from invoices i join users u on u.account_id = i.account_id
    where i.type = 'invoice' and ${OUTSTANDING} > 0
    order by u.email, i.number`);
  return rows.map((r) => ({ email: r.email, number: Number(r.number), amountMinor: BigInt(r.outstanding) }));
}

export type Ledger = {
  /** Card payments made in this test (not the seed's) that succeeded. */
  settled: number;
  /** Sandbox checkouts that took the card's money. */
  charged: number;
  /** Charges whose payment is not succeeded with the same amount. */
  chargedNotSettled: number;
  /** Succeeded payments without a charge at the provider. */
  settledNotCharged: number;
  /** Invoices with more than one charge or more than one succeeded payment. */
  invoicesChargedTwice: number;
  invoicesNegative: number;
  invoicesOutstanding: number;
  openPayments: number;
  /** Half-written payments: no allocation, or no `payment.started` audit row. */
  paymentsWithoutAllocation: number;
  paymentsWithoutStartAudit: number;
  /** Succeeded payments without their `payment.succeeded` audit row. */
  settledWithoutAudit: number;
};

export async function readLedger(sql: postgres.Sql): Promise<Ledger> {
  const one = async (q: string) => Number((await sql.unsafe<{ n: string }[]>(`select (${q})::text as n`))[0]!.n);
  const mine = `p.provider_reference is distinct from null and p.provider_reference not like 'scale-%' and p.provider_reference not like 'seed-%'`;
  return {
    settled: await one(`select count(*) from payments p where p.provider = 'sandbox' and p.state = 'succeeded' and ${mine}`),
    charged: await one(`select count(*) from sandbox_checkouts where status = 'succeeded'`),
    chargedNotSettled: await one(`select count(*) from sandbox_checkouts c where c.status = 'succeeded' and not exists (
        select 1 from payments p where p.id::text = c.merchant_reference and p.provider_reference = c.id::text
        and p.state = 'succeeded' and p.amount_minor = c.amount_minor and p.currency = c.currency)`),
    settledNotCharged: await one(`select count(*) from payments p where p.provider = 'sandbox' and p.state = 'succeeded' and ${mine}
        and not exists (select 1 from sandbox_checkouts c where c.id::text = p.provider_reference and c.status = 'succeeded')`),
    invoicesChargedTwice: await one(`select count(*) from (
        select pa.invoice_id from payment_allocations pa join payments p on p.id = pa.payment_id
        where p.state = 'succeeded' group by pa.invoice_id having count(*) > 1
        union
        select pa.invoice_id from sandbox_checkouts c join payment_allocations pa on pa.payment_id::text = c.merchant_reference
        where c.status = 'succeeded' group by pa.invoice_id having count(*) > 1) x`),
    invoicesNegative: await one(`select count(*) from invoices i where ${OUTSTANDING} < 0`),
    invoicesOutstanding: await one(`select count(*) from invoices i where i.type = 'invoice' and ${OUTSTANDING} > 0`),
    openPayments: await one(`select count(*) from payments where state in ('pending', 'processing', 'requires_action')`),
    paymentsWithoutAllocation: await one(`select count(*) from payments p where not exists (select 1 from payment_allocations pa where pa.payment_id = p.id)`),
    paymentsWithoutStartAudit: await one(`select count(*) from payments p where p.created_by_user_id is not null and not exists (
        select 1 from audit_events a where a.action = 'payment.started' and a.entity_id = p.id::text)`),
    settledWithoutAudit: await one(`select count(*) from payments p where p.state = 'succeeded' and ${mine} and not exists (
        select 1 from audit_events a where a.action = 'payment.succeeded' and a.entity_id = p.id::text)`),
  };
}

/** How many of these payment ids are succeeded in the database. */
export async function succeededAmong(sql: postgres.Sql, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const [row] = await sql<{ n: string }[]>`select count(*)::text as n from payments where state = 'succeeded' and id = any(${ids}::uuid[])`;
  return Number(row!.n);
}
