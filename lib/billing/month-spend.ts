/**
 * The month so far for one account: its usage priced exactly as the billing run will price it
 * (summedUsage + priceUsage, the run's own code), the forecast, and where the money goes.
 */
import { sql } from "drizzle-orm";
import { rows, type Executor } from "@/db/client";
import { priceUsage, type PricedUsageRow, type UsageRow } from "./draft";
import { forecastMonthMinor, forecastWindow } from "./forecast";
import { periodOf } from "./period";
import { summedUsage } from "./usage";

export type MonthSpend = {
  currency: string;
  /** Excl. VAT, month to date, priced as the billing run does. */
  spentMinor: bigint;
  /** Null before the 3rd ("Too early to forecast"). */
  forecastMinor: bigint | null;
  /** Largest first. */
  byServiceRegion: { service: string; region: string | null; netMinor: bigint }[];
  /** The lines the month's invoice would have today, in its print order. */
  lines: { service: string; productCode: string; region: string | null; quantity: string; netMinor: bigint }[];
  /** Products used this month with no price in the account's currency: left out of the figures. */
  unpricedProducts: string[];
};

const sumMinor = (lines: PricedUsageRow[]) => lines.reduce((sum, l) => sum + (l.amountMinor ?? 0n), 0n);
/** Monthly fees are recorded once, on the 1st: a daily rate counting them would repeat them every day left. */
const dailyUsage = (usage: UsageRow[]) => usage.filter((u) => u.unit !== "month");

/** The month's spend so far in the account's currency; `today` is the account's today. */
export async function getMonthSpend(db: Executor, accountId: string, today: string): Promise<MonthSpend> {
  const period = periodOf(today);
  const window = forecastWindow(today);
  const [accountRows, monthUsage, windowUsage] = await Promise.all([
    rows<{ currency: string }>(db, sql`select currency from accounts where id = ${accountId}`),
    summedUsage(db, [accountId], period, { from: period.start, to: today }),
    summedUsage(db, [accountId], period, window),
  ]);
  const lines = priceUsage(monthUsage.get(accountId) ?? []);
  const spentMinor = sumMinor(lines);
  return {
    currency: (accountRows[0]?.currency ?? "").trim(),
    spentMinor,
    forecastMinor: forecastMonthMinor(today, spentMinor, sumMinor(priceUsage(dailyUsage(windowUsage.get(accountId) ?? [])))),
    byServiceRegion: byServiceRegion(lines),
    lines: lines.flatMap((l) =>
      l.amountMinor === null ? [] : [{ service: l.service, productCode: l.product_code, region: l.region, quantity: l.quantity, netMinor: l.amountMinor }],
    ),
    unpricedProducts: [...new Set(lines.filter((l) => l.amountMinor === null).map((l) => l.product_code))],
  };
}

/** Priced lines summed per service and region, largest first (ties in name order). */
function byServiceRegion(lines: PricedUsageRow[]): MonthSpend["byServiceRegion"] {
  const sums = new Map<string, MonthSpend["byServiceRegion"][number]>();
  for (const l of lines) {
    if (l.amountMinor === null) continue;
    const key = `${l.service}\u0000${l.region ?? ""}`;
    const row = sums.get(key) ?? { service: l.service, region: l.region, netMinor: 0n };
    row.netMinor += l.amountMinor;
    sums.set(key, row);
  }
  return [...sums.values()].sort(
    (a, b) => (a.netMinor < b.netMinor ? 1 : a.netMinor > b.netMinor ? -1 : 0) || a.service.localeCompare(b.service) || (a.region ?? "").localeCompare(b.region ?? ""),
  );
}
