/** The account's time zone for the current viewer: seen with invoice access Read or Full, changed only with Full. */
import "server-only";
import { getDb } from "@/db/client";
import { updateTimeZone, type TimeZoneChange } from "@/lib/account/time-zone";
import { canManageBilling, FULL_ACCESS_REQUIRED, type Viewer } from "./session";

export async function saveViewerTimeZone(viewer: Viewer, timeZone: string): Promise<TimeZoneChange> {
  if (!canManageBilling(viewer)) return { ok: false, message: FULL_ACCESS_REQUIRED };
  return updateTimeZone(getDb(), viewer.account.id, viewer.userId, timeZone);
}
