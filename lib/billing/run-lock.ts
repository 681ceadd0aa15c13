/**
 * While a billing run lives it holds a lock named by its id, so a later run can tell a killed
 * run's row (lock free) from a running one's. On PostgreSQL that is a session advisory lock; on
 * PGlite no other process can run, so this process's own set of runs is enough.
 */
import type postgres from "postgres";
import { advisoryLock, isAdvisoryLockFree } from "@/db/advisory-lock";
import type { Database } from "@/db/client";
import { processSingleton } from "@/db/singleton";

export type RunLock = {
  /** Whether the run of this id is gone (its process killed). */
  isDead: (runId: string) => Promise<boolean>;
  release: () => Promise<void>;
};

/** Runs that this process is running. */
const localRuns = processSingleton("billingRuns", () => new Set<string>());

export async function holdRunLock(db: Database, runId: string): Promise<RunLock> {
  const client = (db as unknown as { $client?: postgres.Sql }).$client;
  if (!client || typeof (client as { reserve?: unknown }).reserve !== "function") {
    localRuns.add(runId);
    return {
      isDead: async (id) => !localRuns.has(id),
      release: async () => {
        localRuns.delete(runId);
      },
    };
  }
  const conn = await client.reserve();
  let unlock: () => Promise<void>;
  try {
    unlock = await advisoryLock(conn, "billingRun", runId);
  } catch (err) {
    conn.release();
    throw err;
  }
  return {
    isDead: (id) => isAdvisoryLockFree(conn, "billingRun", id),
    release: async () => {
      try {
        await unlock();
      } finally {
        conn.release();
      }
    },
  };
}
