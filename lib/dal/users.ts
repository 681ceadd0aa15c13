import "server-only";
import { getDb } from "@/db/client";
import { listUsers } from "@/lib/users/queries";
import type { Viewer } from "./session";

/** Every user of the viewer's own account (never another account's). */
export function getAccountUsers(viewer: Viewer) {
  return listUsers(getDb(), viewer.account.id);
}
