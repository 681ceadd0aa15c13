/**
 * The data-access layer's front door, with real session cookies (encrypted as Auth.js does at
 * sign-in) in a stubbed cookie jar: a forged or foreign-secret cookie is nobody, a raised
 * session version or a removed privilege takes effect at the next request, and a refused
 * server action is audited and answers 403 (Next's forbidden()).
 */
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { encode } from "next-auth/jwt";
import { seedDemo } from "@/scripts/seed";
import { accounts, auditEvents, contactPhones, payments, users } from "@/db/schema";
import type { CustomerInfoInput } from "@/lib/account/validation";
import type { Viewer } from "@/lib/dal/session";
import { startSession } from "@/lib/auth/sessions";
import { resetTables, setupTestDatabase } from "../setup/db";

const jar = vi.hoisted(() => ({ cookies: [] as { name: string; value: string }[] }));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw Object.assign(new Error(`redirect ${url}`), { digest: `NEXT_REDIRECT;${url}` });
  },
  notFound: () => {
    throw Object.assign(new Error("not found"), { digest: "NEXT_HTTP_ERROR_FALLBACK;404" });
  },
  forbidden: () => {
    throw Object.assign(new Error("forbidden"), { digest: "NEXT_HTTP_ERROR_FALLBACK;403" });
  },
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ getAll: () => jar.cookies }) }));

const SECRET = "dal-test-secret-0123456789abcdefghijklmnop";
process.env.AUTH_SECRET = SECRET;
(await import("@/lib/env")).resetEnvCache();
/** The cookie Auth.js sets at sign-in for these claims (or none), with its session row. */
async function signedInAs(claims: { uid: string; sv: number } | null, secret = SECRET) {
  const salt = "authjs.session-token";
  const sid = claims ? (await startSession(db, claims.uid)).id : null;
  jar.cookies = claims ? [{ name: salt, value: await encode({ token: { ...claims, sid }, secret, salt }) }] : [];
}

const { db } = await setupTestDatabase();
const { getViewer } = await import("@/lib/dal/session");
const { defineAction } = await import("@/lib/dal/action");

let demo = { id: "", sv: 0 };
let reader = { id: "", sv: 0 };

beforeEach(async () => {
  await resetTables(db);
  await seedDemo(db, "2026-11-25");
  const all = await db.select({ id: users.id, email: users.email, sv: users.sessionVersion }).from(users);
  demo = { id: all.find((u) => u.email === "demo@example.com")!.id, sv: all.find((u) => u.email === "demo@example.com")!.sv };
  reader = { id: all.find((u) => u.email === "reader@example.com")!.id, sv: all.find((u) => u.email === "reader@example.com")!.sv };
});

describe("getViewer", () => {
  it("gives the user, account and privilege of a current session, and nothing without one", async () => {
    await signedInAs({ uid: demo.id, sv: demo.sv });
    const v = await getViewer();
    expect(v).toMatchObject({ email: "demo@example.com", isAdmin: true, invoiceAccess: "full", account: { name: "Example Cloud Customer AB", currency: "EUR" } });
    await signedInAs(null);
    expect(await getViewer()).toBeNull();
    jar.cookies = [{ name: "authjs.session-token", value: await encode({ token: { uid: "00000000-0000-4000-8000-000000000000", sv: 1, sid: "00000000-0000-4000-8000-000000000001" }, secret: SECRET, salt: "authjs.session-token" }) }];
    expect(await getViewer()).toBeNull();
  });

  it("a cookie made with another secret, a tampered one, or one in another cookie name is nobody", async () => {
    await signedInAs({ uid: demo.id, sv: demo.sv }, "another-secret-0123456789abcdefghijklmno");
    expect(await getViewer()).toBeNull();
    await signedInAs({ uid: demo.id, sv: demo.sv });
    const good = jar.cookies[0]!;
    jar.cookies = [{ name: good.name, value: good.value.slice(0, -2) + (good.value.endsWith("A") ? "BB" : "AA") }];
    expect(await getViewer()).toBeNull();
    jar.cookies = [{ name: "next-auth.session-token", value: good.value }];
    expect(await getViewer()).toBeNull();
    jar.cookies = [good];
    expect(await getViewer()).not.toBeNull();
  });

  it("raising the session version ends the session at the next request", async () => {
    await signedInAs({ uid: reader.id, sv: reader.sv });
    expect(await getViewer()).not.toBeNull();
    await db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, reader.id));
    expect(await getViewer()).toBeNull();
  });

  it("a removed privilege takes effect at the next request", async () => {
    await signedInAs({ uid: reader.id, sv: reader.sv });
    expect((await getViewer())!.invoiceAccess).toBe("read");
    await db.update(users).set({ invoiceAccess: "none" }).where(eq(users.id, reader.id));
    expect((await getViewer())!.invoiceAccess).toBe("none");
  });
});

describe("defineAction", () => {
  type State = { ok?: boolean; message?: string };
  const handler = vi.fn(async (): Promise<State> => ({ ok: true, message: "done" }));
  const action = defineAction<z.ZodObject<{ amount: z.ZodCoercedNumber<unknown> }>, State>({
    name: "test.admin_only",
    schema: z.object({ amount: z.coerce.number().int().positive("Enter a positive whole number.") }),
    authorize: (v) => v.isAdmin,
    handler,
  });

  it("refuses a user without the privilege: 403, audited, handler never called", async () => {
    await signedInAs({ uid: reader.id, sv: reader.sv });
    const form = new FormData();
    form.set("amount", "5");
    await expect(action({}, form)).rejects.toMatchObject({ digest: "NEXT_HTTP_ERROR_FALLBACK;403" });
    expect(handler).not.toHaveBeenCalled();
    const [row] = await db.select().from(auditEvents).where(eq(auditEvents.action, "access.denied"));
    expect(row).toMatchObject({ actorUserId: reader.id, entityType: "action", entityId: "test.admin_only" });
  });

  it("sends a signed-out caller to login, and reports bad input by field without calling the handler", async () => {
    await signedInAs(null);
    await expect(action({}, new FormData())).rejects.toMatchObject({ digest: "NEXT_REDIRECT;/login" });
    await signedInAs({ uid: demo.id, sv: demo.sv });
    const form = new FormData();
    form.set("amount", "-3");
    expect(await action({}, form)).toMatchObject({ ok: false, fieldErrors: { amount: "Enter a positive whole number." }, values: { amount: "-3" } });
    expect(handler).not.toHaveBeenCalled();
    form.set("amount", "3");
    expect(await action({}, form)).toEqual({ ok: true, message: "done" });
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe("data-access writes check the privilege themselves", () => {
  /** A viewer of the demo account as a caller that skipped the action's check might pass it. */
  async function viewerWith(userId: string, privilege: { invoiceAccess: "none" | "read" | "full"; isAdmin: boolean }) {
    const [user] = await db.select({ accountId: users.accountId }).from(users).where(eq(users.id, userId));
    return { userId, email: "x@example.com", account: { id: user!.accountId, timeZone: "Europe/Stockholm" }, ...privilege } as unknown as Viewer;
  }

  it("paying, customer info, invoice settings and contacts need invoice access Full", async () => {
    const { startViewerCardPayment } = await import("@/lib/dal/payments");
    const { saveViewerCustomerInfo, saveViewerInvoiceSettings } = await import("@/lib/dal/account");
    const { addViewerPhone } = await import("@/lib/dal/contacts");
    const readOnly = await viewerWith(reader.id, { invoiceAccess: "read", isAdmin: false });
    const paymentsBefore = await db.$count(payments);
    const auditsBefore = await db.$count(auditEvents);
    const [accountBefore] = await db.select().from(accounts).where(eq(accounts.id, readOnly.account.id));

    const pay = await startViewerCardPayment(readOnly, { numbers: [1], expectedAmountMinor: 100n, idempotencyKey: crypto.randomUUID() });
    expect(pay).toMatchObject({ kind: "refused", message: "This needs invoice access Full." });
    const info = { ...accountBefore, companyName: "Changed AB", separateBilling: false } as unknown as CustomerInfoInput;
    expect(await saveViewerCustomerInfo(readOnly, info)).toBeNull();
    expect(await saveViewerInvoiceSettings(readOnly, { receiveInvoicesByEmail: false, language: "sv", automaticPayment: true })).toEqual({ ok: false, message: "This needs invoice access Full." });
    expect(await addViewerPhone(readOnly, "+46701234567", null)).toMatchObject({ ok: false });

    expect(await db.$count(payments)).toBe(paymentsBefore);
    expect(await db.$count(contactPhones, eq(contactPhones.phone, "+46701234567"))).toBe(0);
    expect(await db.$count(auditEvents)).toBe(auditsBefore);
    const [accountAfter] = await db.select().from(accounts).where(eq(accounts.id, readOnly.account.id));
    expect(accountAfter).toEqual(accountBefore);
  });

  it("changing a user's access needs an admin viewer", async () => {
    const { changeAccountUserAccess } = await import("@/lib/dal/users");
    const notAdmin = await viewerWith(demo.id, { invoiceAccess: "full", isAdmin: false });
    expect(await changeAccountUserAccess(notAdmin, reader.id, { invoiceAccess: "full", isAdmin: true })).toEqual({ ok: false, message: "Only admins can change access." });
    const [after] = await db.select({ invoiceAccess: users.invoiceAccess, isAdmin: users.isAdmin }).from(users).where(eq(users.id, reader.id));
    expect(after).toEqual({ invoiceAccess: "read", isAdmin: false });
  });
});
