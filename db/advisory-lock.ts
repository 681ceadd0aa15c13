/**
 * PostgreSQL session advisory locks, by name. Each name has its own key, so two purposes never
 * take each other's lock; a lock held for one of many things (a billing run) adds the thing's id
 * (PostgreSQL's two-key form).
 */
import type postgres from "postgres";

const ADVISORY_LOCK_KEYS = {
  /** Applying migrations: several servers starting at once must not race. */
  migrations: 4242001,
  /** A billing run, held while it lives, so a later run can tell a killed run from a running one. */
  billingRun: 4242101,
} as const;

export type AdvisoryLockName = keyof typeof ADVISORY_LOCK_KEYS;

/** Waits for the lock on `conn` and holds it until the returned release runs (or the connection ends). */
export async function advisoryLock(conn: postgres.ReservedSql, name: AdvisoryLockName, id?: string): Promise<() => Promise<void>> {
  const key = ADVISORY_LOCK_KEYS[name];
  if (id === undefined) {
    await conn`select pg_advisory_lock(${key}::bigint)`;
    return async () => {
      await conn`select pg_advisory_unlock(${key}::bigint)`;
    };
  }
  await conn`select pg_advisory_lock(${key}::int, hashtext(${id}))`;
  return async () => {
    await conn`select pg_advisory_unlock(${key}::int, hashtext(${id}))`;
  };
}

/** Whether nobody holds the lock now: it is taken and let go at once, never kept. */
export async function isAdvisoryLockFree(conn: postgres.ReservedSql, name: AdvisoryLockName, id: string): Promise<boolean> {
  const key = ADVISORY_LOCK_KEYS[name];
  const [row] = await conn`select pg_try_advisory_lock(${key}::int, hashtext(${id})) as got`;
  if (!row?.got) return false;
  await conn`select pg_advisory_unlock(${key}::int, hashtext(${id}))`;
  return true;
}
