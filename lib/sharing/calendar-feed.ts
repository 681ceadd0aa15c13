/**
 * The account's calendar feed: one live secret address at a time. Rotate revokes the live one
 * and makes another; like a share link, the token is shown once and only its hash is kept, and
 * the feed stops answering when the user who made it loses invoice access Full.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { accounts, calendarFeeds, users } from "@/db/schema";
import { audit } from "@/lib/audit";
import { hashSecretToken, newSecretToken } from "@/lib/auth/secret-token";

const TOKEN_PREFIX = "cus_cal";

/** The feed's path (the caller puts the configured panel address in front). */
export const calendarFeedPath = (token: string) => `/calendar/${token}.ics`;

/** The token in a feed file name (`TOKEN.ics`), or null. */
export function feedTokenOf(fileName: string): string | null {
  const match = /^(cus_cal_[A-Za-z0-9_-]{43})\.ics$/.exec(fileName);
  return match ? match[1]! : null;
}

export type CalendarFeedInfo = { createdAt: Date; createdBy: string };

/** The account's live feed (who made it, when), or null when it has none. */
export async function liveCalendarFeed(db: Executor, accountId: string): Promise<CalendarFeedInfo | null> {
  const [row] = await db
    .select({ createdAt: calendarFeeds.createdAt, createdBy: users.name })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.createdByUserId))
    .where(and(eq(calendarFeeds.accountId, accountId), isNull(calendarFeeds.revokedAt)))
    .limit(1);
  return row ?? null;
}

/** Replaces the account's live feed (if any) with a new one; the token is returned once. */
export async function rotateCalendarFeed(db: Database, accountId: string, userId: string, now = new Date()): Promise<{ token: string }> {
  const { token, hash } = newSecretToken(TOKEN_PREFIX);
  await db.transaction(async (tx) => {
    // The account row is the lock: two Rotates at once end with one live feed, not a unique-index error.
    await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId)).for("update");
    const revoked = await tx
      .update(calendarFeeds)
      .set({ revokedAt: now })
      .where(and(eq(calendarFeeds.accountId, accountId), isNull(calendarFeeds.revokedAt)))
      .returning({ id: calendarFeeds.id });
    const [row] = await tx.insert(calendarFeeds).values({ accountId, createdByUserId: userId, tokenHash: hash }).returning({ id: calendarFeeds.id });
    await audit(tx, {
      accountId,
      actorUserId: userId,
      action: "calendar_feed.rotated",
      entityType: "calendar_feed",
      entityId: row!.id,
      before: revoked[0] ? { feedId: revoked[0].id } : null,
    });
  });
  return { token };
}

export type FeedAccount = { accountId: string; language: "en" | "sv"; timeZone: string };

/** The account behind a live feed token whose maker still has Full; null for anything else. */
export async function findCalendarFeed(db: Executor, token: string): Promise<FeedAccount | null> {
  const [row] = await db
    .select({ accountId: calendarFeeds.accountId, language: accounts.language, timeZone: accounts.timeZone })
    .from(calendarFeeds)
    .innerJoin(users, and(eq(users.id, calendarFeeds.createdByUserId), eq(users.invoiceAccess, "full")))
    .innerJoin(accounts, eq(accounts.id, calendarFeeds.accountId))
    .where(and(eq(calendarFeeds.tokenHash, hashSecretToken(token)), isNull(calendarFeeds.revokedAt)))
    .limit(1);
  return row ?? null;
}

/** Revokes the feed the user made, if it is live: called when the user loses invoice access Full. */
export async function revokeCalendarFeedOf(tx: Executor, accountId: string, userId: string, now: Date): Promise<number> {
  const revoked = await tx
    .update(calendarFeeds)
    .set({ revokedAt: now })
    .where(and(eq(calendarFeeds.accountId, accountId), eq(calendarFeeds.createdByUserId, userId), isNull(calendarFeeds.revokedAt)))
    .returning({ id: calendarFeeds.id });
  return revoked.length;
}
