/**
 * The one database client of the process: postgres.js against DATABASE_URL, or the embedded
 * PGlite in $CUMULUS_DATA_DIR/pgdata. Created lazily so `next build` never opens a database.
 */
import fs from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { sql, type SQL } from "drizzle-orm";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { registerDatabaseProbe } from "@/lib/db-health";
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

export function createPostgresHandle(url: string, max = env().DATABASE_POOL_MAX, prepare = env().DATABASE_PREPARE): Handle {
  const client = postgres(url, {
    max,
    // Off, nothing is prepared, drizzle's .prepare() included (see preparingEveryQuery).
    prepare,
    onnotice: () => {},
    // The balance queries are many small index lookups; PostgreSQL's JIT compiled them anew on
    // every call (0.6-1.8 s measured by npm run bench) for no gain.
    connection: { jit: "off" },
    // Fail fast instead of queueing forever when the server is gone.
    connect_timeout: 10,
    // postgres.js waits backoff(failures) seconds before a pooled connection reconnects, shared
    // by the pool: its default grows to 10-20 s after a few refused connections, so queries hung
    // that long after the server was back. While it is away the proxy's 503 gate (lib/db-health.ts)
    // keeps the pool idle, so a short wait is enough.
    backoff: (failures: number) => Math.min(0.05 * 2 ** failures, 0.5),
    idle_timeout: 60,
  });
  const db = drizzlePostgres(retryingReplayedShutdowns(preparingEveryQuery(client)), { schema });
  return { db, kind: "postgres", ready: Promise.resolve(), close: () => client.end({ timeout: 5 }) };
}

/**
 * Every drizzle query as a named prepared statement, in and outside transactions.
 *
 * drizzle sends its queries with `prepare: false` unless built with `.prepare()`, and postgres.js
 * sends a query with parameters that is not prepared in two round trips: Parse/Describe to learn
 * the parameter types, then Bind/Execute. A pay action took 19 round trips (and as many socket
 * writes, each ~85 µs here) instead of 10. Prepared, a statement is described once per
 * connection and then sent in one. postgres.js keys statements by their text, which drizzle
 * builds from the query's shape (values are parameters); connections are replaced after
 * 30–60 minutes (postgres.js's max_lifetime), which bounds what a connection keeps.
 */
export function preparingEveryQuery(client: postgres.Sql): postgres.Sql {
  const withPrepare = <S extends postgres.Sql | postgres.TransactionSql>(sql: S): S =>
    new Proxy(sql, {
      get(target, prop, receiver) {
        if (prop === "unsafe") {
          return (query: string, params?: unknown[], options?: postgres.UnsafeQueryOptions) =>
            target.unsafe(query, params as postgres.ParameterOrJSON<never>[], { ...options, prepare: true });
        }
        if (prop === "begin") {
          return (...args: unknown[]) => {
            const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
            const body = (tx: postgres.TransactionSql) => fn(withPrepare(tx));
            const sql = target as postgres.Sql; // only a pool has begin(); a transaction has savepoint()
            return args.length ? sql.begin(args[0] as string, body) : sql.begin(body);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
  return withPrepare(client);
}

// SQLSTATE 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now.
const SHUTDOWN_SQLSTATES = new Set(["57P01", "57P02", "57P03"]);

/**
 * Did this query fail with a server-shutdown error that postgres.js replayed, so the query never ran?
 *
 * postgres.js 3.4.9 keeps the error of a connection the server closed mid-query (a restart, a
 * fail-over, pg_terminate_backend) and rejects the first query on that connection after it has
 * reconnected with it (porsager/postgres#1223): after every database restart, requests failed
 * although the server was back. A query really running when the server goes away sees the
 * connection close (CONNECTION_CLOSED, ECONNRESET) and the server sends no ReadyForQuery after a
 * FATAL, so one of these SQLSTATEs as a *PostgresError* only reaches a query that was never sent.
 */
export function isReplayedShutdownError(err: unknown): boolean {
  return err instanceof postgres.PostgresError && SHUTDOWN_SQLSTATES.has(err.code);
}

/**
 * The pool as drizzle sees it: `unsafe` (every drizzle query) and `begin` (every transaction) are
 * sent once more when they fail with a replayed shutdown error; a transaction only when its
 * callback never started. Everything else is the client itself.
 */
export function retryingReplayedShutdowns(client: postgres.Sql): postgres.Sql {
  const unsafe = (query: string, params?: unknown[], options?: postgres.UnsafeQueryOptions) => {
    let asValues = false;
    const send = () => {
      const q = client.unsafe(query, params as postgres.ParameterOrJSON<never>[], options);
      return asValues ? q.values() : q;
    };
    let result: Promise<unknown> | undefined;
    const run = () =>
      (result ??= (async () => {
        try {
          return await send();
        } catch (err) {
          if (!isReplayedShutdownError(err)) throw err;
          return await send();
        }
      })());
    // Lazy like postgres.js's own query: drizzle calls `.values()` before awaiting it.
    const pending = {
      values() {
        asValues = true;
        return pending;
      },
      then<A, B>(onFulfilled?: (v: unknown) => A | PromiseLike<A>, onRejected?: (e: unknown) => B | PromiseLike<B>) {
        return run().then(onFulfilled, onRejected);
      },
    };
    return pending;
  };
  const begin = async (...args: unknown[]) => {
    const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
    for (let attempt = 0; ; attempt++) {
      let started = false;
      const body = (tx: postgres.TransactionSql) => {
        started = true;
        return fn(tx);
      };
      try {
        return await (args.length ? client.begin(args[0] as string, body) : client.begin(body));
      } catch (err) {
        if (started || attempt > 0 || !isReplayedShutdownError(err)) throw err;
      }
    }
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "unsafe") return unsafe;
      if (prop === "begin") return begin;
      return Reflect.get(target, prop, receiver);
    },
  });
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

/** The server's PostgreSQL handle: its pool is renewed when the database comes back after an outage. */
export function createRenewingPostgresHandle(url: string): Handle {
  let current = createPostgresHandle(url);
  // The proxy's 503 gate asks this while the server is unreachable (lib/db-health.ts). It asks
  // on a new pool, which then replaces the old one: postgres.js keeps state of connections the
  // server closed under them (a replayed error, porsager/postgres#1223; reconnects that hung
  // until connect_timeout in npm run test:faults), so after an outage none of them is reused.
  // Queries still running on the old pool finish, for 5 s at most.
  registerDatabaseProbe(async () => {
    const fresh = createPostgresHandle(url);
    try {
      await fresh.db.execute(sql`select 1`);
    } catch (err) {
      void fresh.close().catch(() => {});
      throw err;
    }
    const retired = current;
    current = fresh;
    void retired.close().catch(() => {});
  });
  return {
    kind: "postgres",
    ready: Promise.resolve(),
    get db() {
      return current.db;
    },
    close: () => current.close(),
  };
}

function createHandle(): Handle {
  const e = env();
  if (e.DATABASE_URL) return createRenewingPostgresHandle(e.DATABASE_URL);
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
  registerDatabaseProbe(null);
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
