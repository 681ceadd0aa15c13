/**
 * GET /calendar/TOKEN.ics: the account's iCalendar feed, for calendar apps that subscribe to it
 * (no session: the secret address is the key). A rotated, revoked or unknown address is 404.
 */
import { getCalendarFeedFile } from "@/lib/dal/shared";
import { notFoundResponse } from "@/lib/http";
import { feedTokenOf } from "@/lib/sharing/calendar-feed";

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  const token = feedTokenOf((await params).file);
  const file = token === null ? null : await getCalendarFeedFile(token);
  if (file === null) return notFoundResponse();
  return new Response(file, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": 'inline; filename="cumulus-invoices.ics"',
      "cache-control": "no-store",
    },
  });
}
