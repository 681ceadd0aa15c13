/**
 * The data-access layer's front door, with the session cookie's decoded token stubbed: a raised
 * session version or a removed privilege takes effect at the next request, and a refused
 * server action is audited and answers 403 (Next's forbidden()).
 */
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { seedDemo } from "@/db/seed";
import { auditEvents, users } from "@/db/schema";
import { resetTables, setupTestDatabase } from "../setup/db";

const session = vi.hoisted(() => ({ current: null as null | { uid: string; sv: number } }));
vi.mock("@/lib/auth", () => ({ auth: async () => session.current }));
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
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));

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
    session.current = { uid: demo.id, sv: demo.sv };
    const v = await getViewer();
    expect(v).toMatchObject({ email: "demo@example.com", isAdmin: true, invoiceAccess: "full", account: { name: "Example Cloud Customer AB", currency: "EUR" } });
    session.current = null;
    expect(await getViewer()).toBeNull();
    session.current = { uid: "00000000-0000-4000-8000-000000000000", sv: 1 };
    expect(await getViewer()).toBeNull();
  });

  it("raising the session version ends the session at the next request", async () => {
    session.current = { uid: reader.id, sv: reader.sv };
    expect(await getViewer()).not.toBeNull();
    await db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, reader.id));
    expect(await getViewer()).toBeNull();
  });

  it("a removed privilege takes effect at the next request", async () => {
    session.current = { uid: reader.id, sv: reader.sv };
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
    session.current = { uid: reader.id, sv: reader.sv };
    const form = new FormData();
    form.set("amount", "5");
    await expect(action({}, form)).rejects.toMatchObject({ digest: "NEXT_HTTP_ERROR_FALLBACK;403" });
    expect(handler).not.toHaveBeenCalled();
    const [row] = await db.select().from(auditEvents).where(eq(auditEvents.action, "access.denied"));
    expect(row).toMatchObject({ actorUserId: reader.id, entityType: "action", entityId: "test.admin_only" });
  });

  it("sends a signed-out caller to login, and reports bad input by field without calling the handler", async () => {
    session.current = null;
    await expect(action({}, new FormData())).rejects.toMatchObject({ digest: "NEXT_REDIRECT;/login" });
    session.current = { uid: demo.id, sv: demo.sv };
    const form = new FormData();
    form.set("amount", "-3");
    expect(await action({}, form)).toMatchObject({ ok: false, fieldErrors: { amount: "Enter a positive whole number." }, values: { amount: "-3" } });
    expect(handler).not.toHaveBeenCalled();
    form.set("amount", "3");
    expect(await action({}, form)).toEqual({ ok: true, message: "done" });
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
