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
import { sessionIsLive, startSession } from "./sessions";
import { clearFailures, lockedUntil, recordFailure, throttleKeys } from "./throttle";

export class ThrottledSignin extends CredentialsSignin {
  override code = "throttled";
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  password: z.string().min(1).max(1024),
});

/** The client's address as the platform reports it (Vercel and Next set X-Forwarded-For). */
export function clientAddress(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || null;
}

export async function authenticate(email: string, password: string, address: string | null) {
  const keys = throttleKeys(email, address);
  if (await lockedUntil(keys)) throw new ThrottledSignin();
  const [user] = await getDb()
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  // An unknown email verifies against a dummy hash: both failures take the same time.
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !ok) {
    await recordFailure(keys);
    return null;
  }
  await clearFailures(email);
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

export const { handlers, auth, signIn, signOut } = NextAuth({
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
