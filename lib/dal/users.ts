import "server-only";
import { getDb } from "@/db/client";
import { changeUserAccess, type AccessChange } from "@/lib/users/manage";
import { listUsers } from "@/lib/users/queries";
import type { Viewer } from "./session";

/** Every user of the viewer's own account (never another account's). */
export function getAccountUsers(viewer: Viewer) {
  return listUsers(getDb(), viewer.account.id);
}

/** Changes a user's access in the viewer's own account, with the viewer as the actor (audited). */
export function changeAccountUserAccess(viewer: Viewer, targetUserId: string, change: AccessChange) {
  return changeUserAccess(getDb(), viewer.account.id, viewer.userId, targetUserId, change);
}
