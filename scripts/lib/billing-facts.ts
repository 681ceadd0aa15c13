/** What a billing run left in the database, for the benchmark and the tests. */
import { sql } from "drizzle-orm";
import { rows, type Executor } from "@/db/client";

export type BillingFacts = {
  accountsWithUsage: number;
  invoices: number;
  accountsWithOneInvoice: number;
  accountsWithMore: number;
  lines: number;
  emails: number;
  /** Numbers of the month's invoices form one unbroken run. */
  gapless: boolean;
  firstNumber: number | null;
  lastNumber: number | null;
  /** invoices_issued of each billing_runs row of the month, in start order. */
  perRun: number[];
};

/** What a run left in the database, in plain SQL of its own. */
export async function billingFacts(db: Executor, period: string): Promise<BillingFacts> {
  const [f] = await rows<Record<string, string | null>>(
    db,
    sql`
      with per_account as (
        select u.account_id, (select count(*) from invoices i
                              where i.account_id = u.account_id and i.type = 'invoice' and i.period_start = ${period}::date) as n
        from (select distinct account_id from usage_records where period = ${period}::date) u
      ), month as (
        select id, number from invoices where type = 'invoice' and period_start = ${period}::date and billing_run_id is not null
      )
      select (select count(*) from per_account)::text as accounts,
             (select count(*) from month)::text as invoices,
             (select count(*) from per_account where n = 1)::text as one,
             (select count(*) from per_account where n > 1)::text as more,
             (select count(*) from invoice_lines l join month m on m.id = l.invoice_id)::text as lines,
             (select count(*) from email_outbox o where o.kind = 'invoice'
                and exists (select 1 from month m where m.id = o.invoice_id))::text as emails,
             (select min(number) from month)::text as first,
             (select max(number) from month)::text as last,
             (select count(distinct number) from month)::text as distinct_numbers`,
  );
  const perRun = await rows<{ n: string }>(
    db,
    sql`select invoices_issued::text as n from billing_runs where period = ${period}::date order by started_at, id`,
  );
  const invoices = Number(f!.invoices);
  const first = f!.first === null ? null : Number(f!.first);
  const last = f!.last === null ? null : Number(f!.last);
  return {
    accountsWithUsage: Number(f!.accounts),
    invoices,
    accountsWithOneInvoice: Number(f!.one),
    accountsWithMore: Number(f!.more),
    lines: Number(f!.lines),
    emails: Number(f!.emails),
    gapless: invoices === 0 || (first !== null && last !== null && last - first + 1 === invoices && Number(f!.distinct_numbers) === invoices),
    firstNumber: first,
    lastNumber: last,
    perRun: perRun.map((r) => Number(r.n)),
  };
}
