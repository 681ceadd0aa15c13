/** Queries shared by integration tests, written in SQL so they do not reuse the code under test. */
import { sql } from "drizzle-orm";
import { rows, type Executor } from "@/db/client";

export type InvoiceFacts = {
  id: string;
  account: string;
  number: number;
  type: string;
  periodStart: string;
  periodEnd: string;
  invoiceDate: string;
  dueDate: string;
  currency: string;
  vatCategory: string;
  paymentReference: string;
  netMinor: bigint;
  vatMinor: bigint;
  totalMinor: bigint;
  /** total − Σ allocations of succeeded payments. */
  outstandingMinor: bigint;
};

/** Every invoice with its outstanding amount, in number order (bigints and dates as text on both drivers). */
export async function invoiceFacts(db: Executor): Promise<InvoiceFacts[]> {
  const r = await rows<Record<string, string>>(
    db,
    sql`
      select i.id::text as id, a.name as account, i.number::text as number, i.type::text as type,
             i.period_start::text as period_start, i.period_end::text as period_end,
             i.invoice_date::text as invoice_date, i.due_date::text as due_date, i.currency::text as currency,
             i.vat_category::text as vat_category, i.payment_reference as payment_reference,
             i.net_minor::text as net, i.vat_minor::text as vat, i.total_minor::text as total,
             (i.total_minor - coalesce((
               select sum(pa.amount_minor)
               from payment_allocations pa join payments p on p.id = pa.payment_id
               where pa.invoice_id = i.id and p.state = 'succeeded'), 0))::text as outstanding
      from invoices i join accounts a on a.id = i.account_id
      order by i.number`,
  );
  return r.map((x) => ({
    id: x.id!,
    account: x.account!,
    number: Number(x.number),
    type: x.type!,
    periodStart: x.period_start!,
    periodEnd: x.period_end!,
    invoiceDate: x.invoice_date!,
    dueDate: x.due_date!,
    currency: x.currency!,
    vatCategory: x.vat_category!,
    paymentReference: x.payment_reference!,
    netMinor: BigInt(x.net!),
    vatMinor: BigInt(x.vat!),
    totalMinor: BigInt(x.total!),
    outstandingMinor: BigInt(x.outstanding!),
  }));
}

export type LineFacts = { invoiceId: string; position: number; quantity: string; unitPriceMinor: string; amountMinor: bigint; vatRateBp: number };

export async function lineFacts(db: Executor): Promise<Map<string, LineFacts[]>> {
  const r = await rows<Record<string, string>>(
    db,
    sql`select l.invoice_id::text as invoice_id, l.position::text as position, l.quantity::text as quantity,
               l.unit_price_minor::text as unit_price, l.amount_minor::text as amount, l.vat_rate_bp::text as rate
        from invoice_lines l order by l.invoice_id, l.position`,
  );
  const byInvoice = new Map<string, LineFacts[]>();
  for (const x of r) {
    const list = byInvoice.get(x.invoice_id!) ?? [];
    list.push({
      invoiceId: x.invoice_id!,
      position: Number(x.position),
      quantity: x.quantity!,
      unitPriceMinor: x.unit_price!,
      amountMinor: BigInt(x.amount!),
      vatRateBp: Number(x.rate),
    });
    byInvoice.set(x.invoice_id!, list);
  }
  return byInvoice;
}

export async function count(db: Executor, table: string): Promise<number> {
  if (!/^[a-z_]+$/.test(table)) throw new Error(table);
  const [r] = await rows<{ n: string }>(db, sql.raw(`select count(*)::text as n from "${table}"`));
  return Number(r!.n);
}

/** Asserts-friendly: are these numbers exactly first, first+1, …? */
export function isGapless(numbers: number[], first: number): boolean {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted.every((n, i) => n === first + i);
}

/**
 * A clean database with the demo data seeded for `today`: the demo account, its admin user and
 * the invoices it owes (oldest first), for tests that pay or change the demo account.
 */
export async function freshDemo(db: import("@/db/client").Database, today: string) {
  const { resetDatabase, seedDemo } = await import("@/scripts/seed");
  const { accounts, users } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  await resetDatabase(db);
  await seedDemo(db, today);
  const [a] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, "Example Cloud Customer AB"));
  const [o] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, "Other Tenant Oy"));
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, "demo@example.com"));
  const owed = (await invoiceFacts(db))
    .filter((f) => f.account === "Example Cloud Customer AB" && f.outstandingMinor > 0n)
    .map((f) => ({ number: f.number, outstandingMinor: f.outstandingMinor }));
  return { accountId: a!.id, otherAccountId: o!.id, userId: u!.id, owed };
}

export async function outstandingOf(db: Executor, number: number): Promise<bigint> {
  return (await invoiceFacts(db)).find((f) => f.number === number)!.outstandingMinor;
}

/**
 * A card payment of `numbers` started as the Pay dialog starts one, up to the sandbox's hosted
 * page: the pending attempt and its checkout. Throws unless a new attempt was created.
 */
export async function startSandboxCheckout(
  db: import("@/db/client").Database,
  who: { accountId: string; userId: string },
  numbers: number[],
  expectedAmountMinor: bigint,
) {
  const { attachCheckout, beginCardPayment } = await import("@/lib/payments/engine");
  const { sandboxProvider } = await import("@/lib/payments/sandbox");
  const r = await beginCardPayment(db, { ...who, numbers, expectedAmountMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" });
  if (r.kind !== "created") throw new Error(`payment not created: ${r.kind}`);
  const c = await sandboxProvider.createCheckout({ paymentId: r.paymentId, amountMinor: r.amountMinor, currency: r.currency, description: "t", returnUrl: "http://x/" });
  await attachCheckout(db, r.paymentId, c.providerReference);
  return { paymentId: r.paymentId, amountMinor: r.amountMinor, currency: r.currency, providerReference: c.providerReference };
}

const STRIPE_VARIABLES = ["PAYMENT_PROVIDER", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_HOST", "STRIPE_API_PORT", "STRIPE_API_PROTOCOL", "APP_URL"] as const;

/**
 * Starts `server` (a local fake of Stripe's API) and points PAYMENT_PROVIDER=stripe at it.
 * Returns what puts the environment back and stops the server.
 */
export async function useLocalStripe(
  server: import("node:http").Server,
  keys: { secretKey: string; webhookSecret: string; appUrl?: string },
): Promise<() => Promise<void>> {
  const { resetEnvCache } = await import("@/lib/env");
  const saved = Object.fromEntries(STRIPE_VARIABLES.map((k) => [k, process.env[k]]));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  Object.assign(process.env, {
    PAYMENT_PROVIDER: "stripe",
    STRIPE_SECRET_KEY: keys.secretKey,
    STRIPE_WEBHOOK_SECRET: keys.webhookSecret,
    STRIPE_API_HOST: "127.0.0.1",
    STRIPE_API_PORT: String((server.address() as import("node:net").AddressInfo).port),
    STRIPE_API_PROTOCOL: "http",
    ...(keys.appUrl ? { APP_URL: keys.appUrl } : {}),
  });
  resetEnvCache();
  return async () => {
    for (const k of STRIPE_VARIABLES) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    resetEnvCache();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}
