/** Users page rules: admins change others' access, never their own, and the last admin with Full stays. */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { seedDemo } from "@/scripts/seed";
import { accounts, auditEvents, users } from "@/db/schema";
import { changeUserAccess } from "@/lib/users/manage";
import { resetTables, setupTestDatabase } from "../setup/db";

const { db, kind } = await setupTestDatabase();
const ids: Record<string, string> = {};
let accountId = "";

beforeEach(async () => {
  await resetTables(db);
  await seedDemo(db, "2026-11-25");
  for (const u of await db.select({ id: users.id, email: users.email }).from(users)) ids[u.email] = u.id;
  accountId = (await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, "Example Cloud Customer AB")))[0]!.id;
});

describe("changeUserAccess", () => {
  it("an admin changes another user's access, with an audit row", async () => {
    expect(await changeUserAccess(db, accountId, ids["demo@example.com"]!, ids["reader@example.com"]!, { invoiceAccess: "full", isAdmin: true })).toEqual({ ok: true });
    const [r] = await db.select({ a: users.invoiceAccess, admin: users.isAdmin }).from(users).where(eq(users.id, ids["reader@example.com"]!));
    expect(r).toEqual({ a: "full", admin: true });
    const [audit] = await db.select().from(auditEvents).where(eq(auditEvents.action, "user.access_changed"));
    expect(audit!.before).toMatchObject({ invoiceAccess: "read", isAdmin: false });
  });

  it("nobody changes their own access; the last admin with Full cannot be demoted; non-admins change nothing", async () => {
    expect(await changeUserAccess(db, accountId, ids["demo@example.com"]!, ids["demo@example.com"]!, { invoiceAccess: "none", isAdmin: false })).toMatchObject({ ok: false, message: /your own/ });
    await changeUserAccess(db, accountId, ids["demo@example.com"]!, ids["reader@example.com"]!, { invoiceAccess: "full", isAdmin: true });
    // Now reader is an admin with Full: it may demote demo, and then demo may not demote reader.
    expect(await changeUserAccess(db, accountId, ids["reader@example.com"]!, ids["demo@example.com"]!, { invoiceAccess: "read", isAdmin: false })).toEqual({ ok: true });
    expect(await changeUserAccess(db, accountId, ids["demo@example.com"]!, ids["reader@example.com"]!, { invoiceAccess: "none", isAdmin: false })).toMatchObject({ ok: false, message: /Only admins/ });
    expect(await changeUserAccess(db, accountId, ids["noaccess@example.com"]!, ids["reader@example.com"]!, { invoiceAccess: "none", isAdmin: false })).toMatchObject({ ok: false });
    // Another account's user is not found from this account.
    expect(await changeUserAccess(db, accountId, ids["reader@example.com"]!, ids["other@example.com"]!, { invoiceAccess: "none", isAdmin: false })).toMatchObject({ ok: false, message: /not in your account/ });
  });

  it.runIf(kind === "postgres")("two admins demoting each other at once: one stays", async () => {
    await changeUserAccess(db, accountId, ids["demo@example.com"]!, ids["reader@example.com"]!, { invoiceAccess: "full", isAdmin: true });
    const results = await Promise.all([
      changeUserAccess(db, accountId, ids["demo@example.com"]!, ids["reader@example.com"]!, { invoiceAccess: "read", isAdmin: false }),
      changeUserAccess(db, accountId, ids["reader@example.com"]!, ids["demo@example.com"]!, { invoiceAccess: "read", isAdmin: false }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const admins = await db.select().from(users).where(eq(users.accountId, accountId));
    expect(admins.filter((u) => u.isAdmin && u.invoiceAccess === "full")).toHaveLength(1);
  });
});
