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
import { clientAddressFrom } from "./client-address";
import { authLogger } from "./logger";
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

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  secret: env().AUTH_SECRET,
  logger: authLogger,
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
