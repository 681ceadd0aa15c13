/**
 * The account's time zone in Settings: changed only with invoice access Full, only to a zone the
 * runtime knows, with an audit row (before and after) in the same transaction; a refusal or an
 * unknown zone changes nothing. Through lib/dal, as the Settings form calls it.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { accounts, auditEvents } from "@/db/schema";
import type { Viewer } from "@/lib/dal/session";
import { setupTestDatabase } from "../setup/db";
import { freshDemo } from "./helpers";

const { db } = await setupTestDatabase();
const { saveViewerTimeZone } = await import("@/lib/dal/time-zone");
const { getAccountSettingsView } = await import("@/lib/dal/account");

let accountId = "";
let otherAccountId = "";
let userId = "";

beforeEach(async () => {
  ({ accountId, otherAccountId, userId } = await freshDemo(db, "2026-11-25"));
});

const viewerOf = (invoiceAccess: "none" | "read" | "full", account = accountId) =>
  ({ userId, email: "demo@example.com", account: { id: account, timeZone: "Europe/Stockholm" }, invoiceAccess }) as unknown as Viewer;
const zoneOf = async (id: string) => (await db.select({ timeZone: accounts.timeZone }).from(accounts).where(eq(accounts.id, id)))[0]!.timeZone;
const zoneAudits = () => db.select().from(auditEvents).where(eq(auditEvents.action, "account.time_zone_changed"));

describe("the account's time zone", () => {
  it("invoice access Full changes it, with an audit row saying before and after", async () => {
    expect(await zoneOf(accountId)).toBe("Europe/Stockholm");
    expect(await saveViewerTimeZone(viewerOf("full"), "America/New_York")).toEqual({ ok: true, changed: true });
    expect(await zoneOf(accountId)).toBe("America/New_York");
    expect(await zoneOf(otherAccountId)).toBe("Europe/Helsinki");
    expect(await zoneAudits()).toEqual([
      expect.objectContaining({ accountId, actorUserId: userId, entityType: "account", before: { timeZone: "Europe/Stockholm" }, after: { timeZone: "America/New_York" } }),
    ]);
  });

  it("the same zone again writes nothing", async () => {
    expect(await saveViewerTimeZone(viewerOf("full"), "Europe/Stockholm")).toEqual({ ok: true, changed: false });
    expect(await zoneAudits()).toEqual([]);
  });

  it("an unknown zone changes nothing", async () => {
    for (const bad of ["Mars/Olympus_Mons", "europe/stockholm", "", "GMT+1"]) {
      expect(await saveViewerTimeZone(viewerOf("full"), bad)).toMatchObject({ ok: false, message: expect.stringContaining("Choose a time zone") });
    }
    expect(await zoneOf(accountId)).toBe("Europe/Stockholm");
    expect(await zoneAudits()).toEqual([]);
  });

  it("invoice access Read and None cannot change it; Read sees it, None sees no settings", async () => {
    for (const access of ["read", "none"] as const) {
      expect(await saveViewerTimeZone(viewerOf(access), "UTC")).toMatchObject({ ok: false });
    }
    expect(await zoneOf(accountId)).toBe("Europe/Stockholm");
    expect(await zoneAudits()).toEqual([]);
    const read = await getAccountSettingsView(viewerOf("read"));
    expect(read.billing).toMatchObject({ canManage: false, settings: { timeZone: "Europe/Stockholm" }, timeZones: [] });
    expect((await getAccountSettingsView(viewerOf("none"))).billing).toBeNull();
    const full = await getAccountSettingsView(viewerOf("full"));
    expect(full.billing?.timeZones).toContain("Europe/Stockholm");
  });
});
