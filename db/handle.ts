/** The types every part of db/ shares: the database, a transaction, and a handle that owns them. */
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the database or a transaction: query functions accept both. */
export type Executor = Database | Transaction;

export type DatabaseKind = "postgres" | "pglite";

/** An open database and how to close it; `ready` resolves once it can be queried. */
export type Handle = {
  db: Database;
  kind: DatabaseKind;
  close: () => Promise<void>;
  ready: Promise<void>;
};
