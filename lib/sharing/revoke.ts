/**
 * The share links and calendar feed a user made work only while that user has invoice access
 * Full: losing it revokes them (revoked, not left to expire), in the transaction that changes
 * the access.
 */
import type { Executor } from "@/db/client";
import type { InvoiceAccess } from "@/db/schema";
import { audit } from "@/lib/audit";
import { revokeCalendarFeedOf } from "./calendar-feed";
import { revokeShareLinksOf } from "./links";

export type AccessLoss = { accountId: string; actorUserId: string; userId: string; before: InvoiceAccess; after: InvoiceAccess };

/** Revokes the user's links and feed when the change takes Full away; otherwise does nothing. */
export async function revokeSharingOnAccessChange(tx: Executor, change: AccessLoss, now = new Date()): Promise<void> {
  if (change.before !== "full" || change.after === "full") return;
  const [shareLinks, calendarFeeds] = [
    await revokeShareLinksOf(tx, change.accountId, change.userId, now),
    await revokeCalendarFeedOf(tx, change.accountId, change.userId, now),
  ];
  if (shareLinks + calendarFeeds === 0) return;
  await audit(tx, {
    accountId: change.accountId,
    actorUserId: change.actorUserId,
    action: "sharing.revoked_on_access_loss",
    entityType: "user",
    entityId: change.userId,
    after: { shareLinks, calendarFeeds },
  });
}
