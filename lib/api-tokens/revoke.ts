/**
 * A user's API tokens end when the user's invoice access becomes None, in the transaction that
 * changes it: left in place they would work again once access is restored, and meanwhile nobody
 * could list or revoke them (Settings shows tokens only to users with access).
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { apiTokens } from "@/db/schema";
import { audit } from "@/lib/audit";
import type { AccessLoss } from "@/lib/sharing/revoke";

/** Revokes the user's unrevoked tokens when the change takes all invoice access away; otherwise does nothing. */
export async function revokeApiTokensOnAccessChange(tx: Executor, change: AccessLoss): Promise<void> {
  if (change.before === "none" || change.after !== "none") return;
  const revoked = await tx
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.userId, change.userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  if (revoked.length === 0) return;
  await audit(tx, {
    accountId: change.accountId,
    actorUserId: change.actorUserId,
    action: "api_token.revoked_on_access_loss",
    entityType: "user",
    entityId: change.userId,
    after: { apiTokens: revoked.length },
  });
}
