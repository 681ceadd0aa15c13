/**
 * A pooled connection that PostgreSQL closed mid-query (a restart, a fail-over,
 * pg_terminate_backend) serves its next query normally, on PostgreSQL only. postgres.js 3.4.9
 * rejects the first query after the reconnect with the old 57P01 (porsager/postgres#1223);
 * db/postgres.ts sends such a query once more, since it never reached the server.
 */
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresHandle, createRenewingPostgresHandle, isReplayedShutdownError, rows } from "@/db/client";
import { databaseUnavailable, noteDatabaseError, registerDatabaseProbe } from "@/db/health";
import { setupTestDatabase } from "../setup/db";

const { kind, url } = await setupTestDatabase();
const admin = kind === "postgres" ? postgres(url!, { max: 1, onnotice: () => {} }) : undefined;
afterAll(async () => {
  await admin?.end({ timeout: 1 });
});

/** Kills the one connection of `client` while it runs a query; returns what that query got. */
async function killMidQuery(client: postgres.Sql): Promise<unknown> {
  const [me] = await client<{ pid: number }[]>`select pg_backend_pid() as pid`;
  const pid = me!.pid;
  const running = client`select pg_sleep(30)`.then(
    () => null,
    (err: unknown) => err,
  );
  for (let i = 0; ; i++) {
    const [active] = await admin!<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where pid = ${pid} and state = 'active'`;
    if (active!.n === 1) break;
    if (i > 100) throw new Error("the query never started");
    await new Promise((r) => setTimeout(r, 10));
  }
  await admin!`select pg_terminate_backend(${pid})`;
  return running;
}

describe.skipIf(kind !== "postgres")("a connection closed by the server mid-query", () => {
  it("the query that was running sees the connection close, not a shutdown SQLSTATE", async () => {
    const client = postgres(url!, { max: 1, onnotice: () => {} });
    try {
      const err = await killMidQuery(client);
      expect(err).toMatchObject({ code: "CONNECTION_CLOSED" });
      expect(isReplayedShutdownError(err)).toBe(false);
    } finally {
      await client.end({ timeout: 1 });
    }
  });

  it("postgres.js alone replays the old error onto the next query (why db/postgres.ts retries)", async () => {
    const client = postgres(url!, { max: 1, onnotice: () => {} });
    try {
      await killMidQuery(client);
      const next = await client`select 1 as one`.then(
        () => null,
        (err: unknown) => err,
      );
      // When this fails, a postgres.js release fixed #1223 and the retry can go.
      expect(next).toMatchObject({ code: "57P01" });
      expect(isReplayedShutdownError(next)).toBe(true);
    } finally {
      await client.end({ timeout: 1 });
    }
  });

  it("through the app's client, the next query, query builder read and transaction succeed", async () => {
    const handle = createPostgresHandle(url!, 1);
    const client = (handle.db as unknown as { $client: postgres.Sql }).$client;
    try {
      await killMidQuery(client);
      expect(await rows<{ one: number }>(handle.db, sql`select 1 as one`)).toEqual([{ one: 1 }]);

      await killMidQuery(client);
      // The query builder asks for `.values()` (arrays), the path of nearly every page's read.
      const [row] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(sql`pg_class`);
      expect(row!.n).toBeGreaterThan(0);

      await killMidQuery(client);
      let bodies = 0;
      const inTx = await handle.db.transaction(async (tx) => {
        bodies++;
        return rows<{ two: number }>(tx, sql`select 2 as two`);
      });
      expect(inTx).toEqual([{ two: 2 }]);
      expect(bodies).toBe(1);
    } finally {
      await handle.close();
    }
  });

  it("a query that fails on its own is sent once, not again", async () => {
    const handle = createPostgresHandle(url!, 1);
    try {
      await rows(handle.db, sql`create sequence sent_once`);
      // nextval is not rolled back with the failed statement: a second send would show as 2.
      await expect(rows(handle.db, sql`select nextval('sent_once') / 0`)).rejects.toMatchObject({ cause: { code: "22012" } });
      const [seq] = await rows<{ n: string }>(handle.db, sql`select last_value::text as n from sent_once`);
      expect(seq!.n).toBe("1");
    } finally {
      await handle.close();
    }
  });

  it("after an outage the server's handle answers on a new pool and retires the old one", async () => {
    const handle = createRenewingPostgresHandle(url!);
    try {
      const before = handle.db;
      expect(await rows<{ one: number }>(before, sql`select 1 as one`)).toEqual([{ one: 1 }]);
      // As instrumentation.ts does when a request fails to reach the database.
      expect(noteDatabaseError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(true);
      // The proxy's gate asks the probe, which answers on a new pool: the mark is cleared.
      expect(await databaseUnavailable()).toBe(false);
      expect(handle.db).not.toBe(before);
      expect(await rows<{ one: number }>(handle.db, sql`select 1 as one`)).toEqual([{ one: 1 }]);
      // No query reaches the old pool's connections any more.
      await expect(rows(before, sql`select 1`)).rejects.toMatchObject({ cause: { code: "CONNECTION_ENDED" } });
    } finally {
      registerDatabaseProbe(null);
      await handle.close();
    }
  });
});
