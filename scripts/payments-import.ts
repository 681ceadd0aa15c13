/**
 * `npm run payments:import -- statement.csv`: settles the invoices a bank statement pays.
 * The CSV has a header row with date (YYYY-MM-DD), amount (major units, "1234.56"), reference
 * (the invoice's payment reference) and optionally currency. Each line is reported: settled,
 * became account credit, already imported, or not matched (with the reason). Importing the
 * same statement twice settles nothing twice. Exits non-zero only when the file itself is bad.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { databaseReady, getDb } from "@/db/client";
import { BankStatementError, importStatementLines, parseStatement, type LineResult } from "@/lib/payments/bank-import";
import { toDecimalString } from "@/lib/money";
import { runCli } from "./lib/run-cli";

const USAGE = "usage: npm run payments:import -- statement.csv";

function describe(r: LineResult): string {
  const where = `line ${String(r.line).padStart(4)}  ${r.date.padEnd(10)}  ${r.amount.padStart(12)}  ${r.reference.padEnd(14)}`;
  const label = r.status === "unmatched" ? `NOT MATCHED (${r.reason.replaceAll("_", " ")})` : r.status.replaceAll("_", " ");
  return `${where}  ${label}: ${r.message}`;
}

async function main(): Promise<number> {
  const { positionals } = parseArgs({ allowPositionals: true, options: {} });
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const file = path.resolve(positionals[0]!);
  let lines;
  try {
    lines = parseStatement(fs.readFileSync(file));
  } catch (err) {
    if (err instanceof BankStatementError || (err as NodeJS.ErrnoException).code) {
      console.error(`${positionals[0]}: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
    throw err;
  }

  await databaseReady();
  const report = await importStatementLines(getDb(), lines, { source: path.basename(file) });
  for (const r of report.lines) console.log(describe(r));

  const c = report.counts;
  const credit = new Map<string, bigint>();
  for (const r of report.lines) {
    if ((r.status === "settled" || r.status === "credited") && r.creditMinor > 0n) credit.set(r.currency, (credit.get(r.currency) ?? 0n) + r.creditMinor);
  }
  console.log("");
  console.log(`${report.lines.length} lines: ${c.settled} settled, ${c.credited} became account credit (invoice already paid), ${c.already_imported} already imported, ${c.unmatched} not matched.`);
  for (const [currency, minor] of credit) console.log(`New account credit: ${toDecimalString(minor, currency)} ${currency}.`);
  if (c.unmatched) console.log("Lines not matched need a person: check the reference with the customer and import a corrected line.");
  return 0;
}

runCli(main);
