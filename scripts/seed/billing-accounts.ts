/**
 * Accounts to bill, for the billing run's benchmark and tests: mixed kinds, countries (Sweden,
 * Finland, Germany, Norway, USA), currencies and languages, each with a verified Billing address
 * and N usage records in distinct product × region pairs, made inside the database with
 * set-based INSERT … SELECT.
 */
import { sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { seedProducts } from "./index";

/** Six metered products of the demo price list × five regions: 30 distinct invoice lines. */
const METERED = ["compute.vcpu", "compute.ram", "storage.block", "storage.object", "network.egress", "network.ipv4"];
const REGIONS = ["sto1", "sto2", "fra1", "kna1", "osl1"];

export type SeedBillingOptions = {
  accounts: number;
  /** Usage records per account (≤ 30 distinct product × region pairs; more repeat pairs). */
  usageLines: number;
  /** First day of the month the usage belongs to. */
  period: string;
  /** Account names are `${label} ${n}`. */
  label?: string;
  batch?: number;
  onProgress?: (done: number, total: number) => void;
};

/** Accounts with a verified Billing address and usage in `period`; returns the accounts made. */
export async function seedBillingAccounts(db: Database, o: SeedBillingOptions): Promise<number> {
  await seedProducts(db);
  const batch = o.batch ?? 1000;
  const label = o.label ?? "Bench Customer";
  const products = `{${METERED.join(",")}}`;
  const regions = `{${REGIONS.join(",")}}`;
  for (let from = 1; from <= o.accounts; from += batch) {
    const to = Math.min(o.accounts, from + batch - 1);
    await db.transaction(async (tx: Executor) => {
      await tx.execute(sql`
        create temporary table bench_accounts on commit drop as
        with ins as (
          insert into accounts (kind, name, first_name, last_name, country_code, currency, language, time_zone,
                                organisation_number, vat_number, street, zip_code, city)
          select (case when g % 10 = 9 then 'private' else 'company' end)::account_kind,
                 ${label} || ' ' || g, 'Bench', 'Customer ' || g,
                 (array['SE','SE','SE','SE','SE','SE','FI','DE','NO','US'])[g % 10 + 1],
                 case when g % 2 = 0 then 'SEK' else 'EUR' end,
                 (case when g % 3 = 0 then 'sv' else 'en' end)::invoice_language,
                 'Europe/Stockholm', '559' || lpad(g::text, 7, '0'),
                 case when g % 10 in (6, 7, 8) then 'EU' || lpad(g::text, 9, '0') end,
                 'Testgatan ' || g, '111 22', 'Stockholm'
          from generate_series(${from}::int, ${to}::int) g
          returning id
        )
        select id from ins`);
      await tx.execute(sql`
        insert into contact_emails (account_id, email, verified_at, is_billing, is_tech, is_dpo)
        select id, 'billing-' || replace(id::text, '-', '') || '@example.com', now(), true, true, true from bench_accounts`);
      await tx.execute(sql`
        insert into usage_records (account_id, product_code, region, quantity, unit, period, usage_date)
        select a.id, p.code, (${regions}::text[])[((k - 1) / 6) % 5 + 1],
               ((abs(hashtext(a.id::text || ':' || k)) % 2000000) / 1000.0 + 1)::numeric(20, 6),
               p.unit, ${o.period}::date, ${o.period}::date + (k - 1) % 28
        from bench_accounts a
        cross join generate_series(1, ${o.usageLines}::int) k
        join products p on p.code = (${products}::text[])[(k - 1) % 6 + 1]`);
    });
    o.onProgress?.(to, o.accounts);
  }
  return o.accounts;
}
