/**
 * Changing one's own password: the current one is confirmed first (a wrong one counts towards
 * the same lock as a failed login, lib/auth/reauth.ts), the new hash is written only while the
 * password that was confirmed is still the current one, and every other session of the user
 * ends in the same transaction (the one making the change stays signed in).
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { users } from "@/db/schema";
import { audit } from "@/lib/audit";
import { hashPassword } from "@/lib/passwords";
import { confirmPassword } from "./reauth";
import { endUserSessions } from "./sessions";
import { LOCK_MINUTES } from "./throttle";

export const MIN_PASSWORD_LENGTH = 12;

export type PasswordChange = { accountId: string; userId: string; keepSessionId: string; currentPassword: string; newPassword: string };
export type PasswordChangeResult =
  | { ok: true; sessionsEnded: number }
  | { ok: false; field: "password" | "newPassword" | null; message: string };

export async function changePassword(db: Database, c: PasswordChange): Promise<PasswordChangeResult> {
  const [before] = await db
    .select({ hash: users.passwordHash })
    .from(users)
    .where(and(eq(users.id, c.userId), eq(users.accountId, c.accountId)));
  if (!before) return { ok: false, field: null, message: "Your user was not found." };
  const confirmed = await confirmPassword(c.userId, c.currentPassword);
  if (confirmed === "locked") return { ok: false, field: "password", message: `Too many wrong passwords. Try again in ${LOCK_MINUTES} minutes.` };
  if (confirmed === "wrong") return { ok: false, field: "password", message: "That password is not right." };
  if (c.newPassword === c.currentPassword) return { ok: false, field: "newPassword", message: "Choose a new password, not the current one." };
  const newHash = await hashPassword(c.newPassword);
  return db.transaction(async (tx) => {
    // Only over the password that was confirmed: a change made meanwhile elsewhere wins.
    const changed = await tx
      .update(users)
      .set({ passwordHash: newHash, passwordChangedAt: sql`now()` })
      .where(and(eq(users.id, c.userId), eq(users.accountId, c.accountId), eq(users.passwordHash, before.hash)))
      .returning({ id: users.id });
    if (changed.length === 0) return { ok: false as const, field: "password" as const, message: "Your password was changed meanwhile. Enter the new one." };
    const sessionsEnded = await endUserSessions(tx, c.userId, c.keepSessionId);
    await audit(tx, {
      accountId: c.accountId,
      actorUserId: c.userId,
      action: "user.password_changed",
      entityType: "user",
      entityId: c.userId,
      after: { otherSessionsEnded: sessionsEnded },
    });
    return { ok: true as const, sessionsEnded };
  });
}
