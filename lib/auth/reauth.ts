/**
 * Re-authentication for sensitive changes (adding a contact address, moving Billing): the
 * person types their password again. Each try counts towards the same per-email lock as logins,
 * before the password is checked (lib/auth/throttle.ts).
 */
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { verifyPassword } from "@/lib/passwords";
import { LOCK_MINUTES, throttledCheck, throttleKeys } from "./throttle";

export async function confirmPassword(userId: string, password: string): Promise<"ok" | "wrong" | "locked"> {
  const [user] = await getDb().select({ email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user) return "wrong";
  return throttledCheck(throttleKeys(user.email, null), () => verifyPassword(user.passwordHash, password));
}

/** What the person is told when the password did not confirm them; null when it did. */
export function reauthRefusal(result: Awaited<ReturnType<typeof confirmPassword>>): string | null {
  if (result === "ok") return null;
  return result === "locked" ? `Too many wrong passwords. Try again in ${LOCK_MINUTES} minutes.` : "That password is not right.";
}
