/**
 * Server-side sessions (`user_sessions`): a row per sign-in, named by the session cookie's `sid`
 * claim. The data-access layer accepts a cookie only while its row is neither revoked nor past
 * `expires_at`, so logging out ends a session on every server at once, and no refresh of the
 * cookie can stretch it past 8 hours from sign-in.
 */
import { and, eq, gt, isNull, lt, ne, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { users, userSessions } from "@/db/schema";
import { audit } from "@/lib/audit";
import { SESSION_MAX_AGE_SECONDS } from "./config";

/** Records a sign-in; the session lasts until `expiresAt` (by the database's clock). */
export async function startSession(db: Executor, userId: string): Promise<{ id: string; expiresAt: Date }> {
  // Rows of sessions that ended a day ago serve nothing: the user's sign-in clears them.
  await db.delete(userSessions).where(and(eq(userSessions.userId, userId), lt(userSessions.expiresAt, sql`now() - interval '1 day'`)));
  const [row] = await db
    .insert(userSessions)
    .values({ userId, expiresAt: sql`now() + make_interval(secs => ${SESSION_MAX_AGE_SECONDS})` })
    .returning({ id: userSessions.id, expiresAt: userSessions.expiresAt });
  return row!;
}

const live = (userId: string) => and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt));

/** Ends one session of the user (log out); false when it had already ended or is not theirs. */
export async function endSession(db: Executor, userId: string, sessionId: string): Promise<boolean> {
  const ended = await db
    .update(userSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(live(userId), eq(userSessions.id, sessionId)))
    .returning({ id: userSessions.id });
  return ended.length === 1;
}

/** Ends every session of the user, or every one but `keepSessionId`; returns how many ended. */
export async function endUserSessions(db: Executor, userId: string, keepSessionId?: string): Promise<number> {
  const ended = await db
    .update(userSessions)
    .set({ revokedAt: sql`now()` })
    .where(keepSessionId ? and(live(userId), ne(userSessions.id, keepSessionId)) : live(userId))
    .returning({ id: userSessions.id });
  return ended.length;
}

/** Whether a session is still on: its row neither revoked nor expired, the user's version unchanged. */
export async function sessionIsLive(db: Executor, userId: string, sessionId: string, sessionVersion: number): Promise<boolean> {
  const [row] = await db
    .select({ id: userSessions.id })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(and(live(userId), eq(userSessions.id, sessionId), gt(userSessions.expiresAt, sql`now()`), eq(users.sessionVersion, sessionVersion)))
    .limit(1);
  return Boolean(row);
}

/** "Log out everywhere": every session of the user ends, this one included; audited. */
export async function logOutEverywhere(db: Database, accountId: string, userId: string): Promise<number> {
  return db.transaction(async (tx) => {
    const ended = await endUserSessions(tx, userId);
    await audit(tx, { accountId, actorUserId: userId, action: "user.sessions_ended", entityType: "user", entityId: userId, after: { sessionsEnded: ended } });
    return ended;
  });
}
