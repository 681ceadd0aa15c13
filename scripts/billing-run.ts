/**
 * `npm run billing:run -- --period 2026-10`: issues one invoice per account with usage in that
 * month (lib/billing/run.ts), queues each invoice's email to the account's Billing addresses,
 * and shows progress (accounts done / total, rate, time left) and a summary.
 *
 *   --period YYYY-MM       the month to bill (default: last month, in Europe/Stockholm)
 *   --today YYYY-MM-DD     the date to issue on, for every account (default: today in each
 *                          account's time zone)
 *   --allow-open-period    bill a month that has not ended yet (usage recorded later is not billed)
 *   --batch-size N         accounts per transaction (default 250)
 *
 * Safe to run again, to resume after a crash or kill, and from two places at once: an account
 * is invoiced for a month once. Ctrl-C stops after the batch in hand (a second Ctrl-C at once).
 * Exit codes: 0 done; 1 an account could not be billed or the run failed; 2 bad arguments;
 * 130 interrupted.
 */
import { parseArgs } from "node:util";
import { openCliDatabase } from "@/lib/email/cli";
import type { Database } from "@/db/client";
import { BillingInputError, parsePeriod, parseToday, previousPeriod, type Period } from "@/lib/billing/period";
import { formatDuration, progressPrinter } from "@/lib/billing/progress";
import { periodsWithUsage, runBilling, type BillingRunSummary } from "@/lib/billing/run";
import { accountToday } from "@/lib/dates";
import { formatMoney } from "@/lib/money";
import { PROVIDER_TIME_ZONE } from "@/lib/provider";
import { runCli } from "./lib/run-cli";

const USAGE = "usage: npm run billing:run -- [--period YYYY-MM] [--today YYYY-MM-DD] [--allow-open-period] [--batch-size N]";
const int = new Intl.NumberFormat("en");

type RunOptions = { period: Period; today: string | undefined; allowOpenPeriod: boolean; batchSize: number | undefined };

/** The command line, or the exit code 2 after saying what is wrong with it. */
function parseOptions(): RunOptions | 2 {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        period: { type: "string" },
        today: { type: "string" },
        "allow-open-period": { type: "boolean", default: false },
        "batch-size": { type: "string" },
      },
    }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  try {
    const today = values.today === undefined ? undefined : parseToday(values.today);
    const period = values.period === undefined ? previousPeriod(today ?? accountToday(PROVIDER_TIME_ZONE)) : parsePeriod(values.period);
    let batchSize: number | undefined;
    if (values["batch-size"] !== undefined) {
      batchSize = Number(values["batch-size"]);
      if (!/^\d+$/.test(values["batch-size"]) || batchSize < 1 || batchSize > 5000) {
        throw new BillingInputError(`--batch-size must be a whole number from 1 to 5000, not "${values["batch-size"]}".`);
      }
    }
    return { period, today, allowOpenPeriod: values["allow-open-period"], batchSize };
  } catch (err) {
    if (err instanceof BillingInputError) {
      console.error(`${err.message}\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

async function main(): Promise<number> {
  const options = parseOptions();
  if (options === 2) return 2;
  const { db, close } = await openCliDatabase();
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    console.error("\nStopping after the batch in hand (Ctrl-C again to stop at once)…");
    abort.abort();
  };
  process.on("SIGINT", onSigint);
  try {
    const summary = await runWithProgress(db, options, abort.signal);
    if (summary === 2) return 2;
    if (summary.accountsTotal === 0) {
      const months = await periodsWithUsage(db);
      console.log(`No usage is recorded for ${options.period.label}: nothing to bill.${months.length ? ` Months with usage: ${months.join(", ")}.` : ""}`);
      return 0;
    }
    printSummary(summary);
    if (summary.interrupted) {
      console.log("Run the same command again to bill the rest.");
      return 130;
    }
    return summary.notBilled > 0 ? 1 : 0;
  } finally {
    process.off("SIGINT", onSigint);
    await close().catch(() => {});
  }
}

/** The run, with its progress on stderr; 2 when the input is refused (e.g. a month not ended). */
async function runWithProgress(db: Database, options: RunOptions, signal: AbortSignal): Promise<BillingRunSummary | 2> {
  const printer = progressPrinter(process.stderr);
  let announced = false;
  try {
    return await runBilling(db, {
      ...options,
      signal,
      onProgress: (p) => {
        if (!announced) {
          console.log(`Billing ${p.period.label} (run ${p.runId}): ${int.format(p.accountsTotal)} accounts with usage.`);
          announced = true;
        }
        printer.update({
          done: p.accountsDone,
          total: p.accountsTotal,
          elapsedMs: p.elapsedMs,
          extra: `${int.format(p.invoicesIssued)} invoices issued`,
        });
      },
    });
  } catch (err) {
    if (err instanceof BillingInputError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  } finally {
    printer.finish();
  }
}

function printSummary(s: BillingRunSummary): void {
  const seconds = s.elapsedMs / 1000;
  const state = s.interrupted ? "stopped (interrupted) after" : s.status === "completed" ? "completed in" : "failed after";
  const took = seconds < 60 ? `${seconds.toFixed(1)} s` : formatDuration(s.elapsedMs);
  console.log(`Billing ${s.period.label} ${state} ${took} (${int.format(Math.round(s.accountsDone / Math.max(seconds, 0.001)))} accounts/s):`);
  const row = (label: string, value: string) => console.log(`  ${label.padEnd(22)}${value}`);
  row("accounts with usage", `${int.format(s.accountsTotal)} (looked at ${int.format(s.accountsDone)})`);
  row(
    "invoices issued",
    `${int.format(s.invoicesIssued)}${s.firstNumber !== null ? ` (numbers ${s.firstNumber}–${s.lastNumber})` : ""}`,
  );
  row("already invoiced", `${int.format(s.alreadyInvoiced)}${s.alreadyInvoiced ? ` (an invoice for ${s.period.label} exists: not billed again)` : ""}`);
  row("not billed", int.format(s.notBilled));
  row("emails queued", int.format(s.emailsQueued));
  const sk = s.emailsSkipped;
  if (sk.no_billing_address + sk.email_turned_off + sk.duplicate > 0) {
    row(
      "emails not queued",
      `no verified Billing address ${int.format(sk.no_billing_address)}, invoices by email turned off ${int.format(sk.email_turned_off)}`,
    );
  }
  const totals = Object.entries(s.totals);
  if (totals.length) row("invoiced incl. VAT", totals.map(([cur, minor]) => formatMoney(minor, cur, "en")).join("; "));
  if (s.staleRunsClosed) row("earlier runs closed", `${s.staleRunsClosed} (their process was gone; marked failed)`);
  if (s.notBilledAccounts.length) {
    console.log("Accounts not billed (fix the cause and run again: they are billed then):");
    for (const nb of s.notBilledAccounts) console.log(`  ${nb.accountId}  ${nb.accountName}: ${nb.reason}`);
    if (s.notBilled > s.notBilledAccounts.length) console.log(`  … and ${s.notBilled - s.notBilledAccounts.length} more`);
  }
}

runCli(main);
