/**
 * Usage summed per product and region, priced in each account's currency: what the billing run
 * drafts invoices from and what the month-to-date preview shows, from the one query.
 */
import { sql } from "drizzle-orm";
import { rows, type Executor } from "@/db/client";
import type { UsageRow } from "./draft";
import type { Period } from "./period";

/** Usage dates to keep, both ends included; none: the whole month, as the billing run bills it. */
export type UsageDays = { from: string; to: string };

/** These accounts' usage of the month (of those days only, when given), summed per product and region. */
export async function summedUsage(db: Executor, accountIds: readonly string[], period: Period, days?: UsageDays): Promise<Map<string, UsageRow[]>> {
  const onDays = days ? sql`and u.usage_date between ${days.from}::date and ${days.to}::date` : sql``;
  const usage = await rows<UsageRow>(
    db,
    sql`select u.account_id::text as account_id, u.product_code, u.region, sum(u.quantity)::text as quantity,
               bool_and(u.unit = p.unit) as units_match, p.service, p.label_en, p.label_sv, p.unit,
               p.vat_category::text as vat_category, pp.unit_price_minor::text as price
        from usage_records u
        join accounts a on a.id = u.account_id
        join products p on p.code = u.product_code
        left join product_prices pp on pp.product_code = u.product_code and pp.currency = a.currency
        where u.period = ${period.start}::date and u.account_id = any(${`{${accountIds.join(",")}}`}::uuid[]) ${onDays}
        group by u.account_id, u.product_code, u.region, p.code, pp.unit_price_minor`,
  );
  const usageByAccount = new Map<string, UsageRow[]>();
  for (const u of usage) {
    const list = usageByAccount.get(u.account_id);
    if (list) list.push(u);
    else usageByAccount.set(u.account_id, [u]);
  }
  return usageByAccount;
}
