/**
 * next-auth (Auth.js v5) with email + password. Sessions are JWTs in an httpOnly, SameSite=Lax
 * cookie; the token carries the user id, session version and the id of the session's row in
 * user_sessions (lib/auth/sessions.ts), and the data-access layer checks all three against the
 * database on every request (lib/dal/session.ts).
 */
import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { env } from "@/lib/env";
import { verifyPassword } from "@/lib/passwords";
import { authConfig, type SignedInUser } from "./config";
import { clientAddressFrom } from "./client-address";
import { authLogger } from "./logger";
import { sessionIsLive, startSession } from "./sessions";
import { throttledCheck, throttleKeys } from "./throttle";

export class ThrottledSignin extends CredentialsSignin {
  override code = "throttled";
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  password: z.string().min(1).max(1024),
});

/** The client's address from the entries our own proxies appended (TRUSTED_PROXY_HOPS), or null. */
export function clientAddress(headers: Headers): string | null {
  return clientAddressFrom(headers.get("x-forwarded-for"), env().TRUSTED_PROXY_HOPS);
}

/** The user for a correct email and password; null for a wrong one; ThrottledSignin when locked. */
export async function authenticate(email: string, password: string, address: string | null) {
  const found: { user?: { id: string; email: string; name: string; passwordHash: string; sessionVersion: number } } = {};
  const outcome = await throttledCheck(throttleKeys(email, address), async () => {
    [found.user] = await getDb()
      .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash, sessionVersion: users.sessionVersion })
      .from(users)
      .where(eq(users.email, email))
      .limit(1);
    // An unknown email verifies against a dummy hash: both failures take the same time.
    const ok = await verifyPassword(found.user?.passwordHash ?? null, password);
    return ok && found.user !== undefined;
  });
  if (outcome === "locked") throw new ThrottledSignin();
  const user = found.user;
  if (outcome === "wrong" || !user) return null;
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

export const { handlers, signIn, signOut } = NextAuth({
  ...authConfig,
  secret: env().AUTH_SECRET,
  callbacks: {
    ...authConfig.callbacks,
    // Auth.js's own /api/auth/session re-issues the token: a logged-out or expired session gets
    // its cookie cleared there (null) instead of a fresh one.
    async jwt(params) {
      const token = await authConfig.callbacks.jwt(params);
      if (params.user) return token;
      const live = typeof token.uid === "string" && typeof token.sid === "string" && typeof token.sv === "number";
      return live && (await sessionIsLive(getDb(), token.uid as string, token.sid as string, token.sv as number)) ? token : null;
    },
  },
  logger: authLogger,
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request): Promise<SignedInUser & { email: string; name: string } | null> {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const user = await authenticate(parsed.data.email, parsed.data.password, clientAddress(request.headers));
        if (!user) return null;
        // The session's row: logging out revokes it, and its expires_at ends it 8 h from now.
        const session = await startSession(getDb(), user.id);
        return { ...user, sessionId: session.id, sessionEndsAt: session.expiresAt };
      },
    }),
  ],
});
