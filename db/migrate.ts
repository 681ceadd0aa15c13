/** Applies db/migrations, the committed migrations drizzle-kit generated from db/schema.ts. */
import fs from "node:fs";
import path from "node:path";
import type postgres from "postgres";
import { advisoryLock } from "./advisory-lock";
import type { Database, DatabaseKind } from "./handle";

const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/** Applies the committed migrations (db/migrations). On PostgreSQL, under an advisory lock. */
export async function migrate(db: Database, kind: DatabaseKind): Promise<void> {
  if (!fs.existsSync(MIGRATIONS_FOLDER)) throw new Error(`Migrations not found in ${MIGRATIONS_FOLDER}`);
  if (kind === "pglite") {
    const { migrate: migratePglite } = await import("drizzle-orm/pglite/migrator");
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const { migrate: migratePostgres } = await import("drizzle-orm/postgres-js/migrator");
  // drizzle's migrator takes no lock: several servers starting at once must not race. The
  // lock is held on one reserved connection while the migrator uses the pool.
  const client = (db as unknown as { $client: postgres.Sql }).$client;
  const conn = await client.reserve();
  try {
    const release = await advisoryLock(conn, "migrations");
    try {
      await migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await release().catch(() => {});
    }
  } finally {
    conn.release();
  }
}
