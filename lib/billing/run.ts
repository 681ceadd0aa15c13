/**
 * The monthly billing run: usage records of one month become one invoice per account.
 *
 * How it stays correct when killed, repeated, or run twice at once:
 * - Accounts are taken in batches, keyset on account id over the accounts with usage in the
 *   month; each batch is one transaction (lib/billing/batch.ts): staged, then numbered and
 *   written under the `invoice` sequence lock. Killed at any point, a batch is all or nothing
 *   and no number is lost; the next run bills what is left.
 * - An account that already has an invoice for the month — from a run or not (the demo's
 *   invoices are not) — is never billed again for it; invoices_account_period_run_key is the
 *   database's own guard for run-issued ones.
 * - Only the sequence lock is held while writing, so two runs at once alternate batches: each
 *   invoice is issued by exactly one of them, with gapless numbers.
 * - A run's row whose process is gone (its lock free, lib/billing/run-lock.ts) is closed as failed.
 * Memory stays flat: one batch of accounts and their lines is in memory at a time.
 */
import crypto from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { rows, type Database, type Executor } from "@/db/client";
import { accountToday } from "@/lib/dates";
import type { InvoiceEmailSkipReason } from "@/lib/email/outbox";
import { FIRST_INVOICE_NUMBER } from "@/lib/invoices/numbers";
import { PROVIDER_TIME_ZONE } from "@/lib/provider";
import { billBatch, type BatchResult, type NotBilled } from "./batch";
import type { DraftOptions } from "./draft";
import { BillingInputError, type Period } from "./period";
import { holdRunLock } from "./run-lock";

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

export type BillingRunOptions = DraftOptions & {
  /** Accounts per transaction. */
  batchSize?: number;
  onProgress?: (p: RunProgress) => void;
  /** Checked between batches: an aborted run stops after the batch in hand and is marked failed. */
  signal?: AbortSignal;
  /** Invoices issued before the run first analyzes the tables it fills (default 5,000; then at each doubling). */
  analyzeAtInvoices?: number;
};

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
  const runToday = opts.today ?? accountToday(PROVIDER_TIME_ZONE);
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
    let analyzeAt = opts.analyzeAtInvoices ?? FIRST_ANALYZE_AT_INVOICES;
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
        if (summary.invoicesIssued >= analyzeAt) {
          await analyzeWrittenTables(db);
          analyzeAt = summary.invoicesIssued * 2;
        }
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

/** The run's first ANALYZE of what it wrote; then each time its invoices have doubled. */
const FIRST_ANALYZE_AT_INVOICES = 5_000;

/**
 * Fresh statistics for the tables the run fills. A table analyzed nearly empty (a new
 * database's first month, with autovacuum off or not yet round) is otherwise read whole for
 * every batch's "already invoiced?" check: 100,000 accounts took 26× the time of 10,000. An
 * ANALYZE samples a bounded number of rows, so doubling keeps the run linear. Without the
 * right to analyze (not the tables' owner) PostgreSQL only warns.
 */
async function analyzeWrittenTables(db: Database): Promise<void> {
  await db.execute(sql`analyze invoices, invoice_lines, email_outbox`);
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

/**
 * The next batch of accounts with usage in the month, after `cursor` in id order. Distinct and
 * ordered by the uuid itself, cast to text only outside: ordered by the text, PostgreSQL could
 * not walk usage_records_period_account_idx and read the whole month's usage for every batch
 * (the run grew with the square of the accounts: 100,000 took 44× the time of 10,000).
 */
export function nextAccountIdsQuery(period: Period, cursor: string | null, batchSize: number): SQL {
  const after = cursor === null ? sql`` : sql`and account_id > ${cursor}::uuid`;
  return sql`select ids.account_id::text as account_id
    from (select distinct account_id from usage_records
          where period = ${period.start}::date ${after} order by account_id limit ${batchSize}) ids
    order by ids.account_id`;
}

async function nextAccountIds(db: Database, period: Period, cursor: string | null, batchSize: number): Promise<string[]> {
  const candidates = await rows<{ account_id: string }>(db, nextAccountIdsQuery(period, cursor, batchSize));
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
