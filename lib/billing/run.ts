/**
 * The monthly billing run: usage records of one month become one invoice per account.
 *
 * How it stays correct when killed, repeated, or run twice at once:
 * - Accounts are taken in batches, keyset on account id over the accounts with usage in the
 *   month; each batch is one transaction. A batch is staged first (accounts, usage summed per
 *   product and region, prices, VAT, totals), then the `invoice` row of number_sequences is
 *   locked, the batch's accounts are checked again for an invoice of the month (a new statement
 *   under READ COMMITTED sees whatever another run committed while this one waited for the
 *   lock), the survivors get consecutive numbers, and invoices, lines, their emails (outbox)
 *   and the run's progress are written with set-based INSERTs before the sequence is advanced
 *   and the transaction commits. Killed at any point, a batch is all or nothing and no number
 *   is lost; the next run bills what is left.
 * - An account that already has an invoice for the month — from a run or not (the demo's
 *   invoices are not) — is never billed again for it; invoices_account_period_run_key is the
 *   database's own guard for run-issued ones.
 * - Only the sequence lock is held while writing, so two runs at once alternate batches: each
 *   invoice is issued by exactly one of them, with gapless numbers.
 * Memory stays flat: one batch of accounts and their lines is in memory at a time.
 *
 * Totals come from lib/money.ts (lineAmountMinor per line, computeTotals per invoice): the same
 * computation as the invoice page, the PDF, the CSV and the email.
 */
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import { rows, type Database, type Executor } from "@/db/client";
import type { IssuedCustomer, Language, PostalAddress, VatCategory } from "@/db/schema";
import { processSingleton } from "@/db/singleton";
import { addDays, todayIn } from "@/lib/dates";
import { queueInvoiceEmails, type InvoiceEmailSkipReason } from "@/lib/email/outbox";
import { FIRST_INVOICE_NUMBER } from "@/lib/invoices/numbers";
import { computeTotals, lineAmountMinor } from "@/lib/money";
import type { InvoicePdfLine } from "@/lib/invoices/types";
import { paymentReferenceFor } from "@/lib/reference";
import { BillingInputError, type Period } from "./period";
import { lineVatRateBp, vatFor } from "./vat";

/** The provider's calendar decides whether a month has ended (Cumulus is a Swedish provider). */
export const PROVIDER_TIME_ZONE = "Europe/Stockholm";
export const DEFAULT_BATCH_ACCOUNTS = 250;

export type RunProgress = {
  runId: string;
  period: Period;
  accountsTotal: number;
  /** Accounts with usage looked at so far: billed, already invoiced, or not billable. */
  accountsDone: number;
  invoicesIssued: number;
  alreadyInvoiced: number;
  notBilled: number;
  elapsedMs: number;
};

export type NotBilled = { accountId: string; accountName: string; reason: string };

export type BillingRunSummary = RunProgress & {
  status: "completed" | "failed";
  /** True when stopped through `signal` before every account was looked at. */
  interrupted: boolean;
  firstNumber: number | null;
  lastNumber: number | null;
  emailsQueued: number;
  emailsSkipped: Record<InvoiceEmailSkipReason, number>;
  /** Invoiced totals incl. VAT per currency, minor units. */
  totals: Record<string, bigint>;
  /** The first 100 accounts that could not be billed, with the reason. */
  notBilledAccounts: NotBilled[];
  /** Earlier runs whose process is gone (killed), marked failed by this one. */
  staleRunsClosed: number;
};

export type BillingRunOptions = {
  period: Period;
  /** The date for every account (tests, operators); default: today in each account's time zone. */
  today?: string;
  /** Bill a month that has not ended yet; its invoices are dated the day they are issued. */
  allowOpenPeriod?: boolean;
  /** Accounts per transaction. */
  batchSize?: number;
  onProgress?: (p: RunProgress) => void;
  /** Checked between batches: an aborted run stops after the batch in hand and is marked failed. */
  signal?: AbortSignal;
};

type AccountRow = {
  id: string;
  name: string;
  country_code: string;
  currency: string;
  language: Language;
  time_zone: string;
  organisation_number: string | null;
  vat_number: string | null;
  purchase_order: string | null;
  care_of: string | null;
  street: string;
  zip_code: string;
  city: string;
  billing_address: PostalAddress | string | null;
  payment_terms_days: number | string;
};

type UsageRow = {
  account_id: string;
  product_code: string;
  region: string | null;
  quantity: string;
  units_match: boolean;
  service: string;
  label_en: string;
  label_sv: string;
  unit: string;
  vat_category: VatCategory;
  price: string | null;
};

/** A line as the PDF shows it, plus its place and the product it bills. */
type DraftLine = InvoicePdfLine & { position: number; productCode: string };

type Draft = {
  accountId: string;
  currency: string;
  language: Language;
  vatCategory: VatCategory;
  invoiceDate: string;
  dueDate: string;
  customer: IssuedCustomer;
  lines: DraftLine[];
  netMinor: bigint;
  vatMinor: bigint;
  totalMinor: bigint;
};

/** The customer block printed on the invoice, frozen as it is now: the billing address when set. */
export function issuedCustomerOf(a: AccountRow): IssuedCustomer {
  const billing = typeof a.billing_address === "string" ? (JSON.parse(a.billing_address) as PostalAddress | null) : a.billing_address;
  const address = billing
    ? { name: billing.name, careOf: billing.careOf ?? null, street: billing.street, zipCode: billing.zipCode, city: billing.city, countryCode: billing.countryCode }
    : { name: a.name, careOf: a.care_of, street: a.street, zipCode: a.zip_code, city: a.city, countryCode: a.country_code };
  return {
    ...address,
    organisationNumber: a.organisation_number,
    vatNumber: a.vat_number,
    purchaseOrder: a.purchase_order,
  };
}

/**
 * The invoice date: the day the invoice is issued in the account's time zone, but never before
 * the first day after the month (an account in a zone behind the provider's) unless the run
 * bills an open month on purpose. The due date follows the account's payment terms.
 */
export function invoiceDates(period: Period, today: string, termsDays: number, allowOpenPeriod: boolean) {
  const invoiceDate = today > period.end || allowOpenPeriod ? (today < period.start ? period.start : today) : addDays(period.end, 1);
  return { invoiceDate, dueDate: addDays(invoiceDate, Math.max(0, termsDays)) };
}

/** Lines in print order: by service, product and region, discounts (negative prices) last. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
function lineOrder(a: UsageRow, b: UsageRow): number {
  const neg = (r: UsageRow) => (r.price !== null && r.price.startsWith("-") ? 1 : 0);
  return neg(a) - neg(b) || cmp(a.service, b.service) || cmp(a.product_code, b.product_code) || cmp(a.region ?? "", b.region ?? "");
}

const uuidArray = (ids: readonly string[]) => `{${ids.join(",")}}`;

export class BillingRunError extends Error {
  override readonly name = "BillingRunError";
}

/** Runs (set `alive` to false) that this process is running: on PGlite no other process can be. */
const localRuns = processSingleton("billingRuns", () => new Set<string>());
const RUN_LOCK_CLASS = 4242101;

/**
 * While a run lives it holds a session advisory lock named by its id (PostgreSQL), so a later run
 * can tell a killed run's row (lock free) from a running one's.
 */
async function holdRunLock(db: Database, runId: string): Promise<{ isDead: (id: string) => Promise<boolean>; release: () => Promise<void> }> {
  const client = (db as unknown as { $client?: postgres.Sql }).$client;
  if (!client || typeof (client as { reserve?: unknown }).reserve !== "function") {
    localRuns.add(runId);
    return {
      isDead: async (id) => !localRuns.has(id),
      release: async () => {
        localRuns.delete(runId);
      },
    };
  }
  const conn = await client.reserve();
  try {
    await conn`select pg_advisory_lock(${RUN_LOCK_CLASS}, hashtext(${runId}))`;
  } catch (err) {
    conn.release();
    throw err;
  }
  return {
    isDead: async (id) => {
      const [r] = await conn`select pg_try_advisory_lock(${RUN_LOCK_CLASS}, hashtext(${id})) as got`;
      if (!r?.got) return false;
      await conn`select pg_advisory_unlock(${RUN_LOCK_CLASS}, hashtext(${id}))`;
      return true;
    },
    release: async () => {
      try {
        await conn`select pg_advisory_unlock(${RUN_LOCK_CLASS}, hashtext(${runId}))`;
      } finally {
        conn.release();
      }
    },
  };
}

/** Creates the `invoice` number sequence when missing, after any invoice already there. */
export async function ensureInvoiceSequence(db: Executor): Promise<void> {
  await db.execute(sql`
    insert into number_sequences (name, next_value)
    select 'invoice', greatest(coalesce(max(number), 0) + 1, ${FIRST_INVOICE_NUMBER})::bigint from invoices
    on conflict (name) do nothing`);
}

/** Months that have usage, newest first (for a helpful message when the asked one has none). */
export async function periodsWithUsage(db: Executor, limit = 6): Promise<string[]> {
  const r = await rows<{ period: string }>(
    db,
    sql`select distinct period::text as period from usage_records order by period desc limit ${limit}`,
  );
  return r.map((x) => x.period.slice(0, 7));
}

export async function runBilling(db: Database, opts: BillingRunOptions): Promise<BillingRunSummary> {
  const { period } = opts;
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? DEFAULT_BATCH_ACCOUNTS, 5000));
  const runToday = opts.today ?? todayIn(PROVIDER_TIME_ZONE);
  assertBillable(period, runToday, opts.allowOpenPeriod ?? false);

  const started = performance.now();
  const runId = crypto.randomUUID();
  const lock = await holdRunLock(db, runId);
  try {
    await ensureInvoiceSequence(db);
    const staleRunsClosed = await closeDeadRuns(db, lock.isDead);
    const accountsTotal = await insertRunRow(db, runId, period);
    const summary = emptySummary(runId, period, accountsTotal, staleRunsClosed);
    let cursor: string | null = null;
    try {
      for (;;) {
        if (opts.signal?.aborted) {
          summary.interrupted = true;
          break;
        }
        const ids = await nextAccountIds(db, period, cursor, batchSize);
        if (ids.length === 0) break;
        cursor = ids[ids.length - 1]!;
        const batch = await db.transaction((tx) => billBatch(tx, runId, ids, opts, runToday));
        addBatch(summary, ids.length, batch);
        summary.elapsedMs = performance.now() - started;
        opts.onProgress?.({ ...progressOf(summary) });
      }
    } catch (err) {
      summary.status = "failed";
      await db
        .execute(sql`update billing_runs set status = 'failed', finished_at = now() where id = ${runId}`)
        .catch(() => {});
      throw err;
    }
    summary.status = summary.interrupted ? "failed" : "completed";
    await db.execute(sql`update billing_runs set status = ${summary.status}, finished_at = now() where id = ${runId}`);
    summary.elapsedMs = performance.now() - started;
    return summary;
  } finally {
    await lock.release().catch(() => {});
  }
}

/** A month is billed once it has ended (or, with allowOpenPeriod, once it has started). */
function assertBillable(period: Period, runToday: string, allowOpenPeriod: boolean): void {
  if (period.start > runToday) throw new BillingInputError(`The period ${period.label} has not started yet (today is ${runToday}).`);
  if (runToday <= period.end && !allowOpenPeriod) {
    throw new BillingInputError(
      `The period ${period.label} has not ended yet (today is ${runToday}): usage may still come in. ` +
        "Bill it after the month, or pass --allow-open-period to bill it now (usage recorded later will not be billed).",
    );
  }
}

/** Runs whose process is gone (kill -9) are closed as failed; their batches committed or rolled back whole. */
async function closeDeadRuns(db: Database, isDead: (runId: string) => Promise<boolean>): Promise<number> {
  let closed = 0;
  for (const r of await rows<{ id: string }>(db, sql`select id::text as id from billing_runs where status = 'running'`)) {
    if (await isDead(r.id)) {
      await db.execute(sql`update billing_runs set status = 'failed', finished_at = now() where id = ${r.id} and status = 'running'`);
      closed++;
    }
  }
  return closed;
}

/** The run's billing_runs row; returns how many accounts have usage in the month. */
async function insertRunRow(db: Database, runId: string, period: Period): Promise<number> {
  const [{ n: total } = { n: "0" }] = await rows<{ n: string }>(
    db,
    sql`select count(distinct account_id)::text as n from usage_records where period = ${period.start}::date`,
  );
  const accountsTotal = Number(total);
  await db.execute(sql`
    insert into billing_runs (id, period, status, accounts_total, invoices_issued)
    values (${runId}, ${period.start}::date, 'running', ${accountsTotal}, 0)`);
  return accountsTotal;
}

function emptySummary(runId: string, period: Period, accountsTotal: number, staleRunsClosed: number): BillingRunSummary {
  return {
    runId,
    period,
    accountsTotal,
    accountsDone: 0,
    invoicesIssued: 0,
    alreadyInvoiced: 0,
    notBilled: 0,
    elapsedMs: 0,
    status: "completed",
    interrupted: false,
    firstNumber: null,
    lastNumber: null,
    emailsQueued: 0,
    emailsSkipped: { no_billing_address: 0, email_turned_off: 0, duplicate: 0 },
    totals: {},
    notBilledAccounts: [],
    staleRunsClosed,
  };
}

/** The next batch of accounts with usage in the month, after `cursor` in id order. */
async function nextAccountIds(db: Database, period: Period, cursor: string | null, batchSize: number): Promise<string[]> {
  const candidates = await rows<{ account_id: string }>(
    db,
    cursor === null
      ? sql`select distinct account_id::text as account_id from usage_records
            where period = ${period.start}::date order by account_id limit ${batchSize}`
      : sql`select distinct account_id::text as account_id from usage_records
            where period = ${period.start}::date and account_id > ${cursor}::uuid order by account_id limit ${batchSize}`,
  );
  return candidates.map((c) => c.account_id);
}

function addBatch(summary: BillingRunSummary, accounts: number, batch: BatchResult): void {
  summary.accountsDone += accounts;
  summary.invoicesIssued += batch.issued.length;
  summary.alreadyInvoiced += batch.alreadyInvoiced;
  summary.notBilled += batch.notBilled.length;
  for (const nb of batch.notBilled) if (summary.notBilledAccounts.length < 100) summary.notBilledAccounts.push(nb);
  for (const i of batch.issued) {
    summary.firstNumber = summary.firstNumber === null ? i.number : Math.min(summary.firstNumber, i.number);
    summary.lastNumber = summary.lastNumber === null ? i.number : Math.max(summary.lastNumber, i.number);
    summary.totals[i.currency] = (summary.totals[i.currency] ?? 0n) + i.totalMinor;
  }
  summary.emailsQueued += batch.emailsQueued;
  for (const [reason, n] of Object.entries(batch.emailsSkipped)) summary.emailsSkipped[reason as InvoiceEmailSkipReason] += n;
}

function progressOf(summary: BillingRunSummary): RunProgress {
  return {
    runId: summary.runId,
    period: summary.period,
    accountsTotal: summary.accountsTotal,
    accountsDone: summary.accountsDone,
    invoicesIssued: summary.invoicesIssued,
    alreadyInvoiced: summary.alreadyInvoiced,
    notBilled: summary.notBilled,
    elapsedMs: summary.elapsedMs,
  };
}

type BatchResult = {
  issued: { number: number; currency: string; totalMinor: bigint }[];
  alreadyInvoiced: number;
  notBilled: NotBilled[];
  emailsQueued: number;
  emailsSkipped: Record<InvoiceEmailSkipReason, number>;
};

/** One batch of accounts, in one transaction (see the top of this file). */
async function billBatch(tx: Executor, runId: string, ids: string[], opts: BillingRunOptions, runToday: string): Promise<BatchResult> {
  const result: BatchResult = {
    issued: [],
    alreadyInvoiced: 0,
    notBilled: [],
    emailsQueued: 0,
    emailsSkipped: { no_billing_address: 0, email_turned_off: 0, duplicate: 0 },
  };
  // Stage: the accounts still without an invoice for the month, and their drafts.
  const accountRows = await accountsWithoutInvoice(tx, ids, opts.period);
  result.alreadyInvoiced = ids.length - accountRows.length;
  if (accountRows.length === 0) return result;
  const usageByAccount = await usageOf(tx, accountRows, opts.period);
  const todayOf = accountToday(opts, runToday);
  const drafts: Draft[] = [];
  for (const a of accountRows) {
    const draft = draftInvoice(a, usageByAccount.get(a.id) ?? [], todayOf(a.time_zone), opts);
    if (typeof draft === "string") result.notBilled.push({ accountId: a.id, accountName: a.name, reason: draft });
    else drafts.push(draft);
  }
  if (drafts.length === 0) return result;

  // Issue: under the sequence lock, check again, number, write.
  const { issued, alreadyInvoiced, nextNumber } = await numberUnderLock(tx, drafts, opts.period);
  result.alreadyInvoiced += alreadyInvoiced;
  if (issued.length === 0) return result;
  await insertInvoices(tx, issued, opts.period, runId);
  await insertInvoiceLines(tx, issued);
  await tx.execute(sql`update number_sequences set next_value = ${nextNumber} where name = 'invoice'`);

  const emails = await queueInvoiceEmails(tx, issued.map((d) => d.id));
  for (const e of emails.values()) {
    if (e.status === "queued") result.emailsQueued++;
    else result.emailsSkipped[e.reason]++;
  }
  await tx.execute(sql`update billing_runs set invoices_issued = invoices_issued + ${issued.length} where id = ${runId}`);
  result.issued = issued.map((d) => ({ number: d.number, currency: d.currency, totalMinor: d.totalMinor }));
  return result;
}

/** Of `ids`, the accounts with no invoice for the month yet. */
function accountsWithoutInvoice(tx: Executor, ids: string[], period: Period): Promise<AccountRow[]> {
  return rows<AccountRow>(
    tx,
    sql`select a.id::text as id, a.name, a.country_code, a.currency, a.language, a.time_zone, a.organisation_number,
               a.vat_number, a.purchase_order, a.care_of, a.street, a.zip_code, a.city, a.billing_address, a.payment_terms_days
        from accounts a
        where a.id = any(${uuidArray(ids)}::uuid[])
          and not exists (select 1 from invoices i
                          where i.account_id = a.id and i.type = 'invoice' and i.period_start = ${period.start}::date)
        order by a.id`,
  );
}

/** The month's usage of these accounts, summed per product and region, with prices in each account's currency. */
async function usageOf(tx: Executor, accounts: AccountRow[], period: Period): Promise<Map<string, UsageRow[]>> {
  const usage = await rows<UsageRow>(
    tx,
    sql`select u.account_id::text as account_id, u.product_code, u.region, sum(u.quantity)::text as quantity,
               bool_and(u.unit = p.unit) as units_match, p.service, p.label_en, p.label_sv, p.unit,
               p.vat_category::text as vat_category, pp.unit_price_minor::text as price
        from usage_records u
        join accounts a on a.id = u.account_id
        join products p on p.code = u.product_code
        left join product_prices pp on pp.product_code = u.product_code and pp.currency = a.currency
        where u.period = ${period.start}::date and u.account_id = any(${uuidArray(accounts.map((a) => a.id))}::uuid[])
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

/** Today in an account's time zone (once per zone); the provider's date when the zone is not one. */
function accountToday(opts: BillingRunOptions, runToday: string): (timeZone: string) => string {
  const todayOf = new Map<string, string>();
  return (timeZone) => {
    let today = opts.today ?? todayOf.get(timeZone);
    if (today === undefined) {
      try {
        today = todayIn(timeZone);
      } catch {
        today = runToday;
      }
      todayOf.set(timeZone, today);
    }
    return today;
  };
}

/** An account's invoice for the month, or why it gets none. */
function draftInvoice(a: AccountRow, usage: UsageRow[], today: string, opts: BillingRunOptions): Draft | string {
  const lines = usage.filter((u) => !/^-?0*(\.0*)?$/.test(u.quantity)).sort(lineOrder);
  if (lines.length === 0) return "its usage for the month adds up to nothing";
  const unpriced = lines.filter((l) => l.price === null).map((l) => l.product_code);
  if (unpriced.length > 0) return `no price in ${a.currency} for ${[...new Set(unpriced)].join(", ")}`;
  const wrongUnit = lines.filter((l) => !l.units_match).map((l) => l.product_code);
  if (wrongUnit.length > 0) return `usage recorded in another unit than the price list's for ${[...new Set(wrongUnit)].join(", ")}`;
  const vat = vatFor({ countryCode: a.country_code, vatNumber: a.vat_number });
  const draftLines: DraftLine[] = lines.map((l, i) => {
    const label = a.language === "sv" ? l.label_sv : l.label_en;
    return {
      position: i + 1,
      service: l.service,
      productCode: l.product_code,
      label: l.region ? `${label} (${l.region})` : label,
      region: l.region,
      quantity: l.quantity,
      unit: l.unit,
      unitPriceMinor: l.price!,
      amountMinor: lineAmountMinor(l.quantity, l.price!),
      vatRateBp: lineVatRateBp(vat, l.vat_category),
    };
  });
  const totals = computeTotals(draftLines);
  if (totals.totalMinor < 0n) {
    return `its total would be negative (${totals.totalMinor} minor units of ${a.currency}): credit it with a credit note instead`;
  }
  const { invoiceDate, dueDate } = invoiceDates(opts.period, today, Number(a.payment_terms_days), opts.allowOpenPeriod ?? false);
  return {
    accountId: a.id,
    currency: a.currency.trim(),
    language: a.language,
    vatCategory: vat.category,
    invoiceDate,
    dueDate,
    customer: issuedCustomerOf(a),
    lines: draftLines,
    netMinor: totals.netMinor,
    vatMinor: totals.vatMinor,
    totalMinor: totals.totalMinor,
  };
}

type NumberedDraft = Draft & { id: string; number: number };

/**
 * Locks the invoice sequence, drops the drafts of accounts another run invoiced meanwhile, and
 * numbers the rest consecutively; the caller writes `nextNumber` back after inserting them.
 */
async function numberUnderLock(
  tx: Executor,
  drafts: Draft[],
  period: Period,
): Promise<{ issued: NumberedDraft[]; alreadyInvoiced: number; nextNumber: number }> {
  const [seq] = await rows<{ next: string }>(tx, sql`select next_value::text as next from number_sequences where name = 'invoice' for update`);
  if (!seq) throw new BillingRunError("number_sequences has no 'invoice' row");
  const taken = new Set(
    (
      await rows<{ account_id: string }>(
        tx,
        sql`select account_id::text as account_id from invoices
            where account_id = any(${uuidArray(drafts.map((d) => d.accountId))}::uuid[])
              and type = 'invoice' and period_start = ${period.start}::date`,
      )
    ).map((r) => r.account_id),
  );
  let next = Number(seq.next);
  const issued = drafts.filter((d) => !taken.has(d.accountId)).map((d) => ({ ...d, id: crypto.randomUUID(), number: next++ }));
  return { issued, alreadyInvoiced: taken.size, nextNumber: next };
}

/** The batch's invoices in one set-based INSERT. */
async function insertInvoices(tx: Executor, issued: NumberedDraft[], period: Period, runId: string): Promise<void> {
  await tx.execute(sql`
    insert into invoices (id, account_id, number, type, period_start, period_end, invoice_date, due_date, currency, language,
                          vat_category, net_minor, vat_minor, total_minor, customer, payment_reference, billing_run_id)
    select x.id, x.account_id, x.number, 'invoice', ${period.start}::date, ${period.end}::date, x.invoice_date, x.due_date,
           x.currency, x.language::invoice_language, x.vat_category::vat_category, x.net_minor, x.vat_minor, x.total_minor,
           x.customer, x.payment_reference, ${runId}::uuid
    from json_to_recordset(${JSON.stringify(
      issued.map((d) => ({
        id: d.id,
        account_id: d.accountId,
        number: d.number,
        invoice_date: d.invoiceDate,
        due_date: d.dueDate,
        currency: d.currency,
        language: d.language,
        vat_category: d.vatCategory,
        net_minor: d.netMinor.toString(),
        vat_minor: d.vatMinor.toString(),
        total_minor: d.totalMinor.toString(),
        customer: d.customer,
        payment_reference: paymentReferenceFor(d.number),
      })),
    )}::json) as x(id uuid, account_id uuid, number bigint, invoice_date date, due_date date, currency text, language text,
                     vat_category text, net_minor bigint, vat_minor bigint, total_minor bigint, customer jsonb, payment_reference text)`);
}

/** The lines of the batch's invoices in one set-based INSERT. */
async function insertInvoiceLines(tx: Executor, issued: NumberedDraft[]): Promise<void> {
  await tx.execute(sql`
    insert into invoice_lines (invoice_id, position, service, product_code, label, region, quantity, unit, unit_price_minor,
                               amount_minor, vat_rate_bp)
    select x.invoice_id, x.position, x.service, x.product_code, x.label, x.region, x.quantity, x.unit, x.unit_price_minor,
           x.amount_minor, x.vat_rate_bp
    from json_to_recordset(${JSON.stringify(
      issued.flatMap((d) =>
        d.lines.map((l) => ({
          invoice_id: d.id,
          position: l.position,
          service: l.service,
          product_code: l.productCode,
          label: l.label,
          region: l.region,
          quantity: l.quantity,
          unit: l.unit,
          unit_price_minor: l.unitPriceMinor,
          amount_minor: l.amountMinor.toString(),
          vat_rate_bp: l.vatRateBp,
        })),
      ),
    )}::json) as x(invoice_id uuid, position int, service text, product_code text, label text, region text, quantity numeric,
                     unit text, unit_price_minor numeric, amount_minor bigint, vat_rate_bp int)`);
}
