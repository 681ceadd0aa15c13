/**
 * Share links and the calendar feed (linked from Account settings → Settings): the account's
 * active links with Revoke, and the feed's secret address with Rotate. Invoice access Full only;
 * anyone else gets the 404 of a page that does not exist.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Breadcrumb } from "@/components/shell/breadcrumb";
import { CalendarFeed } from "@/components/sharing/calendar-feed";
import { RevokeLinkButton } from "@/components/sharing/revoke-link";
import { requireViewer } from "@/lib/dal/session";
import { canShareInvoices, getActiveShareLinks, getCalendarFeed } from "@/lib/dal/sharing";
import { formatDateTime } from "@/lib/dates";

export const metadata: Metadata = { title: "Share links and calendar" };

export default async function SharingPage() {
  const viewer = await requireViewer();
  if (!canShareInvoices(viewer)) notFound();
  const [links, feed] = await Promise.all([getActiveShareLinks(viewer), getCalendarFeed(viewer)]);
  const { timeZone, language } = viewer.account;
  const when = (d: Date) => formatDateTime(d, timeZone, language);
  const cell = "px-3 py-2";
  return (
    <article className="max-w-4xl">
      <Breadcrumb items={[{ label: "Share links and calendar" }]} />
      <h1 className="mb-2 text-2xl font-semibold">Share links and calendar</h1>
      <p className="mb-6 text-sm text-slate-700">
        <strong>Log out everywhere</strong> does not end share links or the calendar feed: revoke a link or rotate the feed here. They
        also stop working when the user who made them loses invoice access Full.
      </p>

      <section aria-labelledby="links-heading" className="@container mb-6 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="links-heading" className="mb-1 text-lg font-semibold">Active share links</h2>
        <p className="mb-3 text-sm text-slate-700">Create one with <strong>Share</strong> on an invoice, or <strong>Share selected</strong> on the invoice list.</p>
        {links.length === 0 ? (
          <p className="text-sm text-slate-700">No active share links.</p>
        ) : (
          <table className="stack-table min-w-full text-sm">
            <caption className="sr-only">Share links that still open</caption>
            <thead className="text-left">
              <tr>
                <th scope="col" className={cell}>Invoices</th>
                <th scope="col" className={cell}>Created by</th>
                <th scope="col" className={cell}>Created</th>
                <th scope="col" className={cell}>Expires</th>
                <th scope="col" className={cell}><span className="sr-only">Revoke</span></th>
              </tr>
            </thead>
            <tbody>
              {links.map((l) => {
                const invoices = l.isBundle ? `${l.invoiceNumbers.length} invoices: ${l.invoiceNumbers.join(", ")}` : `Invoice ${l.invoiceNumbers[0]}`;
                return (
                  <tr key={l.id} className="border-t border-slate-100">
                    <td data-label="Invoices" className={`${cell} break-words`}>{invoices}</td>
                    <td data-label="Created by" className={cell}>{l.createdBy}</td>
                    <td data-label="Created" className={cell}>{when(l.createdAt)}</td>
                    <td data-label="Expires" className={cell}>{when(l.expiresAt)}</td>
                    <td className={cell}><RevokeLinkButton id={l.id} what={l.isBundle ? `the link to ${l.invoiceNumbers.length} invoices` : `the link to invoice ${l.invoiceNumbers[0]}`} /></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <CalendarFeed live={feed && { createdAt: when(feed.createdAt), createdBy: feed.createdBy }} />
    </article>
  );
}
