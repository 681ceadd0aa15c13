/**
 * Login throttling kept in the database, so it holds across several server instances:
 * per email (5 failures in 15 minutes lock it for 15 minutes, known or unknown alike, so the
 * lock tells nothing about which emails exist) and per client address (50 failures).
 */
import { eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { loginThrottle } from "@/db/schema";

export const WINDOW_MINUTES = 15;
export const LOCK_MINUTES = 15;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_ADDRESS = 50;

export function throttleKeys(email: string, clientAddress: string | null) {
  const keys = [{ key: `email:${email.toLowerCase()}`, limit: MAX_FAILURES_PER_EMAIL }];
  if (clientAddress) keys.push({ key: `ip:${clientAddress}`, limit: MAX_FAILURES_PER_ADDRESS });
  return keys;
}

/** The time until which sign-in is locked for any of the keys, or null. */
export async function lockedUntil(keys: { key: string }[]): Promise<Date | null> {
  const rows = await getDb()
    .select({ lockedUntil: loginThrottle.lockedUntil })
    .from(loginThrottle)
    .where(inArray(loginThrottle.key, keys.map((k) => k.key)));
  const now = Date.now();
  const until = rows
    .map((r) => r.lockedUntil)
    .filter((d): d is Date => d !== null && d.getTime() > now)
    .sort((a, b) => b.getTime() - a.getTime());
  return until[0] ?? null;
}

export async function recordFailure(keys: { key: string; limit: number }[]): Promise<void> {
  const db = getDb();
  for (const { key, limit } of keys) {
    // One atomic upsert: concurrent failures on several servers all count.
    await db
      .insert(loginThrottle)
      .values({ key, failures: 1, windowStartedAt: sql`now()` })
      .onConflictDoUpdate({
        target: loginThrottle.key,
        set: {
          failures: sql`case when ${loginThrottle.windowStartedAt} < now() - make_interval(mins => ${WINDOW_MINUTES})
                             then 1 else ${loginThrottle.failures} + 1 end`,
          windowStartedAt: sql`case when ${loginThrottle.windowStartedAt} < now() - make_interval(mins => ${WINDOW_MINUTES})
                                    then now() else ${loginThrottle.windowStartedAt} end`,
          lockedUntil: sql`case when ${loginThrottle.windowStartedAt} >= now() - make_interval(mins => ${WINDOW_MINUTES})
                                     and ${loginThrottle.failures} + 1 >= ${limit}
                                then now() + make_interval(mins => ${LOCK_MINUTES}) else ${loginThrottle.lockedUntil} end`,
        },
      });
  }
}

export async function clearFailures(email: string): Promise<void> {
  await getDb().delete(loginThrottle).where(eq(loginThrottle.key, `email:${email.toLowerCase()}`));
}
