/**
 * Login throttling kept in the database, so it holds across several server instances:
 * per email (5 attempts in 15 minutes lock it for 15 minutes, known or unknown alike, so the
 * lock tells nothing about which emails exist) and per client address (50).
 *
 * An attempt is counted BEFORE its password is checked, in one atomic upsert per key that
 * returns the new count: however many guesses arrive at once, on however many servers, at most
 * the limit of them reach the password check. Counting after the check let 24 parallel guesses
 * all be checked before any of them was recorded. A correct password clears the email's count
 * and gives back the address's one attempt, so the counts are failures plus checks in flight.
 *
 * The same table counts each API token's requests per minute and each shared bundle's ZIPs per
 * hour (countInWindow, below).
 */
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { loginThrottle } from "@/db/schema";

export const WINDOW_MINUTES = 15;
export const LOCK_MINUTES = 15;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_ADDRESS = 50;

export type ThrottleKey = { key: string; limit: number };

const emailKey = (email: string) => `email:${email.toLowerCase()}`;
const addressKey = (clientAddress: string) => `ip:${clientAddress}`;

export function throttleKeys(email: string, clientAddress: string | null): ThrottleKey[] {
  const keys = [{ key: emailKey(email), limit: MAX_FAILURES_PER_EMAIL }];
  if (clientAddress) keys.push({ key: addressKey(clientAddress), limit: MAX_FAILURES_PER_ADDRESS });
  return keys;
}

/**
 * Counts one attempt against the key and returns the new count. A window that has ended starts
 * over (unless a lock is still running); reaching the limit locks the key for LOCK_MINUTES.
 */
async function countAttempt({ key, limit }: ThrottleKey): Promise<number> {
  const t = loginThrottle;
  const lockRunning = sql`(${t.lockedUntil} is not null and ${t.lockedUntil} > now())`;
  const startsOver = sql`(not ${lockRunning} and ${t.windowStartedAt} < now() - make_interval(mins => ${WINDOW_MINUTES}))`;
  const [row] = await getDb()
    .insert(t)
    .values({ key, failures: 1, windowStartedAt: sql`now()` })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        failures: sql`case when ${startsOver} then 1 else ${t.failures} + 1 end`,
        windowStartedAt: sql`case when ${startsOver} then now() else ${t.windowStartedAt} end`,
        lockedUntil: sql`case when ${startsOver} then null
                              when not ${lockRunning} and ${t.failures} + 1 >= ${limit} then now() + make_interval(mins => ${LOCK_MINUTES})
                              else ${t.lockedUntil} end`,
      },
    })
    .returning({ count: t.failures });
  return row!.count;
}

/**
 * Runs `checkPassword` only if this attempt is within every key's limit. "locked": refused
 * without checking the password; "wrong": checked and wrong (it stays counted); "ok": the
 * email's count is cleared and the address's attempt given back.
 */
export async function throttledCheck(keys: ThrottleKey[], checkPassword: () => Promise<boolean>): Promise<"ok" | "wrong" | "locked"> {
  const counts = await Promise.all(keys.map(countAttempt));
  if (counts.some((count, i) => count > keys[i]!.limit)) return "locked";
  if (!(await checkPassword())) return "wrong";
  await Promise.all(keys.map(forgetAttempt));
  return "ok";
}

async function forgetAttempt({ key, limit }: ThrottleKey): Promise<void> {
  const db = getDb();
  const t = loginThrottle;
  if (key.startsWith("email:")) {
    await db.delete(t).where(eq(t.key, key));
    return;
  }
  // Others behind the same address keep their failures; the lock stays while they reach the limit.
  await db
    .update(t)
    .set({
      failures: sql`greatest(${t.failures} - 1, 0)`,
      lockedUntil: sql`case when ${t.failures} - 1 < ${limit} then null else ${t.lockedUntil} end`,
    })
    .where(eq(t.key, key));
}

/** Requests one API token may make per minute; more answer 429 with Retry-After. */
export const API_REQUESTS_PER_MINUTE = 120;
/** ZIPs one shared bundle's link may give per hour: each may render up to 500 PDFs. */
export const SHARED_ZIPS_PER_HOUR = 10;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one request under the key in its fixed window (the login throttle's table), in one
 * atomic upsert, so the limit holds across server instances.
 */
async function countInWindow(key: string, limit: number, windowSeconds: number): Promise<RateDecision> {
  const t = loginThrottle;
  const window = sql`make_interval(secs => ${windowSeconds})`;
  const startsOver = sql`(${t.windowStartedAt} <= now() - ${window})`;
  const [row] = await getDb()
    .insert(t)
    .values({ key, failures: 1, windowStartedAt: sql`now()` })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        failures: sql`case when ${startsOver} then 1 else ${t.failures} + 1 end`,
        windowStartedAt: sql`case when ${startsOver} then now() else ${t.windowStartedAt} end`,
      },
    })
    .returning({
      count: t.failures,
      retryAfterSeconds: sql<number>`greatest(1, ceil(extract(epoch from (${t.windowStartedAt} + ${window} - now()))))::int`,
    });
  if (row!.count <= limit) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Number(row!.retryAfterSeconds) };
}

/** One API request of the token, in a one-minute window (key `api:<token id>`). */
export function countApiRequest(tokenId: string, limit = API_REQUESTS_PER_MINUTE): Promise<RateDecision> {
  return countInWindow(`api:${tokenId}`, limit, 60);
}

/** One ZIP of a shared bundle, in a one-hour window per link (key `share-zip:<link id>`). */
export function countSharedZip(linkId: string): Promise<RateDecision> {
  return countInWindow(`share-zip:${linkId}`, SHARED_ZIPS_PER_HOUR, 3600);
}
