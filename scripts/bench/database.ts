/**
 * The benchmark's PostgreSQL database: created when missing, migrated, filled with seedScale
 * (many accounts × 24 invoices plus one "Big Customer" account with thousands), and given one
 * realistic 300-line invoice for the big account. An existing database that already holds
 * enough is reused as it is.
 */
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createPostgresHandle, migrate, rows, type Database } from "@/db/client";
// The same deterministic PRNG as the demo seed, so the long invoice is the same in every database.
import { PRODUCTS, prng, resetDatabase, seedScale } from "@/scripts/seed";
import * as s from "@/db/schema";
import { addMonths, endOfMonth, startOfMonth, accountToday } from "@/lib/dates";
import { PROVIDER_TIME_ZONE } from "@/lib/provider";
import { issuedCustomerOf } from "@/lib/invoices/customer";
import { computeTotals, lineAmountMinor } from "@/lib/money";
import { paymentReferenceFor } from "@/lib/reference";

export const BIG_ACCOUNT_NAME = "Big Customer 1 AB";
/** Marks the 300-line invoice (its customer block's purchase order). */
export const LONG_INVOICE_MARK = "BENCH-300-LINES";
export const LONG_INVOICE_LINES = 300;

export type SeedPlan = {
  /** Invoices in the whole database, at least. */
  totalInvoices: number;
  bigAccountInvoices: number;
  invoicesPerAccount: number;
  linesPerInvoice: number;
};

export type BenchData = {
  db: Database;
  close: () => Promise<void>;
  invoices: number;
  bigAccountId: string;
  bigAccountEmail: string;
  bigAccountInvoices: number;
  longInvoiceNumber: number;
  seeded: boolean;
  seedSeconds: number | null;
};

/** The URL without its password, for printing. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

async function ensureDatabaseExists(url: string): Promise<boolean> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ""));
  if (!name) throw new Error(`BENCH_DATABASE_URL names no database: ${redactUrl(url)}`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = postgres(admin.toString(), { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const found = await client`select 1 from pg_database where datname = ${name}`;
    if (found.length > 0) return false;
    await client`create database ${client(name)}`;
    return true;
  } finally {
    await client.end({ timeout: 5 });
  }
}

type Existing = { invoices: number; bigAccountId: string | null; bigAccountEmail: string | null; bigInvoices: number };

async function inspect(db: Database): Promise<Existing> {
  const [total] = await rows<{ n: string }>(db, sql`select count(*)::bigint as n from invoices`);
  const [big] = await rows<{ id: string; email: string; n: string }>(
    db,
    sql`select a.id, u.email, (select count(*) from invoices i where i.account_id = a.id)::bigint as n
        from accounts a join users u on u.account_id = a.id
        where a.name = ${BIG_ACCOUNT_NAME}
        order by a.created_at limit 1`,
  );
  return {
    invoices: Number(total?.n ?? 0),
    bigAccountId: big?.id ?? null,
    bigAccountEmail: big?.email ?? null,
    bigInvoices: Number(big?.n ?? 0),
  };
}

/**
 * Opens (creating, migrating and seeding as needed) the benchmark database. A database that is
 * not empty but too small is emptied only when `reseed` is given or its name contains "bench".
 */
export async function prepareBenchDatabase(
  url: string,
  plan: SeedPlan,
  opts: { reseed: boolean; log: (line: string) => void },
): Promise<BenchData> {
  const created = await ensureDatabaseExists(url);
  if (created) opts.log(`created database ${redactUrl(url)}`);
  const handle = createPostgresHandle(url, 4);
  const db = handle.db;
  try {
    await migrate(db, "postgres");
    let existing = await inspect(db);
    const enough =
      existing.invoices >= plan.totalInvoices && existing.bigAccountId !== null && existing.bigInvoices >= plan.bigAccountInvoices;
    let seeded = false;
    let seedSeconds: number | null = null;
    if (enough && !opts.reseed) {
      opts.log(
        `reusing the seeded database: ${existing.invoices.toLocaleString("en")} invoices, big account ${existing.bigInvoices.toLocaleString("en")} (--reseed to start over)`,
      );
    } else {
      if (existing.invoices > 0 || existing.bigAccountId) {
        const dbName = decodeURIComponent(new URL(url).pathname.slice(1));
        if (!opts.reseed && !/bench/i.test(dbName)) {
          throw new Error(
            `${redactUrl(url)} holds ${existing.invoices} invoices, fewer than the benchmark needs; run with --reseed to empty and refill it.`,
          );
        }
        opts.log(`emptying ${redactUrl(url)} (${existing.invoices.toLocaleString("en")} invoices)`);
        await resetDatabase(db);
      }
      const accounts = Math.ceil((plan.totalInvoices - plan.bigAccountInvoices) / plan.invoicesPerAccount);
      opts.log(
        `seeding ${accounts.toLocaleString("en")} accounts × ${plan.invoicesPerAccount} invoices × ${plan.linesPerInvoice} lines + one account with ${plan.bigAccountInvoices.toLocaleString("en")} invoices…`,
      );
      const started = Date.now();
      await seedScale(db, accountToday(PROVIDER_TIME_ZONE), {
        accounts,
        invoicesPerAccount: plan.invoicesPerAccount,
        linesPerInvoice: plan.linesPerInvoice,
        bigAccountInvoices: plan.bigAccountInvoices,
        batchAccounts: 1000,
        onProgress: (done, total) => {
          const secs = (Date.now() - started) / 1000;
          process.stdout.write(`\r  accounts ${done}/${total}  ${(done / secs).toFixed(0)}/s  ${secs.toFixed(0)} s   `);
        },
      });
      process.stdout.write("\n");
      opts.log("vacuum analyze…");
      await db.execute(sql`vacuum analyze`);
      seedSeconds = (Date.now() - started) / 1000;
      opts.log(`seeded in ${seedSeconds.toFixed(1)} s`);
      seeded = true;
      existing = await inspect(db);
    }
    if (!existing.bigAccountId || !existing.bigAccountEmail) throw new Error(`no account named ${BIG_ACCOUNT_NAME} after seeding`);
    const long = await ensureLongInvoice(db, existing.bigAccountId, opts.log);
    await ensureBigAccountUsage(db, existing.bigAccountId, opts.log);
    return {
      db,
      close: handle.close,
      invoices: existing.invoices + (long.inserted ? 1 : 0),
      bigAccountId: existing.bigAccountId,
      bigAccountEmail: existing.bigAccountEmail,
      bigAccountInvoices: existing.bigInvoices + (long.inserted ? 1 : 0),
      longInvoiceNumber: long.number,
      seeded,
      seedSeconds,
    };
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
}

type LongLine = Omit<s.NewInvoiceLine, "invoiceId">;

/**
 * 300 lines of a large cloud customer's month: per project and region its vCPU, memory and
 * block storage; per region object storage, egress and IPv4 addresses; support and a discount.
 */
export function longInvoiceLines(count = LONG_INVOICE_LINES): LongLine[] {
  const rnd = prng(300);
  const regions = ["sto1", "sto2", "fra1"] as const;
  const product = (code: string) => {
    const p = PRODUCTS.find((x) => x.code === code);
    if (!p) throw new Error(`unknown product ${code}`);
    return p;
  };
  const make = (code: string, quantity: string, region: string | null, suffix = ""): Omit<LongLine, "position"> => {
    const p = product(code);
    const unitPriceMinor = p.prices.EUR;
    return {
      service: p.service,
      productCode: p.code,
      label: `${p.labelEn}${region ? ` (${region})` : ""}${suffix}`,
      region,
      quantity,
      unit: p.unit,
      unitPriceMinor,
      amountMinor: lineAmountMinor(quantity, unitPriceMinor),
      vatRateBp: 2500,
    };
  };
  const fixed = regions.length * 3 + 2; // object storage, egress, IPv4 per region; support; discount
  const projects = Math.floor((count - fixed) / (regions.length * 3));
  const compute: Omit<LongLine, "position">[] = [];
  const storage: Omit<LongLine, "position">[] = [];
  const network: Omit<LongLine, "position">[] = [];
  for (let p = 1; p <= projects; p++) {
    for (const region of regions) {
      const name = ` · project-${String(p).padStart(3, "0")}`;
      const vcpus = 2 + Math.floor(rnd() * 30);
      const hours = 200 + Math.floor(rnd() * 521);
      compute.push(make("compute.vcpu", String(vcpus * hours), region, name));
      compute.push(make("compute.ram", String(vcpus * 4 * hours), region, name));
      storage.push(make("storage.block", String(50 + Math.floor(rnd() * 2000)), region, name));
    }
  }
  for (const region of regions) {
    storage.push(make("storage.object", (100 + rnd() * 5000).toFixed(3), region));
    network.push(make("network.egress", (50 + rnd() * 3000).toFixed(3), region));
    network.push(make("network.ipv4", String(720 * (1 + Math.floor(rnd() * 8))), region));
  }
  const tail = [make("support.business", "1", null), make("discount.commitment", "1", null)];
  const all = [...compute, ...storage, ...network, ...tail];
  // Fill up to the exact count with extra egress lines (rounding of the project count).
  while (all.length < count) all.splice(all.length - 2, 0, make("network.egress", (10 + rnd() * 100).toFixed(3), null, ` · CDN ${all.length}`));
  return all.slice(0, count).map((l, i) => ({ ...l, position: i + 1 }));
}

export const USAGE_MONTHS = 24;
export const USAGE_LINES_PER_MONTH = 300;

/**
 * The big account's usage, inserted once: 300 records in each of the last 24 months (this one
 * included, up to today), spread over the months' days, in 30 product × region pairs.
 */
async function ensureBigAccountUsage(db: Database, accountId: string, log: (line: string) => void): Promise<void> {
  const [found] = await rows<{ n: string }>(db, sql`select count(*)::bigint as n from usage_records where account_id = ${accountId}`);
  if (Number(found?.n ?? 0) > 0) return;
  const today = accountToday(PROVIDER_TIME_ZONE);
  const products = `{${PRODUCTS.filter((p) => p.unit !== "month").map((p) => p.code).join(",")}}`;
  const regions = `{sto1,sto2,fra1,ams1,hel1}`;
  await db.execute(sql`
    insert into usage_records (account_id, product_code, region, quantity, unit, period, usage_date)
    select ${accountId}::uuid, p.code, (${regions}::text[])[((k - 1) / 6) % 5 + 1],
           ((abs(hashtext(m.period::text || ':' || k)) % 200000) / 1000.0 + 1)::numeric(20, 6), p.unit, m.period,
           least(m.period + (k - 1) % 28, ${today}::date)
    from generate_series(0, ${USAGE_MONTHS - 1}::int) g
    cross join lateral (select (date_trunc('month', ${today}::date) - make_interval(months => g))::date as period) m
    cross join generate_series(1, ${USAGE_LINES_PER_MONTH}::int) k
    join products p on p.code = (${products}::text[])[(k - 1) % 6 + 1]`);
  await db.execute(sql`analyze usage_records`);
  log(`inserted ${USAGE_MONTHS} months × ${USAGE_LINES_PER_MONTH} usage lines for ${BIG_ACCOUNT_NAME}`);
}

/** The big account's 300-line invoice, inserted once: returns its number. */
async function ensureLongInvoice(
  db: Database,
  accountId: string,
  log: (line: string) => void,
): Promise<{ number: number; inserted: boolean }> {
  const [found] = await rows<{ number: string }>(
    db,
    sql`select number from invoices where account_id = ${accountId} and customer->>'purchaseOrder' = ${LONG_INVOICE_MARK} limit 1`,
  );
  if (found) return { number: Number(found.number), inserted: false };

  const lines = longInvoiceLines();
  const totals = computeTotals(lines);
  const today = accountToday(PROVIDER_TIME_ZONE);
  const invoiceDate = startOfMonth(today);
  const periodStart = addMonths(invoiceDate, -1);
  const number = await db.transaction(async (tx) => {
    const [account] = await tx.select().from(s.accounts).where(sql`${s.accounts.id} = ${accountId}`);
    if (!account) throw new Error("big account vanished");
    // The gapless number: taken from the sequence row in the same transaction as the invoice.
    const [seq] = await rows<{ next_value: string }>(
      tx,
      sql`select next_value from number_sequences where name = 'invoice' for update`,
    );
    if (!seq) throw new Error("number_sequences has no 'invoice' row");
    const n = Number(seq.next_value);
    await tx.execute(sql`update number_sequences set next_value = next_value + 1 where name = 'invoice'`);
    const [inv] = await tx
      .insert(s.invoices)
      .values({
        accountId,
        number: n,
        type: "invoice",
        periodStart,
        periodEnd: endOfMonth(periodStart),
        invoiceDate,
        dueDate: endOfMonth(invoiceDate),
        currency: account.currency,
        language: account.language,
        vatCategory: "standard",
        netMinor: totals.netMinor,
        vatMinor: totals.vatMinor,
        totalMinor: totals.totalMinor,
        customer: { ...issuedCustomerOf(account), purchaseOrder: LONG_INVOICE_MARK },
        paymentReference: paymentReferenceFor(n),
        issuedAt: new Date(`${invoiceDate}T06:00:00Z`),
      })
      .returning({ id: s.invoices.id });
    await tx.insert(s.invoiceLines).values(lines.map((l) => ({ ...l, invoiceId: inv!.id })));
    return n;
  });
  await db.execute(sql`analyze invoices`);
  log(`inserted the 300-line invoice ${number} for ${BIG_ACCOUNT_NAME}`);
  return { number, inserted: true };
}

/** The big account's invoice numbers in list order (newest first), without the long invoice. */
export async function bigAccountNumbers(db: Database, accountId: string, exclude: number): Promise<number[]> {
  const r = await rows<{ number: string }>(
    db,
    sql`select number from invoices where account_id = ${accountId} and number <> ${exclude}
        order by invoice_date desc, number desc`,
  );
  return r.map((x) => Number(x.number));
}

/** The `after` cursor that opens page `page` of the unfiltered list (25 rows per page). */
export async function cursorForPage(db: Database, accountId: string, page: number, pageSize = 25): Promise<string> {
  const [row] = await rows<{ d: string; number: string }>(
    db,
    sql`select to_char(invoice_date, 'YYYY-MM-DD') as d, number from invoices where account_id = ${accountId}
        order by invoice_date desc, number desc offset ${(page - 1) * pageSize - 1} limit 1`,
  );
  if (!row) throw new Error(`the big account has fewer than ${(page - 1) * pageSize} invoices`);
  return `${row.d}_${row.number}`;
}

/** Forgets stored PDFs: of the given invoice numbers, or of every invoice of the account. */
export async function deleteStoredPdfs(db: Database, accountId: string, numbers?: number[]): Promise<number> {
  const filter =
    numbers === undefined
      ? sql``
      : sql` and i.number in (${sql.join(numbers.map((n) => sql`${n}`), sql`, `)})`;
  const r = await rows<{ n: string }>(
    db,
    sql`with d as (delete from invoice_pdfs p using invoices i
                   where p.invoice_id = i.id and i.account_id = ${accountId}${filter} returning 1)
        select count(*)::bigint as n from d`,
  );
  return Number(r[0]?.n ?? 0);
}
