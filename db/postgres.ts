/**
 * The PostgreSQL driver: a postgres.js pool as drizzle sees it, every query prepared, a query
 * that a server restart left behind sent once more, and a pool renewed after an outage.
 */
import { sql } from "drizzle-orm";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/lib/env";
import type { Handle } from "./handle";
import { registerDatabaseProbe, SHUTDOWN_SQLSTATES } from "./health";
import * as schema from "./schema";

export function createPostgresHandle(url: string, max = env().DATABASE_POOL_MAX, prepare = env().DATABASE_PREPARE): Handle {
  const client = postgres(url, {
    max,
    // Off, nothing is prepared, drizzle's .prepare() included (see preparingEveryQuery).
    prepare,
    onnotice: () => {},
    // The balance queries are many small index lookups; PostgreSQL's JIT compiled them anew on
    // every call for no gain (docs/performance.md).
    connection: { jit: "off" },
    // Fail fast instead of queueing forever when the server is gone.
    connect_timeout: 10,
    // postgres.js waits backoff(failures) seconds before a pooled connection reconnects, shared
    // by the pool: its default grows to 10-20 s after a few refused connections, so queries hung
    // that long after the server was back. While it is away the proxy's 503 gate (db/health.ts)
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
 * the parameter types, then Bind/Execute. Prepared, a statement is described once per
 * connection and then sent in one (docs/performance.md). postgres.js keys statements by their text, which drizzle
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

/** The server's PostgreSQL handle: its pool is renewed when the database comes back after an outage. */
export function createRenewingPostgresHandle(url: string): Handle {
  let current = createPostgresHandle(url);
  // The proxy's 503 gate asks this while the server is unreachable (db/health.ts). It asks
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
