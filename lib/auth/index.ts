/**
 * next-auth (Auth.js v5) with email + password. Sessions are JWTs in an httpOnly, SameSite=Lax
 * cookie; the token carries the user id and session version, and the data-access layer
 * checks both against the database on every request (lib/dal/session.ts).
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
import { authConfig } from "./config";
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

export const { handlers, signIn, signOut } = NextAuth({
  ...authConfig,
  secret: env().AUTH_SECRET,
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        return authenticate(parsed.data.email, parsed.data.password, clientAddress(request.headers));
      },
    }),
  ],
});
