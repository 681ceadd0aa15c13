/**
 * `npm run db:seed`: the demo data of docs/product.md, relative to today.
 *   --reset            empty the database first (required when it holds data)
 *   --today YYYY-MM-DD pretend today is another day (deterministic output for a given day)
 *   --scale N          benchmark data: N accounts (with --invoices, --lines, --big-account, --batch)
 */
import { parseArgs } from "node:util";
import { databaseKind, databaseReady, getDb, migrate } from "@/db/client";
import { DEMO_LOGINS, DEMO_PASSWORD, isDatabaseEmpty, resetDatabase, seedDemo, seedScale } from "@/scripts/seed";
import { isIsoDate, accountToday } from "@/lib/dates";
import { PROVIDER_TIME_ZONE } from "@/lib/provider";
import { runCli } from "./lib/run-cli";

async function main() {
  const { values } = parseArgs({
    options: {
      reset: { type: "boolean", default: false },
      today: { type: "string" },
      scale: { type: "string" },
      invoices: { type: "string", default: "24" },
      lines: { type: "string", default: "20" },
      "big-account": { type: "string", default: "0" },
      batch: { type: "string", default: "500" },
    },
  });
  const today = values.today ?? accountToday(PROVIDER_TIME_ZONE);
  if (!isIsoDate(today)) throw new Error(`--today must be a date like 2026-11-25, not ${today}`);
  const int = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
    return n;
  };

  await databaseReady();
  const db = getDb();
  if (databaseKind() === "postgres") await migrate(db, "postgres");
  if (!(await isDatabaseEmpty(db))) {
    if (!values.reset) throw new Error("The database already holds data: run again with --reset to replace it.");
    await resetDatabase(db);
  }

  const started = Date.now();
  if (values.scale !== undefined) {
    const accounts = int("scale", values.scale);
    const result = await seedScale(db, today, {
      accounts,
      invoicesPerAccount: int("invoices", values.invoices),
      linesPerInvoice: int("lines", values.lines),
      bigAccountInvoices: int("big-account", values["big-account"]),
      batchAccounts: Math.max(1, int("batch", values.batch)),
      onProgress: (done, total) => {
        const rate = done / ((Date.now() - started) / 1000);
        process.stdout.write(`\r  accounts ${done}/${total}  ${rate.toFixed(0)}/s  ~${((total - done) / rate).toFixed(0)} s left   `);
      },
    });
    process.stdout.write("\n");
    console.log(`Seeded ${accounts} accounts and ${result.invoices} invoices in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } else {
    const result = await seedDemo(db, today);
    console.log(`Seeded ${result.accounts} demo accounts and ${result.invoices} invoices (today = ${today}).`);
    console.log(`Demo logins (password ${DEMO_PASSWORD}):`);
    for (const l of DEMO_LOGINS) console.log(`  ${l.email.padEnd(22)} ${l.role}`);
  }
}

runCli(main);
