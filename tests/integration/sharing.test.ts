/**
 * Share links and the calendar feed: tokens stored hashed, dead links (revoked, expired,
 * tampered, unknown) all read as nothing, losing Full revokes what the user made, and the feed
 * parsed back holds each outstanding invoice on its due date in the account's own calendar.
 */
import { eq, sql } from "drizzle-orm";
import ICAL from "ical.js";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { accounts, auditEvents, calendarFeeds, loginThrottle, shareLinks, users } from "@/db/schema";
import { SHARED_ZIPS_PER_HOUR } from "@/lib/auth/throttle";
import { accountToday } from "@/lib/dates";
import { findCalendarFeed, rotateCalendarFeed } from "@/lib/sharing/calendar-feed";
import { accountCalendar } from "@/lib/sharing/ics";
import { createShareLink, findSharedLink, listActiveShareLinks, revokeShareLink } from "@/lib/sharing/links";
import { changeUserAccess } from "@/lib/users/manage";
import { setupTestDatabase } from "../setup/db";
import { freshDemo, invoiceFacts } from "./helpers";

vi.mock("next/headers", () => ({ headers: async () => new Headers() }));

const { db } = await setupTestDatabase();
const bundleZipRoute = await import("@/app/share/[token]/download/route");
const TODAY = "2026-11-25";
let demo: Awaited<ReturnType<typeof freshDemo>>;
const ids: Record<string, string> = {};

beforeEach(async () => {
  demo = await freshDemo(db, TODAY);
  for (const u of await db.select({ id: users.id, email: users.email }).from(users)) ids[u.email] = u.id;
});

const share = (numbers: number[], userId = demo.userId, now?: Date) =>
  createShareLink(db, { accountId: demo.accountId, userId, numbers, expiryDays: 7, today: TODAY, now });

describe("share links", () => {
  it("keeps only the token's hash, and every dead token reads as nothing", async () => {
    const [first, second] = demo.owed;
    const created = (await share([first!.number]))!;
    const [row] = await db.select().from(shareLinks);
    expect(JSON.stringify(row)).not.toContain(created.token.slice(10));
    expect((await findSharedLink(db, created.token))?.invoiceNumbers).toEqual([first!.number]);

    const tampered = created.token.slice(0, -1) + (created.token.endsWith("A") ? "B" : "A");
    expect(await findSharedLink(db, tampered)).toBeNull();
    expect(await findSharedLink(db, "cus_share_unknown")).toBeNull();
    // Expired: the same link, asked eight days on.
    expect(await findSharedLink(db, created.token, new Date(Date.now() + 8 * 86_400_000))).toBeNull();

    const bundle = (await share([first!.number, second!.number]))!;
    const [active] = await listActiveShareLinks(db, demo.accountId);
    expect(active).toMatchObject({ isBundle: true });
    expect(await revokeShareLink(db, demo.otherAccountId, demo.userId, active!.id)).toBe(false);
    expect(await revokeShareLink(db, demo.accountId, demo.userId, active!.id)).toBe(true);
    expect(await findSharedLink(db, bundle.token)).toBeNull();
    expect(await revokeShareLink(db, demo.accountId, demo.userId, active!.id)).toBe(false);
  });

  it("refuses another account's invoice and writes nothing", async () => {
    const foreign = (await invoiceFacts(db)).find((f) => f.account === "Other Tenant Oy")!;
    expect(await share([demo.owed[0]!.number, foreign.number])).toBeNull();
    expect(await db.select().from(shareLinks)).toHaveLength(0);
  });

  it("losing Full revokes the links and feed the user made (revoked, not expired); other changes keep them", async () => {
    const maker = ids["reader@example.com"]!;
    await changeUserAccess(db, demo.accountId, demo.userId, maker, { invoiceAccess: "full", isAdmin: false });
    const link = (await share([demo.owed[0]!.number], maker))!;
    const mine = (await share([demo.owed[0]!.number]))!;
    const feed = await rotateCalendarFeed(db, demo.accountId, maker);
    // Full to Full (the admin flag only): nothing revoked.
    await changeUserAccess(db, demo.accountId, demo.userId, maker, { invoiceAccess: "full", isAdmin: true });
    expect(await findSharedLink(db, link.token)).not.toBeNull();

    await changeUserAccess(db, demo.accountId, demo.userId, maker, { invoiceAccess: "read", isAdmin: false });
    expect(await findSharedLink(db, link.token)).toBeNull();
    expect(await findCalendarFeed(db, feed.token)).toBeNull();
    expect(await findSharedLink(db, mine.token)).not.toBeNull();
    const made = await db.select().from(shareLinks).where(eq(shareLinks.createdByUserId, maker));
    expect(made.every((l) => l.revokedAt !== null)).toBe(true);
    const [feedRow] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.createdByUserId, maker));
    expect(feedRow!.revokedAt).not.toBeNull();
    const [audit] = await db.select().from(auditEvents).where(eq(auditEvents.action, "sharing.revoked_on_access_loss"));
    expect(audit!.after).toEqual({ shareLinks: 1, calendarFeeds: 1 });
  });
});

describe("calendar feed", () => {
  it("Rotate ends the old address", async () => {
    const first = await rotateCalendarFeed(db, demo.accountId, demo.userId);
    const second = await rotateCalendarFeed(db, demo.accountId, demo.userId);
    expect(await findCalendarFeed(db, first.token)).toBeNull();
    expect(await findCalendarFeed(db, second.token)).toMatchObject({ accountId: demo.accountId });
  });

  it("parsed back: one all-day event per outstanding invoice on its due date, in the account's time zone", async () => {
    // Far east of UTC: a due date written as a UTC instant would land on the day before.
    await db.update(accounts).set({ timeZone: "Pacific/Auckland" }).where(eq(accounts.id, demo.accountId));
    const today = accountToday("Pacific/Auckland");
    const ics = await accountCalendar(db, demo.accountId, today, "en");
    const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));

    const facts = (await invoiceFacts(db)).filter((f) => f.account === "Example Cloud Customer AB" && f.type === "invoice");
    const owed = facts.filter((f) => f.outstandingMinor > 0n);
    expect(owed.length).toBeGreaterThan(0);
    expect(events).toHaveLength(owed.length);
    for (const f of owed) {
      const event = events.find((e) => e.summary.startsWith(`Invoice ${f.number} `))!;
      expect(event.startDate.isDate).toBe(true);
      expect(event.startDate.toString()).toBe(f.dueDate);
      expect(event.description).toContain(`/invoices/${f.number}`);
    }
    // Paid invoices are not in it.
    const paid = facts.find((f) => f.outstandingMinor === 0n)!;
    expect(events.some((e) => e.summary.includes(`Invoice ${paid.number} `))).toBe(false);
  });
});

describe("shared bundle ZIP", () => {
  it("gives a link at most SHARED_ZIPS_PER_HOUR ZIPs an hour, then 429 with Retry-After; links count apart", async () => {
    const numbers = [demo.owed[0]!.number, demo.owed[1]!.number];
    const [bundle, other] = [(await share(numbers))!, (await share(numbers))!];
    const zip = (token: string) => bundleZipRoute.GET(new Request(`http://localhost/share/${token}/download`), { params: Promise.resolve({ token }) });
    const first = await zip(bundle.token);
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const key = `share-zip:${(await findSharedLink(db, bundle.token))!.id}`;
    await db.update(loginThrottle).set({ failures: SHARED_ZIPS_PER_HOUR }).where(eq(loginThrottle.key, key));

    const limited = await zip(bundle.token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toMatch(/^text\/plain/);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 3600).toBe(true);
    const elsewhere = await zip(other.token);
    expect(elsewhere.status).toBe(200);
    await elsewhere.arrayBuffer();
    // An hour on, the window starts over.
    await db.update(loginThrottle).set({ windowStartedAt: sql`now() - interval '3601 seconds'` }).where(eq(loginThrottle.key, key));
    const later = await zip(bundle.token);
    expect(later.status).toBe(200);
    await later.arrayBuffer();
  });
});
