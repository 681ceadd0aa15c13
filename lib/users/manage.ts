/**
 * Changing a user's Invoice access and admin flag. Rules: only admins change them, nobody
 * changes their own, and the account always keeps an admin with invoice access Full. The data
 * access layer reads privileges on every request, so a change applies at the user's next request.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { users, type InvoiceAccess } from "@/db/schema";
import { audit } from "@/lib/audit";
import { revokeApiTokensOnAccessChange } from "@/lib/api-tokens/revoke";
import { revokeSharingOnAccessChange } from "@/lib/sharing/revoke";

export type AccessChange = { invoiceAccess: InvoiceAccess; isAdmin: boolean };

export const ADMINS_ONLY = "Only admins can change access.";

export async function changeUserAccess(
  db: Database,
  accountId: string,
  actorUserId: string,
  targetUserId: string,
  change: AccessChange,
): Promise<{ ok: true } | { ok: false; message: string }> {
  if (actorUserId === targetUserId) return { ok: false, message: "You cannot change your own access." };
  return db.transaction(async (tx) => {
    // Lock the account's users so two admins demoting each other at once cannot both succeed.
    const all = await tx
      .select({ id: users.id, email: users.email, isAdmin: users.isAdmin, invoiceAccess: users.invoiceAccess })
      .from(users)
      .where(eq(users.accountId, accountId))
      .orderBy(asc(users.id))
      .for("update");
    const target = all.find((u) => u.id === targetUserId);
    if (!target) return { ok: false as const, message: "This user is not in your account." };
    const actor = all.find((u) => u.id === actorUserId);
    if (!actor?.isAdmin) return { ok: false as const, message: ADMINS_ONLY };
    const after = all.map((u) => (u.id === targetUserId ? { ...u, ...change } : u));
    if (!after.some((u) => u.isAdmin && u.invoiceAccess === "full")) {
      return { ok: false as const, message: "The last admin with invoice access Full cannot be demoted." };
    }
    await tx
      .update(users)
      .set({ invoiceAccess: change.invoiceAccess, isAdmin: change.isAdmin })
      .where(and(eq(users.id, targetUserId), eq(users.accountId, accountId)));
    const loss = { accountId, actorUserId, userId: targetUserId, before: target.invoiceAccess, after: change.invoiceAccess };
    await revokeSharingOnAccessChange(tx, loss);
    await revokeApiTokensOnAccessChange(tx, loss);
    await audit(tx, {
      accountId,
      actorUserId,
      action: "user.access_changed",
      entityType: "user",
      entityId: targetUserId,
      before: { email: target.email, isAdmin: target.isAdmin, invoiceAccess: target.invoiceAccess },
      after: { email: target.email, ...change },
    });
    return { ok: true as const };
  });
}
