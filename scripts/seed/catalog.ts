/** The demo's price list, and one month of a cloud customer's usage priced from it. */
import type { Executor } from "@/db/client";
import * as s from "@/db/schema";
import { addDays, endOfMonth, startOfMonth } from "@/lib/dates";
import { lineAmountMinor } from "@/lib/money";

/** The price list: product code → labels, unit, group, and price per currency (minor units). */
export const PRODUCTS = [
  { code: "compute.vcpu", service: "Compute", labelEn: "vCPU", labelSv: "vCPU", unit: "h", prices: { EUR: "1.9", SEK: "21" } },
  { code: "compute.ram", service: "Compute", labelEn: "Memory", labelSv: "Minne", unit: "GiB·h", prices: { EUR: "0.45", SEK: "5" } },
  { code: "storage.block", service: "Storage", labelEn: "Block storage", labelSv: "Blocklagring", unit: "GiB·month", prices: { EUR: "9", SEK: "100" } },
  { code: "storage.object", service: "Storage", labelEn: "Object storage", labelSv: "Objektlagring", unit: "GiB·month", prices: { EUR: "2", SEK: "22" } },
  { code: "network.egress", service: "Network", labelEn: "Data transfer out", labelSv: "Utgående datatrafik", unit: "GiB", prices: { EUR: "1", SEK: "11" } },
  { code: "network.ipv4", service: "Network", labelEn: "Floating IPv4 address", labelSv: "Flytande IPv4-adress", unit: "h", prices: { EUR: "0.5", SEK: "5.5" } },
  { code: "support.business", service: "Support", labelEn: "Business support", labelSv: "Företagssupport", unit: "month", prices: { EUR: "19900", SEK: "220000" } },
  { code: "discount.commitment", service: "Discount", labelEn: "Commitment discount", labelSv: "Åtagenderabatt", unit: "month", prices: { EUR: "-5000", SEK: "-55000" } },
] as const;


export const REGIONS = ["sto1", "sto2", "fra1"] as const;

type ProductCode = (typeof PRODUCTS)[number]["code"];
const productByCode = new Map(PRODUCTS.map((p) => [p.code as string, p]));

/** A small deterministic PRNG (mulberry32): the same seed gives the same demo data. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type DraftLine = Omit<s.NewInvoiceLine, "invoiceId" | "position">;

function line(code: ProductCode, currency: "EUR" | "SEK", quantity: string, vatRateBp: number, region?: string): DraftLine {
  const p = productByCode.get(code)!;
  const unitPriceMinor = p.prices[currency];
  return {
    service: p.service,
    productCode: p.code,
    label: region ? `${p.labelEn} (${region})` : p.labelEn,
    region: region ?? null,
    quantity,
    unit: p.unit,
    unitPriceMinor,
    amountMinor: lineAmountMinor(quantity, unitPriceMinor),
    vatRateBp,
  };
}

/** One month of a cloud customer's usage, growing slowly over time. */
export function monthlyLines(seed: number, monthIndex: number, currency: "EUR" | "SEK", vatRateBp: number, regions: readonly string[]): DraftLine[] {
  const rnd = prng(seed * 1000 + monthIndex);
  const growth = 1 + monthIndex * 0.03;
  const hours = 720;
  const lines: DraftLine[] = [];
  for (const region of regions) {
    const vcpus = Math.round((4 + rnd() * 12) * growth);
    lines.push(line("compute.vcpu", currency, String(vcpus * hours), vatRateBp, region));
    lines.push(line("compute.ram", currency, String(vcpus * 4 * hours), vatRateBp, region));
    lines.push(line("storage.block", currency, String(Math.round((200 + rnd() * 800) * growth)), vatRateBp, region));
  }
  lines.push(line("storage.object", currency, (500 + rnd() * 1500).toFixed(3), vatRateBp, regions[0]));
  lines.push(line("network.egress", currency, (100 + rnd() * 900).toFixed(3), vatRateBp));
  lines.push(line("network.ipv4", currency, String(2 * hours), vatRateBp));
  lines.push(line("support.business", currency, "1", vatRateBp));
  lines.push(line("discount.commitment", currency, "1", vatRateBp));
  return lines;
}

export async function seedProducts(db: Executor): Promise<void> {
  await db.insert(s.products).values(PRODUCTS.map(({ prices: _prices, ...p }) => ({ ...p }))).onConflictDoNothing();
  await db
    .insert(s.productPrices)
    .values(
      PRODUCTS.flatMap((p) =>
        Object.entries(p.prices).map(([currency, unitPriceMinor]) => ({ productCode: p.code, currency, unitPriceMinor })),
      ),
    )
    .onConflictDoNothing();
}

/** A usage record without its account. */
export type DailyUsage = { productCode: string; region: string | null; quantity: string; unit: string; period: string; usageDate: string };

/**
 * A month's lines as the days so far of the month holding `today` recorded them: metered
 * products a share of the month's quantity each day (varying ±20 % from day to day, so that a
 * forecast has something to follow), monthly fees once, on the 1st.
 */
export function dailyUsage(monthLines: DraftLine[], today: string, seed: number): DailyUsage[] {
  const period = startOfMonth(today);
  const daysInMonth = Number(endOfMonth(today).slice(8, 10));
  const rnd = prng(seed * 7919 + daysInMonth);
  const records: DailyUsage[] = [];
  for (const l of monthLines) {
    const base = { productCode: l.productCode, region: l.region ?? null, unit: l.unit, period };
    if (l.unit === "month") {
      records.push({ ...base, quantity: l.quantity, usageDate: period });
      continue;
    }
    for (let day = 1; day <= Number(today.slice(8, 10)); day++) {
      const share = (Number(l.quantity) / daysInMonth) * (0.8 + rnd() * 0.4);
      records.push({ ...base, quantity: share.toFixed(3), usageDate: addDays(period, day - 1) });
    }
  }
  return records;
}
