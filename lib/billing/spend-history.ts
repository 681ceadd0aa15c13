/**
 * An account's spend of the last 24 full months by service, excl. VAT, from its issued invoices'
 * lines: what each month was billed. Credit notes are documents of their own and are not
 * netted in; invoices in another currency than the account's today are left out.
 */
import { sql } from "drizzle-orm";
import { rows, type Executor } from "@/db/client";
import { addMonths, startOfMonth } from "@/lib/dates";
import { keptPromises } from "@/lib/kept-promises";

export const HISTORY_MONTHS = 24;

export type SpendHistory = {
  currency: string;
  /** Services in the order the chart stacks them: largest over the whole span first. */
  services: string[];
  /** Oldest first, one per month (first day), months without an invoice included at zero. */
  months: { month: string; byService: Map<string, bigint>; totalMinor: bigint }[];
};

/** The 24 months before the one holding `today` (the account's today). */
export async function getSpendHistory(db: Executor, accountId: string, today: string): Promise<SpendHistory> {
  const currentMonth = startOfMonth(today);
  const firstMonth = addMonths(currentMonth, -HISTORY_MONTHS);
  const found = await rows<{ month: string; service: string; net: string; currency: string }>(
    db,
    // Lines summed per invoice in a lateral subquery, so one index lookup per invoice: judged by
    // the whole table's dates, an account's 24 months look like most of its thousands of
    // invoices, and a plain join hash-joins them with every invoice line of the table.
    sql`select i.period_start::text as month, s.service, sum(s.net)::text as net, a.currency::text as currency
        from accounts a
        join invoices i on i.account_id = a.id and i.type = 'invoice' and i.currency = a.currency
                       and i.period_start >= ${firstMonth}::date and i.period_start < ${currentMonth}::date
        cross join lateral (select service, sum(amount_minor) as net from invoice_lines where invoice_id = i.id group by service) s
        where a.id = ${accountId}
        group by i.period_start, s.service, a.currency`,
  );
  const months = Array.from({ length: HISTORY_MONTHS }, (_, k) => ({ month: addMonths(firstMonth, k), byService: new Map<string, bigint>(), totalMinor: 0n }));
  const byMonth = new Map(months.map((m) => [m.month, m]));
  const serviceTotals = new Map<string, bigint>();
  for (const r of found) {
    const month = byMonth.get(r.month);
    if (!month) continue;
    const net = BigInt(r.net);
    month.byService.set(r.service, (month.byService.get(r.service) ?? 0n) + net);
    month.totalMinor += net;
    serviceTotals.set(r.service, (serviceTotals.get(r.service) ?? 0n) + net);
  }
  const services = [...serviceTotals.keys()].sort((a, b) => {
    const d = serviceTotals.get(b)! - serviceTotals.get(a)!;
    return d > 0n ? 1 : d < 0n ? -1 : a.localeCompare(b);
  });
  const currency = found[0]?.currency ?? (await rows<{ currency: string }>(db, sql`select currency from accounts where id = ${accountId}`))[0]?.currency ?? "";
  return { currency: currency.trim(), services, months };
}

/** Accounts whose last 24 months a server process keeps; the least recently used one goes first. */
export const HISTORY_CACHE_SIZE = 10_000;
const histories = keptPromises<SpendHistory>("spendHistories", HISTORY_CACHE_SIZE);

/**
 * The 24 months, computed once per account, month, currency and ledger version: they are issued
 * invoices' lines, and issuing, changing or deleting an invoice raises the account's ledger
 * version (migrations 0004 and 0018), which is read with the session.
 */
export function cachedSpendHistory(db: Executor, accountId: string, today: string, account: { ledgerVersion: number; currency: string }): Promise<SpendHistory> {
  return histories.get(accountId, [db, account.ledgerVersion, startOfMonth(today), account.currency], () => getSpendHistory(db, accountId, today));
}
