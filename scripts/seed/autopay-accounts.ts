/** Accounts for automatic payment at scale (the bench, the crash test): a saved card, automatic payment on, one invoice due. */
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

/**
 * Accounts as the panel keeps them after a sandbox card was saved and automatic payment turned on,
 * each with a verified Billing address and one invoice of 125.00 EUR due on `dueDate`.
 */
export async function seedAutopayAccounts(db: Database, o: { accounts: number; dueDate: string }): Promise<void> {
  await db.execute(sql`
    with a as (
      insert into accounts (kind, name, country_code, currency, street, zip_code, city, automatic_payment)
      select 'company', 'Autopay Bench ' || g, 'SE', 'EUR', 'Benchgatan 1', '11122', 'Stockholm', true from generate_series(1, ${o.accounts}::int) g
      returning id, name),
    m as (
      insert into sandbox_payment_methods (id, brand, last4, exp_month, exp_year, behaviour)
      select md5(a.id::text)::uuid, 'Visa', '4242', 12, 2099, 'succeeds' from a returning id),
    c as (
      insert into saved_cards (account_id, provider, provider_reference, brand, last4, exp_month, exp_year)
      select a.id, 'sandbox', md5(a.id::text)::uuid::text, 'Visa', '4242', 12, 2099 from a returning account_id),
    e as (
      insert into contact_emails (account_id, email, verified_at, is_billing)
      select a.id, 'billing-' || a.id || '@example.com', now(), true from a returning account_id)
    insert into invoices (account_id, number, type, period_start, period_end, invoice_date, due_date, currency, language,
      vat_category, net_minor, vat_minor, total_minor, customer, payment_reference)
    select a.id, 9000000 + row_number() over (order by a.id), 'invoice', '2026-10-01', '2026-10-31', '2026-11-01', ${o.dueDate}::date, 'EUR', 'en',
      'standard', 10000, 2500, 12500,
      jsonb_build_object('name', a.name, 'careOf', null, 'street', 'Benchgatan 1', 'zipCode', '11122', 'city', 'Stockholm',
                         'countryCode', 'SE', 'organisationNumber', null, 'vatNumber', null, 'purchaseOrder', null),
      'AUTOPAY-BENCH-' || a.id
    from a`);
}

