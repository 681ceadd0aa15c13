/**
 * Proves that no card number reached the database or the server's log: reads every row of every
 * table as text (the saved cards and the sandbox's card vault included) and, with --log, the
 * server's log, and looks for the sandbox's test card numbers (with or without spaces). Run by
 * the browser tests after they have paid with those cards and saved them; exits 1 on a find.
 *   DATABASE_URL=… tsx scripts/check-no-card-data.ts [--log server.log]   (or CUMULUS_DATA_DIR for PGlite)
 */
import fs from "node:fs";
import { sql } from "drizzle-orm";
import { closeDatabase, databaseReady, getDb, rows } from "@/db/client";
import { TEST_CARDS } from "@/lib/payments/sandbox";

const patterns = Object.keys(TEST_CARDS).map((n) => new RegExp(n.replace(/(\d{4})(?=\d)/g, "$1[\\s-]?")));

export function findCardNumbers(text: string): string[] {
  return patterns.filter((p) => p.test(text)).map((p) => p.source);
}

/** The lines of a log file that hold a test card number. */
function cardNumbersInLog(path: string): number {
  const hits = fs.readFileSync(path, "utf8").split("\n").filter((line) => findCardNumbers(line).length > 0);
  // Only the count and the numbers' patterns: printing the lines would copy the numbers once more.
  if (hits.length) console.error(`server log lines with a card number: ${hits.length}`);
  return hits.length;
}

async function main() {
  const logIndex = process.argv.indexOf("--log");
  const logFound = logIndex > 0 && process.argv[logIndex + 1] ? cardNumbersInLog(process.argv[logIndex + 1]!) : 0;
  await databaseReady();
  const db = getDb();
  const tables = await rows<{ schemaname: string; tablename: string }>(
    db,
    sql`select schemaname, tablename from pg_tables where schemaname in ('public', 'drizzle')`,
  );
  let found = 0;
  let scanned = 0;
  const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
  for (const { schemaname, tablename } of tables) {
    const data = await rows<{ row: string }>(db, sql.raw(`select t::text as row from ${ident(schemaname)}.${ident(tablename)} t`));
    for (const r of data) {
      scanned++;
      const hits = findCardNumbers(r.row);
      if (hits.length) {
        found++;
        console.error(`card number in ${tablename}: ${hits.join(", ")}`);
      }
    }
  }
  console.log(`check-no-card-data: ${scanned} rows in ${tables.length} tables scanned, ${found} with a card number`);
  await closeDatabase();
  process.exit(found || logFound ? 1 : 0);
}

main().catch(async (err) => {
  console.error(err);
  await closeDatabase().catch(() => {});
  process.exit(2);
});
