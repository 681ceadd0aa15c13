/**
 * Proves that no card number or CVC reached the database: reads every row of every table as
 * text and looks for the sandbox's test card numbers (with or without spaces). Run by the
 * browser tests after they have paid with those cards; exits 1 on a find.
 *   DATABASE_URL=… tsx scripts/check-no-card-data.ts     (or CUMULUS_DATA_DIR for PGlite)
 */
import { sql } from "drizzle-orm";
import { closeDatabase, databaseReady, getDb, rows } from "@/db/client";
import { TEST_CARDS } from "@/lib/payments/sandbox";

const patterns = Object.keys(TEST_CARDS).map((n) => new RegExp(n.replace(/(\d{4})(?=\d)/g, "$1[\\s-]?")));

export function findCardNumbers(text: string): string[] {
  return patterns.filter((p) => p.test(text)).map((p) => p.source);
}

async function main() {
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
  process.exit(found ? 1 : 0);
}

main().catch(async (err) => {
  console.error(err);
  await closeDatabase().catch(() => {});
  process.exit(2);
});
