/**
 * The Dashboard's month so far (lib/billing/month-spend.ts) against the billing run: a month
 * previewed on its last day and then billed gives the invoice's lines and net, line by line;
 * earlier in the month only the days so far count, and the forecast follows the last 7 days.
 * Runs on PostgreSQL and PGlite.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { getMonthSpend } from "@/lib/billing/month-spend";
import { cachedSpendHistory, getSpendHistory } from "@/lib/billing/spend-history";
import { seedDemo } from "@/scripts/seed";
import { parsePeriod } from "@/lib/billing/period";
import { runBilling } from "@/lib/billing/run";
import { resetTables, setupTestDatabase } from "../setup/db";
import { issued, linesOf, makeAccount, type UsageSpec } from "./billing-fixtures";

const { db } = await setupTestDatabase();
const OCTOBER = parsePeriod("2026-10");

beforeEach(async () => {
  await resetTables(db);
});

/** Usage over October's days with quantities whose rounding differs per record and per sum. */
const OCTOBER_USAGE: UsageSpec[] = [
  ...Array.from({ length: 31 }, (_, i): UsageSpec => ({ product: "compute.vcpu", region: "sto1", quantity: `${24 + (i % 5)}.333`, usageDate: `2026-10-${String(i + 1).padStart(2, "0")}` })),
  ...Array.from({ length: 31 }, (_, i): UsageSpec => ({ product: "compute.ram", region: "fra1", quantity: `${96 + i}.5`, usageDate: `2026-10-${String(i + 1).padStart(2, "0")}` })),
  { product: "storage.object", region: "sto2", quantity: "733.337", usageDate: "2026-10-20" },
  { product: "network.egress", quantity: "12.345", usageDate: "2026-10-09" },
  { product: "support.business", quantity: "1", usageDate: "2026-10-01" },
  { product: "discount.commitment", quantity: "1", usageDate: "2026-10-01" },
];

describe("the month so far and the billing run", () => {
  it("prices a whole month exactly as the run bills it, line by line, in EUR and SEK", async () => {
    const eur = await makeAccount(db, { name: "Euro Kund AB", countryCode: "SE", vatNumber: "SE556677889901", usage: OCTOBER_USAGE }, OCTOBER.start);
    const sek = await makeAccount(db, { name: "Krona Kund AB", countryCode: "SE", currency: "SEK", language: "sv", usage: OCTOBER_USAGE }, OCTOBER.start);
    const previews = new Map([
      [eur, await getMonthSpend(db, eur, OCTOBER.end)],
      [sek, await getMonthSpend(db, sek, OCTOBER.end)],
    ]);
    const summary = await runBilling(db, { period: OCTOBER, today: "2026-11-01" });
    expect(summary).toMatchObject({ status: "completed", invoicesIssued: 2 });

    for (const invoice of await issued(db)) {
      const preview = previews.get(invoice.accountId)!;
      const lines = await linesOf(db, invoice.id);
      expect(preview.currency).toBe(invoice.currency);
      expect(preview.spentMinor).toBe(invoice.netMinor);
      expect(preview.unpricedProducts).toEqual([]);
      expect(preview.lines.map((l) => [l.service, l.region, Number(l.quantity), l.netMinor])).toEqual(
        lines.map((l) => [l.service, l.region, Number(l.quantity), l.amountMinor]),
      );
      const byServiceRegion = new Map<string, bigint>();
      for (const l of lines) byServiceRegion.set(`${l.service}/${l.region}`, (byServiceRegion.get(`${l.service}/${l.region}`) ?? 0n) + l.amountMinor);
      expect(new Map(preview.byServiceRegion.map((r) => [`${r.service}/${r.region}`, r.netMinor]))).toEqual(byServiceRegion);
      const amounts = preview.byServiceRegion.map((r) => r.netMinor);
      expect(amounts).toEqual([...amounts].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    }
  });

  it("counts the days so far only, forecasts from the last 7 complete, and not before the 3rd", async () => {
    const id = await makeAccount(db, {
      name: "Halv Månad AB",
      countryCode: "SE",
      usage: [
        // 1.90 EUR a day for the first 10 days (100 h of vCPU at 0.019), then 3.80 a day.
        ...Array.from({ length: 31 }, (_, i): UsageSpec => ({ product: "compute.vcpu", region: "sto1", quantity: i < 10 ? "100" : "200", usageDate: `2026-10-${String(i + 1).padStart(2, "0")}` })),
      ],
    }, OCTOBER.start);
    const other = await makeAccount(db, { name: "Någon Annan AB", countryCode: "SE" }, OCTOBER.start);

    const early = await getMonthSpend(db, id, "2026-10-02");
    expect(early.spentMinor).toBe(380n);
    expect(early.forecastMinor).toBeNull();

    // 14 October: 10 × 190 + 4 × 380 = 3,420; the 7 complete days before it (7th–13th)
    // 4 × 190 + 3 × 380 = 1,900, 17 days left.
    const mid = await getMonthSpend(db, id, "2026-10-14");
    expect(mid.spentMinor).toBe(3_420n);
    expect(mid.forecastMinor).toBe(3_420n + (1_900n * 17n * 2n + 7n) / 14n);
    expect(mid.byServiceRegion).toEqual([{ service: "Compute", region: "sto1", netMinor: 3_420n }]);

    const foreign = await getMonthSpend(db, other, "2026-10-14");
    expect(foreign.spentMinor).toBe(22_250n);
    expect(foreign.byServiceRegion.map((r) => [r.service, r.netMinor])).toEqual([["Support", 19_900n], ["Compute", 2_350n]]);
  });
});

describe("monthly fees in the forecast", () => {
  it("counts a monthly fee once, not as daily spend of the days left", async () => {
    const id = await makeAccount(db, {
      name: "Månadsavgift AB",
      countryCode: "SE",
      usage: [
        // 1.90 EUR a day of vCPU; support (199.00) and the commitment discount (-50.00) on the 1st.
        ...Array.from({ length: 5 }, (_, i): UsageSpec => ({ product: "compute.vcpu", region: "sto1", quantity: "100", usageDate: `2026-10-0${i + 1}` })),
        { product: "support.business", quantity: "1", usageDate: "2026-10-01" },
        { product: "discount.commitment", quantity: "1", usageDate: "2026-10-01" },
      ],
    }, OCTOBER.start);
    // 5 October: 5 × 190 + 19,900 − 5,000 = 15,850 so far; 190 a day (1st–4th) for the 26 days left.
    const month = await getMonthSpend(db, id, "2026-10-05");
    expect(month.spentMinor).toBe(15_850n);
    expect(month.forecastMinor).toBe(15_850n + 190n * 26n);
  });
});

describe("usage records written without a usage date", () => {
  it("are dated today, held within their month, as writers from before usage_date expect", async () => {
    const id = await makeAccount(db, { name: "Gammal Skrivare AB", countryCode: "SE", usage: [] }, OCTOBER.start);
    const insert = (period: string) =>
      rows<{ usage_date: string; today: string }>(
        db,
        sql`insert into usage_records (account_id, product_code, region, quantity, unit, period)
            values (${id}::uuid, 'compute.vcpu', 'sto1', 1, 'h', ${period}::date)
            returning usage_date::text as usage_date, current_date::text as today`,
      );
    const [month] = await rows<{ start: string }>(db, sql`select date_trunc('month', current_date)::date::text as start`);
    const [now] = await insert(month!.start);
    expect(now!.usage_date).toBe(now!.today);
    expect((await insert("2020-01-01"))[0]!.usage_date).toBe("2020-01-31");
    expect((await insert("2999-05-01"))[0]!.usage_date).toBe("2999-05-01");
  });
});

describe("the last 24 months", () => {
  it("are the issued invoices' net per month and service, oldest first, with the demo's days so far in the month", async () => {
    await seedDemo(db, "2026-12-07");
    const [demo] = await rows<{ id: string }>(db, sql`select id::text as id from accounts where name = 'Example Cloud Customer AB'`);
    const nets = await rows<{ month: string; net: string }>(
      db,
      sql`select period_start::text as month, net_minor::text as net from invoices where account_id = ${demo!.id}::uuid and type = 'invoice' order by period_start`,
    );
    const history = await getSpendHistory(db, demo!.id, "2026-12-07");
    expect(history.currency).toBe("EUR");
    expect(history.months.map((m) => m.month)).toEqual(nets.map((n) => n.month));
    expect(history.months[0]!.month).toBe("2024-12-01");
    expect(history.months.map((m) => m.totalMinor)).toEqual(nets.map((n) => BigInt(n.net)));
    for (const m of history.months) expect([...m.byService.values()].reduce((a, b) => a + b, 0n)).toBe(m.totalMinor);
    expect(history.services.slice(0, 1)).toEqual(["Compute"]);

    const month = await getMonthSpend(db, demo!.id, "2026-12-07");
    expect(month.spentMinor).toBeGreaterThan(0n);
    expect(month.forecastMinor).toBeGreaterThan(month.spentMinor);
    const [dates] = await rows<{ first: string; last: string }>(
      db,
      sql`select min(usage_date)::text as first, max(usage_date)::text as last from usage_records where account_id = ${demo!.id}::uuid`,
    );
    expect(dates).toEqual({ first: "2026-12-01", last: "2026-12-07" });
  });
});

describe("the last 24 months cached per ledger version", () => {
  it("are served again while nothing changed, and a changed invoice shows at the next request", async () => {
    await seedDemo(db, "2026-12-07");
    const [demo] = await rows<{ id: string; currency: string }>(db, sql`select id::text as id, currency::text as currency from accounts where name = 'Example Cloud Customer AB'`);
    const shown = async () => {
      const [a] = await rows<{ v: string }>(db, sql`select ledger_version::text as v from accounts where id = ${demo!.id}::uuid`);
      return cachedSpendHistory(db, demo!.id, "2026-12-07", { ledgerVersion: Number(a!.v), currency: demo!.currency });
    };
    const first = await shown();
    expect(await shown()).toBe(first);
    expect(first).toEqual(await getSpendHistory(db, demo!.id, "2026-12-07"));
    // An invoice of the oldest month moved out of the 24: one month fewer is billed.
    await db.execute(sql`update invoices set period_start = '2020-01-01' where account_id = ${demo!.id}::uuid and type = 'invoice' and period_start = '2024-12-01'`);
    const after = await shown();
    expect(after.months[0]!.totalMinor).toBe(0n);
    expect(first.months[0]!.totalMinor).toBeGreaterThan(0n);
    expect(after).toEqual(await getSpendHistory(db, demo!.id, "2026-12-07"));
  });
});
