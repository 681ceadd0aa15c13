/**
 * Benchmark-sized data, generated inside the database with set-based INSERT … SELECT per batch of
 * accounts: every account has one user (the demo password), its invoices and, but for the newest
 * two, their payments.
 */
import { sql } from "drizzle-orm";
import { rows, type Database, type Transaction } from "@/db/client";
import { startOfMonth } from "@/lib/dates";
import { FIRST_INVOICE_NUMBER } from "@/lib/invoices/numbers";
import { hashPassword } from "@/lib/passwords";
import { seedProducts } from "./catalog";
import { DEMO_PASSWORD } from "./demo";

export type ScaleOptions = {
  accounts: number;
  invoicesPerAccount: number;
  linesPerInvoice: number;
  /** Invoices of one extra account (the benchmark's "one account with 5,000"). */
  bigAccountInvoices: number;
  batchAccounts: number;
  onProgress?: (done: number, total: number) => void;
};

/** One batch: how many accounts, how many invoices each, and where its numbers start. */
type ScaleBatch = { accounts: number; invoicesEach: number; label: string; firstNumber: bigint };

/**
 * Benchmark-sized data, generated inside the database with set-based INSERT … SELECT per
 * batch of accounts: no rows travel over the wire, so 20,000 accounts × 24 invoices × 20
 * lines take minutes, not hours. All scale users share the demo password.
 */
export async function seedScale(db: Database, today: string, o: ScaleOptions): Promise<{ invoices: number }> {
  await seedProducts(db);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const currentMonth = startOfMonth(today);
  const [seqRow] = await rows<{ next: string | number | bigint }>(
    db,
    sql`select coalesce((select next_value from number_sequences where name = 'invoice'), ${FIRST_INVOICE_NUMBER})::bigint as next`,
  );
  let nextNumber = BigInt(seqRow!.next);
  let invoicesMade = 0;
  const batch = async (accounts: number, invoicesEach: number, label: string) => {
    const b: ScaleBatch = { accounts, invoicesEach, label, firstNumber: nextNumber };
    nextNumber = await insertScaleBatch(db, b, { passwordHash, currentMonth, linesPerInvoice: o.linesPerInvoice });
    invoicesMade += accounts * invoicesEach;
  };
  for (let done = 0; done < o.accounts; ) {
    const n = Math.min(o.batchAccounts, o.accounts - done);
    await batch(n, o.invoicesPerAccount, "Scale Customer");
    done += n;
    o.onProgress?.(done, o.accounts);
  }
  if (o.bigAccountInvoices > 0) await batch(1, o.bigAccountInvoices, "Big Customer");
  return { invoices: invoicesMade };
}

/** One batch in one transaction; answers the next free invoice number. */
async function insertScaleBatch(
  db: Database,
  b: ScaleBatch,
  o: { passwordHash: string; currentMonth: string; linesPerInvoice: number },
): Promise<bigint> {
  const nextNumber = b.firstNumber + BigInt(b.accounts * b.invoicesEach);
  await db.transaction(async (tx) => {
    await insertScaleAccounts(tx, b, o.passwordHash);
    await insertScaleInvoices(tx, b, o.currentMonth, o.linesPerInvoice);
    await insertScalePayments(tx);
    await tx.execute(sql`
      insert into number_sequences (name, next_value) values ('invoice', ${nextNumber})
      on conflict (name) do update set next_value = excluded.next_value`);
  });
  return nextNumber;
}

/** The batch's accounts (kept in scale_accounts with their index), each with a user and a billing address. */
async function insertScaleAccounts(tx: Transaction, b: ScaleBatch, passwordHash: string): Promise<void> {
  const { accounts: accountsInBatch, label } = b;
  await tx.execute(sql`
    create temporary table scale_accounts on commit drop as
    with ins as (
      insert into accounts (kind, name, first_name, last_name, country_code, currency, language, time_zone,
                            organisation_number, vat_number, street, zip_code, city)
      select 'company', ${label} || ' ' || g || ' AB', 'Scale', 'Customer ' || g, 'SE', 'EUR', 'en', 'Europe/Stockholm',
             '559' || lpad(g::text, 7, '0'), null, 'Testgatan ' || g, '111 22', 'Stockholm'
      from generate_series(1, ${accountsInBatch}) g
      returning id
    )
    select id, row_number() over (order by id) - 1 as idx from ins`);
  await tx.execute(sql`
    insert into users (account_id, email, name, password_hash, is_admin, invoice_access)
    select id, 'scale-' || replace(id::text, '-', '') || '@example.com', 'Scale user', ${passwordHash}, true, 'full'
    from scale_accounts`);
  await tx.execute(sql`
    insert into contact_emails (account_id, email, verified_at, is_billing, is_tech, is_dpo)
    select id, 'billing-' || replace(id::text, '-', '') || '@example.com', now(), true, true, true from scale_accounts`);
}

async function insertScaleInvoices(tx: Transaction, b: ScaleBatch, currentMonth: string, linesPerInvoice: number): Promise<void> {
  const { invoicesEach, firstNumber: base } = b;
  // Invoice k of account idx is month k back from the current month; numbers are gapless.
  await tx.execute(sql`
    create temporary table scale_invoices on commit drop as
    select gen_random_uuid() as id, a.id as account_id,
           (${base}::bigint + a.idx * ${invoicesEach} + (k - 1))::bigint as number,
           (date_trunc('month', ${currentMonth}::date) - make_interval(months => k))::date as period_start,
           k,
           (1000 + (a.idx * 7919 + k * 104729) % 900000)::bigint as net
    from scale_accounts a cross join generate_series(1, ${invoicesEach}) k`);
  await tx.execute(sql`
    insert into invoices (id, account_id, number, type, period_start, period_end, invoice_date, due_date, currency,
                          language, vat_category, net_minor, vat_minor, total_minor, customer, payment_reference, issued_at)
    select i.id, i.account_id, i.number, 'invoice', i.period_start,
           (i.period_start + interval '1 month' - interval '1 day')::date,
           (i.period_start + interval '1 month')::date,
           (i.period_start + interval '2 month' - interval '1 day')::date,
           'EUR', 'en', 'standard', i.net * ${linesPerInvoice}, (i.net * ${linesPerInvoice} * 25 + 50) / 100,
           i.net * ${linesPerInvoice} + (i.net * ${linesPerInvoice} * 25 + 50) / 100,
           jsonb_build_object('name', 'Scale customer', 'careOf', null, 'street', 'Testgatan 1', 'zipCode', '111 22',
             'city', 'Stockholm', 'countryCode', 'SE', 'organisationNumber', null, 'vatNumber', null, 'purchaseOrder', null),
           'S' || i.number, (i.period_start + interval '1 month')::timestamptz
    from scale_invoices i`);
  await tx.execute(sql`
    insert into invoice_lines (invoice_id, position, service, product_code, label, region, quantity, unit,
                               unit_price_minor, amount_minor, vat_rate_bp)
    select i.id, l, 'Compute', 'compute.vcpu', 'vCPU (sto1)', 'sto1', i.net, 'h', 1, i.net, 2500
    from scale_invoices i cross join generate_series(1, ${linesPerInvoice}) l`);
}

async function insertScalePayments(tx: Transaction): Promise<void> {
  // All but the newest two invoices of each account are paid in full.
  await tx.execute(sql`
    create temporary table scale_payments on commit drop as
    select gen_random_uuid() as payment_id, i.id as invoice_id, i.account_id, inv.total_minor, inv.invoice_date
    from scale_invoices i join invoices inv on inv.id = i.id where i.k > 2`);
  await tx.execute(sql`
    insert into payments (id, account_id, provider, method, state, amount_minor, currency, provider_reference,
                          created_at, updated_at, settled_at)
    select payment_id, account_id, 'sandbox', 'card', 'succeeded', total_minor, 'EUR', 'scale-' || payment_id,
           invoice_date + interval '10 day', invoice_date + interval '10 day', invoice_date + interval '10 day'
    from scale_payments`);
  await tx.execute(sql`
    insert into payment_allocations (payment_id, invoice_id, amount_minor)
    select payment_id, invoice_id, total_minor from scale_payments`);
}
