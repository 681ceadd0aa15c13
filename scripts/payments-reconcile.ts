/**
 * `npm run payments:reconcile [-- --older-than 2 --abandon-after 30]`: asks the configured card
 * provider about open payments older than --older-than minutes (a lost callback) and applies
 * its answer once; fails open payments whose checkout was never created after --abandon-after
 * minutes, so their invoices can be paid again. Run it every few minutes (cron, a scheduler).
 */
import { parseArgs } from "node:util";
import { databaseReady, getDb } from "@/db/client";
import { getPaymentProvider } from "@/lib/payments";
import { reconcileOpenPayments, type ReconcileEntry } from "@/lib/payments/reconcile";
import { plural } from "@/lib/plural";
import { runCli } from "./lib/run-cli";

function minutes(name: string, value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n)) throw new Error(`--${name} must be a number of minutes, not "${value}"`);
  return n;
}

const line = (e: ReconcileEntry) =>
  `  payment ${e.paymentId}  ${(e.providerReference ?? "(no checkout)").padEnd(40)}  ${e.before} → ${e.after}  (${e.result}${e.error ? `: ${e.error}` : ""})`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      "older-than": { type: "string", default: "2" },
      "abandon-after": { type: "string", default: "30" },
      limit: { type: "string", default: "500" },
    },
  });
  const provider = getPaymentProvider();
  await databaseReady();
  const report = await reconcileOpenPayments(getDb(), provider, {
    olderThanMinutes: minutes("older-than", values["older-than"]),
    abandonAfterMinutes: minutes("abandon-after", values["abandon-after"]),
    limit: Number(values.limit),
  });
  console.log(`Checked ${plural(report.checked, { one: "# open payment", other: "# open payments" })} with provider ${provider.name}: ${report.changed.length} changed, ${report.unchanged.length} unchanged, ${plural(report.errors.length, { one: "# error", other: "# errors" })}.`);
  if (report.changed.length) console.log("Changed:");
  for (const e of report.changed) console.log(line(e));
  if (report.errors.length) console.log("Could not be checked (tried again next run):");
  for (const e of report.errors) console.log(line(e));
  return report.errors.length ? 1 : 0;
}

runCli(main);
