import "server-only";
import { getDb } from "@/db/client";
import { ADMINS_ONLY, changeUserAccess, type AccessChange } from "@/lib/users/manage";
import { listUsers } from "@/lib/users/queries";
import type { Viewer } from "./session";

/** Every user of the viewer's own account (never another account's). */
export function getAccountUsers(viewer: Viewer) {
  return listUsers(getDb(), viewer.account.id);
}

/** Changes a user's access in the viewer's own account, with the viewer as the actor (audited); admins only. */
export async function changeAccountUserAccess(viewer: Viewer, targetUserId: string, change: AccessChange) {
  if (!viewer.isAdmin) return { ok: false as const, message: ADMINS_ONLY };
  return changeUserAccess(getDb(), viewer.account.id, viewer.userId, targetUserId, change);
}
