/**
 * The one database client of the process: postgres.js against DATABASE_URL (db/postgres.ts), or
 * the embedded PGlite in $CUMULUS_DATA_DIR/pgdata (db/pglite.ts). Created lazily so `next build`
 * never opens a database.
 */
import type { SQL } from "drizzle-orm";
import { env } from "@/lib/env";
import type { Database, DatabaseKind, Executor, Handle } from "./handle";
import { registerDatabaseProbe } from "./health";
import { createEmbeddedHandle } from "./pglite";
import { createRenewingPostgresHandle } from "./postgres";
import { processSlot } from "./singleton";

export type { Database, Executor, Transaction } from "./handle";
export { migrate } from "./migrate";
export { createPgliteHandle } from "./pglite";
export { createPostgresHandle, createRenewingPostgresHandle, isReplayedShutdownError } from "./postgres";
export { onShutdown } from "./shutdown";

export class EmbeddedInProductionError extends Error {
  constructor() {
    super(
      "Cumulus refuses to run on the embedded database in production. Set DATABASE_URL to a PostgreSQL " +
        "server, or set CUMULUS_ALLOW_EMBEDDED=true to accept a single-process demo database.",
    );
    this.name = "EmbeddedInProductionError";
  }
}

// One client per process, also across Next's separately bundled module graphs.
const current = processSlot<Handle>("db");

function createHandle(): Handle {
  const e = env();
  if (e.DATABASE_URL) return createRenewingPostgresHandle(e.DATABASE_URL);
  if (e.NODE_ENV === "production" && !e.CUMULUS_ALLOW_EMBEDDED) throw new EmbeddedInProductionError();
  return createEmbeddedHandle(e.dataDir);
}

function handle(): Handle {
  return current.getOrCreate(createHandle);
}

const preparedQueries = new WeakMap<object, Map<string, unknown>>();

/**
 * A query of the hot path built once per database handle (drizzle's `.prepare()`, with
 * `sql.placeholder` parameters): building the SQL text from the query builder on every request
 * cost more CPU than running it (npm run bench's CPU profile of the pay action).
 */
export function preparedQuery<T>(db: Database, name: string, build: (db: Database) => T): T {
  let forDb = preparedQueries.get(db);
  if (!forDb) preparedQueries.set(db, (forDb = new Map()));
  let query = forDb.get(name) as T | undefined;
  if (query === undefined) forDb.set(name, (query = build(db)));
  return query;
}

/** The process's database. On the embedded database, `await databaseReady()` must have run. */
export function getDb(): Database {
  return handle().db;
}

export function databaseKind(): DatabaseKind {
  return handle().kind;
}

/** Resolves once the database is open and (embedded) migrated. */
export async function databaseReady(): Promise<void> {
  await handle().ready;
}

export async function closeDatabase(): Promise<void> {
  const h = current.get();
  current.set(undefined);
  registerDatabaseProbe(null);
  if (h) await h.close();
}

/** Tests give each file its own database. */
export function setDatabaseForTests(db: Database, kind: DatabaseKind, close: () => Promise<void>) {
  current.set({ db, kind, close, ready: Promise.resolve() });
}

/** `db.execute` returns an array on postgres.js and `{ rows }` on PGlite. */
export async function rows<T extends Record<string, unknown>>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
