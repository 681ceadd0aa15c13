/** Whether a database holds data, and emptying it. */
import { sql } from "drizzle-orm";
import { rows, type Database } from "@/db/client";
import * as s from "@/db/schema";

export async function isDatabaseEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(s.accounts);
  return (row?.n ?? 0) === 0;
}

/** Empties every table (for `db:seed --reset` and tests). */
export async function resetDatabase(db: Database): Promise<void> {
  const tables = await rows<{ tablename: string }>(
    db,
    sql`select tablename from pg_tables where schemaname = 'public' and tablename not like '%drizzle%'`,
  );
  if (tables.length === 0) return;
  await db.execute(sql.raw(`truncate ${tables.map((t) => `"${t.tablename}"`).join(", ")} restart identity cascade`));
}
