/**
 * What the holder of a share link or a calendar feed address may read, with no session: the
 * route has only the token. Every read is scoped to the link's account and its invoices; a
 * dead, tampered or unknown token reads as nothing at all.
 */
import "server-only";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { clientAddressFrom } from "@/lib/auth/client-address";
import { countSharedZip, type RateDecision } from "@/lib/auth/throttle";
import { accountToday } from "@/lib/dates";
import { env } from "@/lib/env";
import { getInvoiceDetail } from "@/lib/invoices/detail";
import { invoicesByNumbers } from "@/lib/invoices/list";
import { findCalendarFeed } from "@/lib/sharing/calendar-feed";
import { accountCalendar } from "@/lib/sharing/ics";
import { findSharedLink, recordShareUse, type SharedFetch, type SharedLink } from "@/lib/sharing/links";
import { accountInvoicePdf } from "./invoices";

export type { SharedLink };

/** The live link behind this token, or null. */
export function getSharedLink(token: string): Promise<SharedLink | null> {
  return findSharedLink(getDb(), token);
}

/** Writes the audit row of one use, with the client address as the login limit determines it. */
export async function recordSharedFetch(link: SharedLink, fetched: SharedFetch): Promise<void> {
  const address = clientAddressFrom((await headers()).get("x-forwarded-for"), env().TRUSTED_PROXY_HOPS);
  await recordShareUse(getDb(), link, address, fetched);
}

/** Counts one ZIP of the bundle against the link's hourly limit: each may render hundreds of PDFs. */
export function countSharedZipDownload(link: SharedLink): Promise<RateDecision> {
  return countSharedZip(link.id);
}

const linkAccount = (link: SharedLink) => ({ id: link.accountId, ...link.account });

/** The shared invoice's facts, or null when the number is not one of the link's. */
export function getSharedInvoice(link: SharedLink, number: number) {
  if (!link.invoiceNumbers.includes(number)) return Promise.resolve(null);
  return getInvoiceDetail(getDb(), link.accountId, number, accountToday(link.account.timeZone));
}

/** The rows of a bundle, in list order. */
export async function getSharedInvoiceRows(link: SharedLink) {
  return (await invoicesByNumbers(getDb(), link.accountId, link.invoiceNumbers, accountToday(link.account.timeZone))) ?? [];
}

/** A PDF of one of the link's invoices, or null. */
export function getSharedInvoicePdf(link: SharedLink, number: number) {
  if (!link.invoiceNumbers.includes(number)) return Promise.resolve(null);
  return accountInvoicePdf(linkAccount(link), number);
}

/** The feed behind a token: the account's calendar, or null for a dead or unknown token. */
export async function getCalendarFeedFile(token: string): Promise<string | null> {
  const feed = await findCalendarFeed(getDb(), token);
  if (!feed) return null;
  return accountCalendar(getDb(), feed.accountId, accountToday(feed.timeZone), feed.language);
}
