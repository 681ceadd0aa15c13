/**
 * Share links and the calendar feed, for the viewer: invoice access Full creates, lists and
 * revokes them; the account id is always the viewer's. Links carry the configured panel
 * address, never the request's Host.
 */
import "server-only";
import { getDb } from "@/db/client";
import { appOrigin } from "@/lib/env";
import { calendarFeedPath, liveCalendarFeed, rotateCalendarFeed } from "@/lib/sharing/calendar-feed";
import { createShareLink, listActiveShareLinks, revokeShareLink, sharePath, type ShareExpiryDays } from "@/lib/sharing/links";
import { viewerToday } from "./invoices";
import { canManageBilling, type Viewer } from "./session";

/** Invoice access Full: the same privilege that pays and changes billing. */
export const canShareInvoices = canManageBilling;

/** A new link to these of the viewer's invoices (shown once), or null when any is not theirs. */
export async function shareViewerInvoices(viewer: Viewer, numbers: number[], expiryDays: ShareExpiryDays) {
  if (!canShareInvoices(viewer)) return null;
  const created = await createShareLink(getDb(), { accountId: viewer.account.id, userId: viewer.userId, numbers, expiryDays, today: viewerToday(viewer) });
  return created && { url: `${appOrigin()}${sharePath(created.token)}`, expiresAt: created.expiresAt };
}

export async function getActiveShareLinks(viewer: Viewer) {
  if (!canShareInvoices(viewer)) return [];
  return listActiveShareLinks(getDb(), viewer.account.id);
}

export function revokeViewerShareLink(viewer: Viewer, linkId: string): Promise<boolean> {
  if (!canShareInvoices(viewer)) return Promise.resolve(false);
  return revokeShareLink(getDb(), viewer.account.id, viewer.userId, linkId);
}

export async function getCalendarFeed(viewer: Viewer) {
  if (!canShareInvoices(viewer)) return null;
  return liveCalendarFeed(getDb(), viewer.account.id);
}

/** A new feed address for the viewer's account (shown once); the old one stops answering. */
export async function rotateViewerCalendarFeed(viewer: Viewer): Promise<string | null> {
  if (!canShareInvoices(viewer)) return null;
  const { token } = await rotateCalendarFeed(getDb(), viewer.account.id, viewer.userId);
  return `${appOrigin()}${calendarFeedPath(token)}`;
}
