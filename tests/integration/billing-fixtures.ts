/**
 * Accounts with usage for the billing tests, and facts read back in plain SQL (not through the
 * code under test).
 */
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { rows, type Database, type Executor } from "@/db/client";
import { seedProducts } from "@/scripts/seed";
import { accounts, contactEmails, usageRecords, type PostalAddress } from "@/db/schema";
import { runScript as runCliScript } from "@/scripts/lib/run-script";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export type UsageSpec = { product: string; region?: string | null; quantity: string; unit?: string; /** Default: the first of the month. */ usageDate?: string };

export type AccountSpec = {
  name: string;
  kind?: "company" | "private";
  countryCode: string;
  currency?: string;
  language?: "en" | "sv";
  vatNumber?: string | null;
  organisationNumber?: string | null;
  purchaseOrder?: string | null;
  paymentTermsDays?: number;
  timeZone?: string;
  billingAddress?: PostalAddress | null;
  receiveInvoicesByEmail?: boolean;
  /** Default: one verified address holding every role. */
  contacts?: { email: string; verified?: boolean; billing?: boolean; tech?: boolean; dpo?: boolean }[];
  usage?: UsageSpec[];
};

const UNITS: Record<string, string> = {
  "compute.vcpu": "h",
  "compute.ram": "GiB·h",
  "storage.block": "GiB·month",
  "storage.object": "GiB·month",
  "network.egress": "GiB",
  "network.ipv4": "h",
  "support.business": "month",
  "discount.commitment": "month",
};

/** vCPU 1000 h, memory 1000 GiB·h in sto1, business support: EUR 19.00 + 4.50 + 199.00. */
export const STANDARD_USAGE: UsageSpec[] = [
  { product: "compute.vcpu", region: "sto1", quantity: "600" },
  { product: "compute.vcpu", region: "sto1", quantity: "400" },
  { product: "compute.ram", region: "sto1", quantity: "1000" },
  { product: "support.business", quantity: "1" },
];

export async function makeAccount(db: Database, spec: AccountSpec, period: string): Promise<string> {
  await seedProducts(db);
  const [a] = await db
    .insert(accounts)
    .values({
      kind: spec.kind ?? "company",
      name: spec.name,
      countryCode: spec.countryCode,
      currency: spec.currency ?? "EUR",
      language: spec.language ?? "en",
      timeZone: spec.timeZone ?? "Europe/Stockholm",
      organisationNumber: spec.organisationNumber ?? null,
      vatNumber: spec.vatNumber ?? null,
      purchaseOrder: spec.purchaseOrder ?? null,
      street: `${spec.name} street 1`,
      zipCode: "111 22",
      city: "Stockholm",
      billingAddress: spec.billingAddress ?? null,
      receiveInvoicesByEmail: spec.receiveInvoicesByEmail ?? true,
      paymentTermsDays: spec.paymentTermsDays ?? 30,
    })
    .returning({ id: accounts.id });
  const accountId = a!.id;
  const contacts = spec.contacts ?? [{ email: `billing@${spec.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.example`, billing: true, tech: true, dpo: true }];
  for (const c of contacts) {
    const verified = c.verified ?? true;
    await db.insert(contactEmails).values({
      accountId,
      email: c.email,
      verifiedAt: verified ? new Date("2026-01-01T10:00:00Z") : null,
      isBilling: verified && (c.billing ?? false),
      isTech: verified && (c.tech ?? false),
      isDpo: verified && (c.dpo ?? false),
    });
  }
  const usage = spec.usage ?? STANDARD_USAGE;
  if (usage.length) {
    await db.insert(usageRecords).values(
      usage.map((u) => ({
        accountId,
        productCode: u.product,
        region: u.region ?? null,
        quantity: u.quantity,
        unit: u.unit ?? UNITS[u.product]!,
        period,
        usageDate: u.usageDate ?? period,
      })),
    );
  }
  return accountId;
}

export type IssuedFacts = {
  id: string;
  accountId: string;
  number: number;
  type: string;
  periodStart: string;
  invoiceDate: string;
  dueDate: string;
  currency: string;
  language: string;
  vatCategory: string;
  netMinor: bigint;
  vatMinor: bigint;
  totalMinor: bigint;
  customer: Record<string, unknown>;
  paymentReference: string;
  billingRunId: string | null;
};

export async function issued(db: Executor): Promise<IssuedFacts[]> {
  const r = await rows<Record<string, string | null>>(
    db,
    sql`select id::text as id, account_id::text as account_id, number::text as number, type::text as type,
               period_start::text as period_start, invoice_date::text as invoice_date, due_date::text as due_date,
               currency::text as currency, language::text as language, vat_category::text as vat_category,
               net_minor::text as net, vat_minor::text as vat, total_minor::text as total, customer::text as customer,
               payment_reference, billing_run_id::text as run
        from invoices order by number`,
  );
  return r.map((x) => ({
    id: x.id!,
    accountId: x.account_id!,
    number: Number(x.number),
    type: x.type!,
    periodStart: x.period_start!,
    invoiceDate: x.invoice_date!,
    dueDate: x.due_date!,
    currency: x.currency!,
    language: x.language!,
    vatCategory: x.vat_category!,
    netMinor: BigInt(x.net!),
    vatMinor: BigInt(x.vat!),
    totalMinor: BigInt(x.total!),
    customer: JSON.parse(x.customer!) as Record<string, unknown>,
    paymentReference: x.payment_reference!,
    billingRunId: x.run ?? null,
  }));
}

export type LineRow = { label: string; region: string | null; quantity: string; unitPrice: string; amountMinor: bigint; vatRateBp: number; service: string };

export async function linesOf(db: Executor, invoiceId: string): Promise<LineRow[]> {
  const r = await rows<Record<string, string | null>>(
    db,
    sql`select label, region, quantity::text as quantity, unit_price_minor::text as price, amount_minor::text as amount,
               vat_rate_bp::text as rate, service
        from invoice_lines where invoice_id = ${invoiceId}::uuid order by position`,
  );
  return r.map((x) => ({
    label: x.label!,
    region: x.region ?? null,
    quantity: x.quantity!,
    unitPrice: x.price!,
    amountMinor: BigInt(x.amount!),
    vatRateBp: Number(x.rate),
    service: x.service!,
  }));
}

export type OutboxRow = { kind: string; recipients: string[]; subject: string; textBody: string; invoiceId: string | null; dedupeKey: string | null };

export async function outbox(db: Executor): Promise<OutboxRow[]> {
  const r = await rows<Record<string, unknown>>(
    db,
    sql`select kind::text as kind, array_to_string(recipients, ',') as recipients, subject, text_body,
               invoice_id::text as invoice_id, dedupe_key
        from email_outbox order by id`,
  );
  return r.map((x) => ({
    kind: x.kind as string,
    recipients: String(x.recipients).split(",").filter(Boolean).sort(),
    subject: x.subject as string,
    textBody: x.text_body as string,
    invoiceId: (x.invoice_id as string | null) ?? null,
    dedupeKey: (x.dedupe_key as string | null) ?? null,
  }));
}

export async function nextInvoiceNumber(db: Executor): Promise<number | null> {
  const [r] = await rows<{ n: string }>(db, sql`select next_value::text as n from number_sequences where name = 'invoice'`);
  return r ? Number(r.n) : null;
}

export async function outstandingMinor(db: Executor, number: number): Promise<bigint> {
  const [r] = await rows<{ o: string }>(
    db,
    sql`select (i.total_minor
               - coalesce((select sum(pa.amount_minor) from payment_allocations pa join payments p on p.id = pa.payment_id
                           where pa.invoice_id = i.id and p.state = 'succeeded'), 0)
               - coalesce((select sum(c.total_minor) from invoices c where c.credits_invoice_id = i.id), 0))::text as o
        from invoices i where i.number = ${number}`,
  );
  return BigInt(r!.o);
}

/** A command-line script as its own process, on the database at `databaseUrl`. */
export function runScript(script: string, args: string[], databaseUrl: string) {
  return runCliScript(script, args, { DATABASE_URL: databaseUrl });
}
