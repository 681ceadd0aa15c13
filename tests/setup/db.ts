/**
 * A clean, migrated database per test file, copied from the template that
 * tests/setup/global-setup.ts prepared:
 * - PostgreSQL: `CREATE DATABASE <template>_<pid>_<n> TEMPLATE <template>` (~40 ms), dropped
 *   (WITH (FORCE)) when the file ends.
 * - PGlite: a new in-memory instance loaded from the migrated dump (~0.7–1 s instead of ~3 s
 *   for initdb + migrations).
 *
 * Usage, at the top level of a test file:
 *   const { db, kind } = await setupTestDatabase();
 * `getDb()` in application code then returns the same database.
 */
import fs from "node:fs";
import postgres from "postgres";
import { afterAll, inject } from "vitest";
import {
  closeDatabase,
  createPgliteHandle,
  createPostgresHandle,
  setDatabaseForTests,
  type Database,
} from "@/db/client";
import { resetDatabase } from "@/scripts/seed";
import { resetEnvCache } from "@/lib/env";
import { databaseUrl, quoteIdent, type TestDbInfo } from "./shared";

export type DatabaseKind = "postgres" | "pglite";

export type TestDatabase = {
  db: Database;
  kind: DatabaseKind;
  /** postgres:// URL of this file's database (PostgreSQL only), e.g. for a child process. */
  url?: string;
  /** Closes the connection and, on PostgreSQL, drops the database. */
  close: () => Promise<void>;
};

let counter = 0;

function testDbInfo(): TestDbInfo {
  const info = inject("cumulusTestDb");
  if (!info) {
    throw new Error(
      "No test database template: run integration tests through vitest.config.ts (its globalSetup " +
        "tests/setup/global-setup.ts prepares the template).",
    );
  }
  return info;
}

function timing(what: string, started: number) {
  if (process.env.CUMULUS_TEST_TIMING) {
    console.log(`[test-db] ${what} in ${(performance.now() - started).toFixed(0)} ms`);
  }
}

/** A new database that the caller owns and must `close()`; `setupTestDatabase` is the usual entry. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const info = testDbInfo();
  const started = performance.now();
  if (info.kind === "postgres") {
    const name = `${info.template}_${process.pid}_${++counter}`;
    const admin = postgres(info.adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
    try {
      await createFromTemplate(admin, name, info.template);
    } catch (err) {
      await admin.end({ timeout: 1 });
      throw err;
    }
    const url = databaseUrl(info.adminUrl, name);
    const handle = createPostgresHandle(url, 8);
    timing(`postgres database ${name} created`, started);
    let closed = false;
    return {
      db: handle.db,
      kind: "postgres",
      url,
      close: async () => {
        if (closed) return;
        closed = true;
        const closing = performance.now();
        try {
          await handle.close();
          await admin.unsafe(`drop database if exists ${quoteIdent(name)} with (force)`);
        } finally {
          await admin.end({ timeout: 5 });
        }
        timing(`postgres database ${name} dropped`, closing);
      },
    };
  }
  const blob = await fs.openAsBlob(info.dumpFile);
  const handle = await createPgliteHandle(undefined, { loadDataDir: blob });
  timing("pglite database loaded", started);
  let closed = false;
  return {
    db: handle.db,
    kind: "pglite",
    close: async () => {
      if (closed) return;
      closed = true;
      const closing = performance.now();
      await handle.close();
      timing("pglite database closed", closing);
    },
  };
}

async function createFromTemplate(admin: postgres.Sql, name: string, template: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.unsafe(`create database ${quoteIdent(name)} template ${quoteIdent(template)}`);
      return;
    } catch (err) {
      // 55006 "source database is being accessed by other users": retry briefly.
      if ((err as { code?: string }).code !== "55006" || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

/**
 * Gives this test file its own clean, migrated database, makes it the process's database (so
 * `getDb()` returns it, and `env().DATABASE_URL` points at it on PostgreSQL) and closes/drops
 * it after the file. Call it once, at the top level of the test file (it registers `afterAll`).
 */
export async function setupTestDatabase(): Promise<{ db: Database; kind: DatabaseKind; url?: string }> {
  const t = await createTestDatabase();
  setDatabaseForTests(t.db, t.kind, t.close);
  if (t.url) {
    process.env.DATABASE_URL = t.url;
    resetEnvCache();
  }
  afterAll(async () => {
    await closeDatabase();
  });
  return { db: t.db, kind: t.kind, url: t.url };
}

/**
 * The same as `setupTestDatabase`. Its `use…` name makes eslint's react-hooks/rules-of-hooks
 * reject a top-level call, so prefer `setupTestDatabase` (or turn that rule off for tests).
 */
export const useTestDatabase = setupTestDatabase;

/** Empties every application table (keeps the migrations journal): a clean slate between tests. */
export async function resetTables(db: Database): Promise<void> {
  await resetDatabase(db);
}
