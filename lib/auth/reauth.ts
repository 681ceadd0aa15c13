/**
 * Re-authentication for sensitive changes (adding a contact address, moving Billing): the
 * person types their password again. Wrong passwords count towards the same lock as logins.
 */
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { verifyPassword } from "@/lib/passwords";
import { clearFailures, lockedUntil, recordFailure, throttleKeys } from "./throttle";

export async function confirmPassword(userId: string, password: string): Promise<"ok" | "wrong" | "locked"> {
  const [user] = await getDb().select({ email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user) return "wrong";
  const keys = throttleKeys(user.email, null);
  if (await lockedUntil(keys)) return "locked";
  if (!(await verifyPassword(user.passwordHash, password))) {
    await recordFailure(keys);
    return "wrong";
  }
  await clearFailures(user.email);
  return "ok";
}
