/**
 * Demo data of docs/product.md, relative to a given "today" so that overdue stays meaningful, and a
 * fast generator of benchmark-sized data (set-based SQL, batched per accounts).
 */
import { sql } from "drizzle-orm";
import { rows, type Database, type Executor } from "@/db/client";
import * as s from "@/db/schema";
import { addDays, addMonths, endOfMonth, startOfMonth } from "@/lib/dates";
import { issuedCustomerOf } from "@/lib/invoices/customer";
import { FIRST_INVOICE_NUMBER } from "@/lib/invoices/numbers";
import { computeTotals, lineAmountMinor } from "@/lib/money";
import { hashPassword } from "@/lib/passwords";
import { paymentReferenceFor } from "@/lib/reference";

export const DEMO_PASSWORD = "cumulus-demo-2026";
export const DEMO_LOGINS = [
  { email: "demo@example.com", role: "admin, invoice access Full" },
  { email: "reader@example.com", role: "invoice access Read" },
  { email: "noaccess@example.com", role: "invoice access None" },
  { email: "other@example.com", role: "another account (Other Tenant Oy), admin" },
] as const;

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

const REGIONS = ["sto1", "sto2", "fra1"] as const;

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

type DraftLine = Omit<s.NewInvoiceLine, "invoiceId" | "position">;

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
function monthlyLines(seed: number, monthIndex: number, currency: "EUR" | "SEK", vatRateBp: number, regions: readonly string[]): DraftLine[] {
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

type DemoAccountSpec = {
  account: s.NewAccount;
  users: { email: string; name: string; isAdmin: boolean; invoiceAccess: s.InvoiceAccess }[];
  contact: string;
  months: number;
  vatRateBp: number;
  vatCategory: s.VatCategory;
  regions: readonly string[];
  seed: number;
};

function demoSpecs(): DemoAccountSpec[] {
  return [
    {
      account: {
        kind: "company",
        name: "Example Cloud Customer AB",
        firstName: "Ada",
        lastName: "Lindqvist",
        countryCode: "SE",
        currency: "EUR",
        language: "en",
        timeZone: "Europe/Stockholm",
        organisationNumber: "556677-8899",
        vatNumber: "SE556677889901",
        purchaseOrder: "PO-2026-CLOUD",
        street: "Kungsgatan 12",
        zipCode: "111 43",
        city: "Stockholm",
        paymentTermsDays: 30,
      },
      users: [
        { email: "demo@example.com", name: "Ada Lindqvist", isAdmin: true, invoiceAccess: "full" },
        { email: "reader@example.com", name: "Rolf Reader", isAdmin: false, invoiceAccess: "read" },
        { email: "noaccess@example.com", name: "Nina Noaccess", isAdmin: false, invoiceAccess: "none" },
      ],
      contact: "demo@example.com",
      months: 24,
      vatRateBp: 2500,
      vatCategory: "standard",
      regions: REGIONS,
      seed: 1,
    },
    {
      account: {
        kind: "company",
        name: "Other Tenant Oy",
        firstName: "Otto",
        lastName: "Virtanen",
        countryCode: "FI",
        currency: "EUR",
        language: "en",
        timeZone: "Europe/Helsinki",
        organisationNumber: "1234567-8",
        vatNumber: "FI12345678",
        street: "Mannerheimintie 5",
        zipCode: "00100",
        city: "Helsinki",
        paymentTermsDays: 30,
      },
      users: [{ email: "other@example.com", name: "Otto Virtanen", isAdmin: true, invoiceAccess: "full" }],
      contact: "other@example.com",
      months: 12,
      // An EU business with a VAT number buying from a Swedish provider: reverse charge.
      vatRateBp: 0,
      vatCategory: "reverse_charge",
      regions: ["fra1"],
      seed: 2,
    },
  ];
}

export async function isDatabaseEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(s.accounts);
  return (row?.n ?? 0) === 0;
}

/** Empties every table (for `db:seed --reset` and tests). */
export async function resetDatabase(db: Database): Promise<void> {
  const tables = await rows<{ tablename: string }>(
    db,
    sql`select tablename from pg_tables where schemaname = 'public' and tablename not like '%drizzle%'`,
  );
  if (tables.length === 0) return;
  await db.execute(sql.raw(`truncate ${tables.map((t) => `"${t.tablename}"`).join(", ")} restart identity cascade`));
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

/**
 * The demo accounts of docs/product.md. Invoices are dated the 1st of the month after their period
 * and due at the end of that month, so — whatever today is — last month's invoice is not yet
 * due, the month before's is overdue, and the one before that is partly paid and overdue.
 */
export async function seedDemo(db: Database, today: string): Promise<{ accounts: number; invoices: number }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const currentMonth = startOfMonth(today);
  let invoiceCount = 0;

  await db.transaction(async (tx) => {
    await seedProducts(tx);
    type Draft = { accountId: string; spec: DemoAccountSpec; monthsAgo: number; invoiceDate: string; lines: DraftLine[] };
    const drafts: Draft[] = [];
    for (const spec of demoSpecs()) {
      const [account] = await tx.insert(s.accounts).values(spec.account).returning({ id: s.accounts.id });
      const accountId = account!.id;
      await tx.insert(s.users).values(spec.users.map((u) => ({ ...u, accountId, passwordHash })));
      await tx.insert(s.contactEmails).values({
        accountId,
        email: spec.contact,
        verifiedAt: new Date(`${addMonths(currentMonth, -spec.months)}T09:00:00Z`),
        isBilling: true,
        isTech: true,
        isDpo: true,
      });
      await tx.insert(s.contactPhones).values({ accountId, phone: spec.seed === 1 ? "+46812345678" : "+358912345678", label: "Office" });
      // This month's usage so far, not yet invoiced: `npm run billing:run` bills it (see docs/billing.md).
      await tx.insert(s.usageRecords).values(
        monthlyLines(spec.seed, spec.months, "EUR", spec.vatRateBp, spec.regions).map((l) => ({
          accountId,
          productCode: l.productCode,
          region: l.region ?? null,
          quantity: l.quantity,
          unit: l.unit,
          period: currentMonth,
        })),
      );
      for (let monthsAgo = spec.months; monthsAgo >= 1; monthsAgo--) {
        const periodStart = addMonths(currentMonth, -monthsAgo);
        drafts.push({
          accountId,
          spec,
          monthsAgo,
          invoiceDate: addMonths(periodStart, 1),
          lines: monthlyLines(spec.seed, spec.months - monthsAgo, "EUR", spec.vatRateBp, spec.regions),
        });
      }
    }
    // Gapless numbers in issue order across all accounts, as a billing run would give them.
    drafts.sort((a, b) => a.invoiceDate.localeCompare(b.invoiceDate) || a.spec.seed - b.spec.seed);
    let number = FIRST_INVOICE_NUMBER;
    for (const d of drafts) {
      const totals = computeTotals(d.lines);
      const periodStart = addMonths(d.invoiceDate, -1);
      const a = d.spec.account;
      const [inv] = await tx
        .insert(s.invoices)
        .values({
          accountId: d.accountId,
          number,
          type: "invoice",
          periodStart,
          periodEnd: endOfMonth(periodStart),
          invoiceDate: d.invoiceDate,
          dueDate: endOfMonth(d.invoiceDate),
          currency: a.currency,
          language: a.language ?? "en",
          vatCategory: d.spec.vatCategory,
          netMinor: totals.netMinor,
          vatMinor: totals.vatMinor,
          totalMinor: totals.totalMinor,
          customer: issuedCustomerOf(a),
          paymentReference: paymentReferenceFor(number),
          issuedAt: new Date(`${d.invoiceDate}T06:00:00Z`),
        })
        .returning({ id: s.invoices.id });
      await tx.insert(s.invoiceLines).values(d.lines.map((l, i) => ({ ...l, invoiceId: inv!.id, position: i + 1 })));
      // Everything older than three months is paid; three months ago is partly paid.
      const paidMinor =
        d.monthsAgo > 3 ? totals.totalMinor : d.monthsAgo === 3 ? (totals.totalMinor * 40n) / 100n : 0n;
      if (paidMinor > 0n) {
        const settledAt = new Date(`${addDays(d.invoiceDate, 10 + (number % 12))}T10:30:00Z`);
        const [payment] = await tx
          .insert(s.payments)
          .values({
            accountId: d.accountId,
            provider: d.monthsAgo === 3 ? "bank_transfer" : "sandbox",
            method: d.monthsAgo === 3 ? "bank_transfer" : "card",
            state: "succeeded",
            amountMinor: paidMinor,
            currency: a.currency,
            providerReference: `seed-${number}`,
            createdAt: settledAt,
            updatedAt: settledAt,
            settledAt,
          })
          .returning({ id: s.payments.id });
        await tx.insert(s.paymentAllocations).values({ paymentId: payment!.id, invoiceId: inv!.id, amountMinor: paidMinor });
      }
      number++;
      invoiceCount++;
    }
    await tx
      .insert(s.numberSequences)
      .values({ name: "invoice", nextValue: BigInt(number) })
      .onConflictDoUpdate({ target: s.numberSequences.name, set: { nextValue: BigInt(number) } });
  });
  return { accounts: demoSpecs().length, invoices: invoiceCount };
}

export type ScaleOptions = {
  accounts: number;
  invoicesPerAccount: number;
  linesPerInvoice: number;
  /** Invoices of one extra account (the benchmark's "one account with 5,000"). */
  bigAccountInvoices: number;
  batchAccounts: number;
  onProgress?: (done: number, total: number) => void;
};

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

  const batch = async (accountsInBatch: number, invoicesEach: number, label: string) => {
    const base = nextNumber;
    await db.transaction(async (tx) => {
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
               'EUR', 'en', 'standard', i.net * ${o.linesPerInvoice}, (i.net * ${o.linesPerInvoice} * 25 + 50) / 100,
               i.net * ${o.linesPerInvoice} + (i.net * ${o.linesPerInvoice} * 25 + 50) / 100,
               jsonb_build_object('name', 'Scale customer', 'careOf', null, 'street', 'Testgatan 1', 'zipCode', '111 22',
                 'city', 'Stockholm', 'countryCode', 'SE', 'organisationNumber', null, 'vatNumber', null, 'purchaseOrder', null),
               'S' || i.number, (i.period_start + interval '1 month')::timestamptz
        from scale_invoices i`);
      await tx.execute(sql`
        insert into invoice_lines (invoice_id, position, service, product_code, label, region, quantity, unit,
                                   unit_price_minor, amount_minor, vat_rate_bp)
        select i.id, l, 'Compute', 'compute.vcpu', 'vCPU (sto1)', 'sto1', i.net, 'h', 1, i.net, 2500
        from scale_invoices i cross join generate_series(1, ${o.linesPerInvoice}) l`);
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
      nextNumber = base + BigInt(accountsInBatch * invoicesEach);
      await tx.execute(sql`
        insert into number_sequences (name, next_value) values ('invoice', ${nextNumber})
        on conflict (name) do update set next_value = excluded.next_value`);
    });
    invoicesMade += accountsInBatch * invoicesEach;
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
