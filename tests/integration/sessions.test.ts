/**
 * Server-side sessions, through Auth.js's real endpoints (sign-in and /api/auth/session) and the
 * data-access layer, with a stubbed cookie jar:
 * - sign-in records a session row ending 8 h later, and the cookie names it;
 * - logging out revokes the row: the same cookie is nobody from then on;
 * - /api/auth/session re-issues the cookie without ever moving its end past 8 h from sign-in
 *   (a fake clock walks through the 8 hours), and answers signed out once the row has ended;
 * - a row whose expires_at has passed is signed out even with a cookie that has not expired;
 * - Log out everywhere ends every session; Change password checks the current password (a wrong
 *   one counts towards the login lock), ends the other sessions and keeps the current one.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { decode } from "next-auth/jwt";
import { DEMO_PASSWORD, seedDemo } from "@/scripts/seed";
import { auditEvents, loginThrottle, users, userSessions } from "@/db/schema";
import { resetTables, setupTestDatabase } from "../setup/db";

const jar = vi.hoisted(() => ({ cookies: [] as { name: string; value: string }[] }));
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ getAll: () => jar.cookies }) }));

const SECRET = "sessions-test-secret-0123456789abcdefghijkl";
const ORIGIN = "http://localhost:3000";
const SALT = "authjs.session-token";
process.env.AUTH_SECRET = SECRET;
process.env.APP_URL = ORIGIN;
(await import("@/lib/env")).resetEnvCache();

const { db } = await setupTestDatabase();
const { handlers } = await import("@/lib/auth");
const { getViewer, endCurrentSession } = await import("@/lib/dal/session");
const { logOutEverywhere } = await import("@/lib/auth/sessions");
const { changePassword } = await import("@/lib/auth/password-change");
const { verifyPassword } = await import("@/lib/passwords");

const HOUR_MS = 3600_000;

/** The cookies an answer sets, as name → value (an empty value clears the cookie). */
function setCookies(res: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const i = pair!.indexOf("=");
    out.set(pair!.slice(0, i), pair!.slice(i + 1));
  }
  return out;
}

/** Signs in through Auth.js's credentials endpoint, as the login form does; returns the session cookie's value. */
async function signIn(email: string, password = DEMO_PASSWORD): Promise<string> {
  const csrf = await handlers.GET(new NextRequest(`${ORIGIN}/api/auth/csrf`));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = [...setCookies(csrf)].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await handlers.POST(
    new NextRequest(`${ORIGIN}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, origin: ORIGIN },
      body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/" }),
    }),
  );
  const token = setCookies(res).get(SALT);
  if (!token) throw new Error(`sign-in of ${email} failed: ${res.status} ${res.headers.get("location")}`);
  return token;
}

/** GET /api/auth/session with this session cookie: the body, and the cookie it sets back. */
async function sessionEndpoint(token: string): Promise<{ body: unknown; reissued: string | undefined }> {
  const res = await handlers.GET(new NextRequest(`${ORIGIN}/api/auth/session`, { headers: { cookie: `${SALT}=${token}` } }));
  return { body: await res.json(), reissued: setCookies(res).get(SALT) };
}

const claimsOf = async (token: string) => (await decode({ token, secret: SECRET, salt: SALT })) as { sid: string; exp: number };
const use = (token: string) => (jar.cookies = [{ name: SALT, value: token }]);

let reader = "";

beforeEach(async () => {
  await resetTables(db);
  await seedDemo(db, "2026-11-25");
  reader = (await db.select({ id: users.id }).from(users).where(eq(users.email, "reader@example.com")))[0]!.id;
});

afterEach(() => {
  vi.useRealTimers();
});

describe("sign-in and logout", () => {
  it("sign-in records a session row ending 8 h later; after logout the same cookie is nobody", async () => {
    const token = await signIn("reader@example.com");
    const { sid, exp } = await claimsOf(token);
    const [row] = await db.select().from(userSessions).where(eq(userSessions.id, sid));
    expect(row).toMatchObject({ userId: reader, revokedAt: null });
    expect(Math.abs(row!.expiresAt.getTime() - row!.createdAt.getTime() - 8 * HOUR_MS)).toBeLessThan(1000);
    expect(Math.abs(exp * 1000 - row!.expiresAt.getTime())).toBeLessThan(2000);

    use(token);
    expect((await getViewer())?.email).toBe("reader@example.com");
    await endCurrentSession();
    const [revoked] = await db.select().from(userSessions).where(eq(userSessions.id, sid));
    expect(revoked!.revokedAt).not.toBeNull();
    use(token);
    expect(await getViewer(), "the old cookie after logout").toBeNull();
    // Auth.js's own endpoint no longer describes it, and clears the cookie.
    const after = await sessionEndpoint(token);
    expect(after.body).toBeNull();
    expect(after.reissued ?? "").toBe("");
  });

  it("a session row past its expires_at is signed out, even with a cookie that has not expired", async () => {
    const token = await signIn("reader@example.com");
    use(token);
    expect(await getViewer()).not.toBeNull();
    const { sid } = await claimsOf(token);
    await db.update(userSessions).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(userSessions.id, sid));
    use(token);
    expect(await getViewer()).toBeNull();
    expect((await sessionEndpoint(token)).body).toBeNull();
  });
});

describe("/api/auth/session refreshes", () => {
  it("never carry a session past 8 hours from sign-in, however often they come", async () => {
    const signedInAt = Date.now();
    let token = await signIn("reader@example.com");
    const { sid, exp: end } = await claimsOf(token);
    vi.useFakeTimers({ toFake: ["Date"], now: signedInAt });
    // Every 30 minutes for 7.5 hours: each answer re-issues the cookie, never later than the end.
    for (let minutes = 30; minutes <= 450; minutes += 30) {
      vi.setSystemTime(signedInAt + minutes * 60_000);
      const { body, reissued } = await sessionEndpoint(token);
      expect(body, `${minutes} min after sign-in`).not.toBeNull();
      expect(reissued, `${minutes} min: a cookie is re-issued`).toBeTruthy();
      const claims = await claimsOf(reissued!);
      expect(claims.sid).toBe(sid);
      expect(claims.exp, `${minutes} min: the re-issued token ends when the first one did`).toBeLessThanOrEqual(end);
      token = reissued!;
    }
    // Past the 8 hours the last re-issued cookie is dead: signed out, cookie cleared.
    vi.setSystemTime(end * 1000 + 60_000);
    const late = await sessionEndpoint(token);
    expect(late.body).toBeNull();
    expect(late.reissued ?? "").toBe("");
    vi.useRealTimers();
    // And the row ends there, whatever a cookie says (the database's clock: moved back 8 h).
    await db.update(userSessions).set({ expiresAt: sql`${userSessions.expiresAt} - interval '8 hours'` }).where(eq(userSessions.id, sid));
    use(token);
    expect(await getViewer()).toBeNull();
  });
});

describe("Log out everywhere and Change password", () => {
  const liveSessions = async () =>
    (await db.select({ id: userSessions.id }).from(userSessions).where(and(eq(userSessions.userId, reader), isNull(userSessions.revokedAt)))).map((r) => r.id);

  it("Log out everywhere ends every session of the user, the current one too, and is audited", async () => {
    const first = await signIn("reader@example.com");
    const second = await signIn("reader@example.com");
    const other = await signIn("demo@example.com");
    use(first);
    const viewer = (await getViewer())!;
    expect(await logOutEverywhere(db, viewer.account.id, viewer.userId)).toBe(2);
    for (const t of [first, second]) {
      use(t);
      expect(await getViewer()).toBeNull();
    }
    use(other);
    expect((await getViewer())?.email, "another user's session").toBe("demo@example.com");
    expect(await db.select().from(auditEvents).where(eq(auditEvents.action, "user.sessions_ended"))).toHaveLength(1);
  });

  it("Change password: a wrong current password counts towards the lock and changes nothing", async () => {
    const token = await signIn("reader@example.com");
    use(token);
    const viewer = (await getViewer())!;
    const r = await changePassword(db, { accountId: viewer.account.id, userId: reader, keepSessionId: viewer.sessionId, currentPassword: "not-the-password", newPassword: "a-brand-new-password" });
    expect(r).toEqual({ ok: false, field: "password", message: "That password is not right." });
    const [throttle] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, "email:reader@example.com"));
    expect(throttle?.failures).toBe(1);
    const [user] = await db.select().from(users).where(eq(users.id, reader));
    expect(user!.passwordChangedAt).toBeNull();
    expect(await verifyPassword(user!.passwordHash, DEMO_PASSWORD)).toBe(true);
  });

  it("Change password: ends every other session, keeps this one, records when, and is audited", async () => {
    const current = await signIn("reader@example.com");
    const elsewhere = await signIn("reader@example.com");
    use(current);
    const viewer = (await getViewer())!;
    const r = await changePassword(db, { accountId: viewer.account.id, userId: reader, keepSessionId: viewer.sessionId, currentPassword: DEMO_PASSWORD, newPassword: "a-brand-new-password" });
    expect(r).toEqual({ ok: true, sessionsEnded: 1 });
    expect(await liveSessions()).toEqual([viewer.sessionId]);
    use(current);
    expect((await getViewer())?.email, "the session that changed it").toBe("reader@example.com");
    use(elsewhere);
    expect(await getViewer(), "the other session").toBeNull();
    const [user] = await db.select().from(users).where(eq(users.id, reader));
    expect(user!.passwordChangedAt).not.toBeNull();
    expect(await verifyPassword(user!.passwordHash, "a-brand-new-password")).toBe(true);
    expect(await db.select().from(auditEvents).where(eq(auditEvents.action, "user.password_changed"))).toHaveLength(1);
    await expect(signIn("reader@example.com"), "the old password").rejects.toThrow(/sign-in .* failed/);
    expect(await signIn("reader@example.com", "a-brand-new-password")).toBeTruthy();
  });
});
