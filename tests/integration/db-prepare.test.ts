/**
 * Every drizzle query goes to PostgreSQL as a named prepared statement, in and outside
 * transactions (db/postgres.ts, preparingEveryQuery): unprepared, postgres.js sends a query with
 * parameters in two round trips (Parse/Describe, then Bind/Execute). DATABASE_PREPARE=false
 * (for a pooler in transaction mode) prepares nothing. PostgreSQL only.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresHandle, rows } from "@/db/client";
import { invoices } from "@/db/schema";
import { setupTestDatabase } from "../setup/db";

const { kind, url } = await setupTestDatabase();
const handles: ReturnType<typeof createPostgresHandle>[] = [];
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
});

/** A one-connection handle, so that pg_prepared_statements shows what this connection keeps. */
function oneConnection(prepare: boolean) {
  const handle = createPostgresHandle(url!, 1, prepare);
  handles.push(handle);
  return handle.db;
}

const marker = (db: ReturnType<typeof oneConnection>, tag: string) =>
  db
    .select({ n: invoices.number })
    .from(invoices)
    // The tag in the statement's text (a parameter would not show in pg_prepared_statements).
    .where(and(eq(invoices.number, -1), sql.raw(`'${tag}' <> ''`)));

async function preparedWith(db: ReturnType<typeof oneConnection>, tag: string): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from pg_prepared_statements where statement like ${`%${tag}%`} and statement not like '%pg_prepared_statements%'`);
  return r!.n;
}

describe.skipIf(kind !== "postgres")("prepared statements", () => {
  it("prepares a query-builder query once per connection and reuses it", async () => {
    const db = oneConnection(true);
    for (let i = 0; i < 3; i++) expect(await marker(db, "outside-tx")).toEqual([]);
    expect(await preparedWith(db, "outside-tx")).toBe(1);
  });

  it("prepares the queries of a transaction too", async () => {
    const db = oneConnection(true);
    await db.transaction(async (tx) => {
      expect(await marker(tx as unknown as typeof db, "inside-tx")).toEqual([]);
    });
    expect(await preparedWith(db, "inside-tx")).toBe(1);
  });

  it("prepares nothing with DATABASE_PREPARE=false", async () => {
    const db = oneConnection(false);
    expect(await marker(db, "unprepared")).toEqual([]);
    await db.transaction(async (tx) => {
      expect(await marker(tx as unknown as typeof db, "unprepared-tx")).toEqual([]);
    });
    expect(await preparedWith(db, "unprepared")).toBe(0);
  });
});
