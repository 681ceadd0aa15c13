import type { Executor } from "@/db/client";
import { keptPromises } from "@/lib/kept-promises";
import { listInvoices, PAGE_SIZE, type InvoicePage, type ListParams, type ListSummary } from "./list";

/** Pages of the invoice list a server process keeps (25 rows each, a few KB); the least recently used goes first. */
export const PAGE_CACHE_SIZE = 2_000;
const pages = keptPromises<InvoicePage>("invoicePages", PAGE_CACHE_SIZE);

/**
 * A page of the list, computed once per account, day, list parameters and the account's two
 * versions. Triggers raise the ledger version when an invoice or its balance changes (migrations
 * 0004 and 0018) and the under-way version when a payment comes or stops being under way (0018,
 * the row's "processing"); both are read for each request with its session, so a page is never
 * served after a change that committed before the request began. The summary the caller passes
 * is itself kept under the same ledger version and day. The page number is left out of the key:
 * it only labels the page.
 */
export function cachedInvoicePage(
  db: Executor,
  accountId: string,
  versions: { ledgerVersion: number; underWayVersion: number },
  params: ListParams,
  today: string,
  pageSize = PAGE_SIZE,
  summary?: ListSummary,
): Promise<InvoicePage> {
  const key = JSON.stringify([accountId, today, params.status, params.q, params.from, params.to, params.after, params.before, pageSize, Boolean(summary)]);
  return pages.get(key, [db, versions.ledgerVersion, versions.underWayVersion], () => listInvoices(db, accountId, params, today, pageSize, summary));
}
