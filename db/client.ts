/**
 * The one database client of the process: postgres.js against DATABASE_URL, or the embedded
 * PGlite in $CUMULUS_DATA_DIR/pgdata. Created lazily so `next build` never opens a database.
 */
import fs from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/lib/env";
import { lockDataDir } from "./lock";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the database or a transaction: query functions accept both. */
export type Executor = Database | Transaction;

type Handle = {
  db: Database;
  kind: "postgres" | "pglite";
  close: () => Promise<void>;
  ready: Promise<void>;
};

const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

// One client per process, also across Next's separately bundled module graphs.
const globalForDb = globalThis as unknown as { __cumulusDb?: Handle };

export class EmbeddedInProductionError extends Error {
  constructor() {
    super(
      "Cumulus refuses to run on the embedded database in production. Set DATABASE_URL to a PostgreSQL " +
        "server, or set CUMULUS_ALLOW_EMBEDDED=true to accept a single-process demo database.",
    );
    this.name = "EmbeddedInProductionError";
  }
}

export function createPostgresHandle(url: string, max = env().DATABASE_POOL_MAX): Handle {
  const client = postgres(url, {
    max,
    onnotice: () => {},
    // The balance queries are many small index lookups; PostgreSQL's JIT compiled them anew on
    // every call (0.6-1.8 s measured by npm run bench) for no gain.
    connection: { jit: "off" },
    // Fail fast instead of queueing forever when the server is gone.
    connect_timeout: 10,
    idle_timeout: 60,
  });
  const db = drizzlePostgres(client, { schema });
  return { db, kind: "postgres", ready: Promise.resolve(), close: () => client.end({ timeout: 5 }) };
}

/** Opens (or creates) an embedded database; `dataDir` undefined means in memory. */
export async function createPgliteHandle(
  dataDir: string | undefined,
  opts: { lock?: boolean; loadDataDir?: Blob } = {},
): Promise<Handle> {
  // Lock first: a second process fails at once, before loading PGlite.
  let release = () => {};
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    if (opts.lock !== false) release = lockDataDir(dataDir);
  }
  const { PGlite, types } = await import("@electric-sql/pglite");
  const { drizzle: drizzlePglite } = await import("drizzle-orm/pglite");
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir ? path.join(dataDir, "pgdata") : undefined, {
      loadDataDir: opts.loadDataDir,
      // PGlite decodes bytea in JS, slowly; hex → bytes with Buffer is ~20× faster.
      parsers: { [types.BYTEA]: (value: string) => new Uint8Array(Buffer.from(value.slice(2), "hex")) },
    });
  } catch (err) {
    release();
    throw err;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    kind: "pglite",
    ready: Promise.resolve(),
    close: async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

function createHandle(): Handle {
  const e = env();
  if (e.DATABASE_URL) return createPostgresHandle(e.DATABASE_URL);
  if (e.NODE_ENV === "production" && !e.CUMULUS_ALLOW_EMBEDDED) throw new EmbeddedInProductionError();
  // The embedded database opens asynchronously; queries wait for it through a proxy so that
  // callers keep one synchronous `getDb()`.
  let inner: Database | undefined;
  const opening = createPgliteHandle(e.dataDir).then(async (h) => {
    await migrate(h.db, "pglite");
    inner = h.db;
    handle.close = h.close;
    return h;
  });
  const handle: Handle = {
    kind: "pglite",
    ready: opening.then(() => undefined),
    close: async () => {
      await (await opening).close();
    },
    db: new Proxy({} as Database, {
      get(_t, prop) {
        if (!inner) throw new Error("The embedded database is still opening: await databaseReady() first.");
        const value = Reflect.get(inner, prop, inner);
        return typeof value === "function" ? value.bind(inner) : value;
      },
    }),
  };
  // Closing cleanly on shutdown keeps PGlite's files consistent; work in flight (an email
  // being sent) finishes first, for at most a few seconds.
  const shutdown = (signal: NodeJS.Signals) => {
    void runShutdownHooks()
      .then(() => handle.close())
      .catch(() => {})
      .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  return handle;
}

const shutdownHooks = ((globalThis as { __cumulusShutdownHooks?: Set<() => Promise<void>> }).__cumulusShutdownHooks ??= new Set());

/** Registers work to finish before the embedded database closes on SIGTERM/SIGINT. */
export function onShutdown(hook: () => Promise<void>): () => void {
  shutdownHooks.add(hook);
  return () => shutdownHooks.delete(hook);
}

async function runShutdownHooks(timeoutMs = 5000): Promise<void> {
  const all = Promise.allSettled([...shutdownHooks].map((h) => h()));
  await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
}

function handle(): Handle {
  globalForDb.__cumulusDb ??= createHandle();
  return globalForDb.__cumulusDb;
}

/** The process's database. On the embedded database, `await databaseReady()` must have run. */
export function getDb(): Database {
  return handle().db;
}

export function databaseKind(): "postgres" | "pglite" {
  return handle().kind;
}

/** Resolves once the database is open and (embedded) migrated. */
export async function databaseReady(): Promise<void> {
  await handle().ready;
}

export async function closeDatabase(): Promise<void> {
  const h = globalForDb.__cumulusDb;
  globalForDb.__cumulusDb = undefined;
  if (h) await h.close();
}

/** Tests give each file its own database. */
export function setDatabaseForTests(db: Database, kind: "postgres" | "pglite", close: () => Promise<void>) {
  globalForDb.__cumulusDb = { db, kind, close, ready: Promise.resolve() };
}

/** Applies the committed migrations (db/migrations). On PostgreSQL, under an advisory lock. */
export async function migrate(db: Database, kind: "postgres" | "pglite"): Promise<void> {
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
    await conn`select pg_advisory_lock(4242001)`;
    await migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await conn`select pg_advisory_unlock(4242001)`.catch(() => {});
    conn.release();
  }
}

/** `db.execute` returns an array on postgres.js and `{ rows }` on PGlite. */
export async function rows<T extends Record<string, unknown>>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
