/**
 * `npm run bench:billing`: the billing run at scale on PostgreSQL (scripts/bench/billing.ts):
 * 10,000 accounts × 30 usage lines billed by one `billing:run` process (target: under 60 s,
 * memory flat), then two processes at once on a fresh copy (each invoice exactly once).
 *
 *   --accounts N    accounts (default 10000)
 *   --lines N       usage lines per account (default 30)
 *   --keep          keep the databases cumulus_bench_billing(_pair) afterwards
 *   --out DIR       where billing-latest.json goes (default bench-results/)
 *
 * Environment: BENCH_DATABASE_URL, any database on the server to use (default
 * postgres://postgres@127.0.0.1:5432/postgres); the bench creates and drops its own.
 * Exit code 0 when it ran (targets missed are reported, not failed), 1 when it could not run.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchBilling, billingChecks } from "./bench/billing";
import { checksTable, machine } from "./bench/report";

const { values } = parseArgs({
  options: {
    accounts: { type: "string", default: "10000" },
    lines: { type: "string", default: "30" },
    keep: { type: "boolean", default: false },
    out: { type: "string", default: "bench-results" },
  },
});

function count(name: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, not "${v}"`);
  return n;
}

async function main() {
  const started = Date.now();
  const log = (line: string) => console.log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s] ${line}`);
  const m = machine();
  log(`billing bench: ${m.nproc} CPUs, Node ${m.node}, load ${m.loadAverage.join(" ")}`);
  const result = await benchBilling({ accounts: count("accounts", values.accounts), usageLines: count("lines", values.lines), keep: values.keep, log });
  console.log("");
  console.log(checksTable(billingChecks(result)));
  fs.mkdirSync(values.out, { recursive: true });
  const file = path.join(values.out, "billing-latest.json");
  const { stdout: _o, stderr: _e, ...single } = result.single;
  fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), machine: m, ...result, single }, null, 2) + "\n");
  console.log(`\nWritten to ${file}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
