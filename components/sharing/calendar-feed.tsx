"use client";

import { useActionState } from "react";
import { CopyButton } from "@/components/invoices/copy-button";
import { rotateCalendarFeed, type FeedState } from "@/lib/actions/sharing";

/**
 * The calendar feed's secret address. It is shown once, right after Rotate (only its hash is
 * kept); Rotate again for a new one, which ends the old address.
 */
export function CalendarFeed({ live }: { live: { createdAt: string; createdBy: string } | null }) {
  const [state, action, pending] = useActionState<FeedState, FormData>(rotateCalendarFeed, {});
  return (
    <section aria-labelledby="feed-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="feed-heading" className="mb-1 text-lg font-semibold">Calendar feed</h2>
      <p className="mb-3 text-sm text-slate-700">
        A secret address your calendar app subscribes to (in Google Calendar: Other calendars → From URL; in Outlook: Add calendar →
        Subscribe from web; in Apple Calendar: File → New Calendar Subscription). It holds one all-day event per outstanding invoice on
        its due date, with the amount and a link; paid and credited invoices leave it.
      </p>
      {state.ok && state.url ? (
        <div className="mb-3 space-y-2 text-sm">
          <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-green-900">{state.message}</p>
          <label htmlFor="feed-url" className="block font-medium text-slate-700">Feed address</label>
          <input id="feed-url" readOnly value={state.url} onFocus={(e) => e.currentTarget.select()} className="block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-1.5 font-mono text-xs" />
          <CopyButton value={state.url} what="feed address" />
        </div>
      ) : (
        <p className="mb-3 text-sm">
          {live ? `The current address was made by ${live.createdBy} on ${live.createdAt}. It is shown only when made: rotate for a new one if you need it again.` : "The account has no feed address yet."}
        </p>
      )}
      {state.ok === false && state.message && <p role="alert" className="mb-2 text-sm text-red-700">{state.message}</p>}
      <form action={action}>
        <input type="hidden" name="confirm" value="rotate" />
        <button type="submit" disabled={pending} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2 disabled:opacity-60">
          {pending ? "Working…" : live || state.url ? "Rotate" : "Create feed address"}
        </button>
      </form>
    </section>
  );
}
