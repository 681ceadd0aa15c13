/**
 * The part of the next-auth configuration that needs no database; the full configuration, with
 * the credentials provider and the session rows, is in lib/auth/index.ts.
 */
import type { NextAuthConfig } from "next-auth";
import { encode } from "next-auth/jwt";
import { pointAuthJsAtAppOrigin } from "@/lib/env";

// Before Auth.js first runs: its URLs then come from APP_URL, not from the request's headers.
pointAuthJsAtAppOrigin();

/** A session ends this long after sign-in (absolute, not sliding). */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

/** What sign-in adds to the user Auth.js hands to the jwt callback (lib/auth/index.ts). */
export type SignedInUser = { id: string; sessionVersion: number; sessionId: string; sessionEndsAt: Date };

export const authConfig = {
  pages: { signIn: "/login", error: "/login" },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  jwt: {
    // Auth.js re-issues the token on every call of /api/auth/session with `exp` = now + maxAge.
    // Keep the session's own end instead: the token never outlives the 8 hours from sign-in
    // (the session row's expires_at, which the data-access layer checks, decides either way).
    encode(params) {
      const end = typeof params.token?.end === "number" ? params.token.end : null;
      if (end === null) return encode(params);
      const left = end - Math.floor(Date.now() / 1000);
      return encode({ ...params, maxAge: Math.max(1, Math.min(params.maxAge ?? SESSION_MAX_AGE_SECONDS, left)) });
    },
  },
  // Auth.js builds every URL (its redirects, the cookies' Secure flag and __Secure-/__Host-
  // prefixes) from AUTH_URL, which pointAuthJsAtAppOrigin sets to APP_URL's origin: no Host or
  // X-Forwarded-* header is used. This flag only stops it refusing to run; our own redirects are
  // relative paths, validated in lib/auth/redirect.ts.
  trustHost: true,
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        const u = user as Partial<SignedInUser>;
        token.uid = user.id;
        token.sv = u.sessionVersion ?? 0;
        token.sid = u.sessionId;
        token.end = u.sessionEndsAt ? Math.floor(u.sessionEndsAt.getTime() / 1000) : undefined;
      }
      return token;
    },
    session({ session, token }) {
      session.uid = typeof token.uid === "string" ? token.uid : undefined;
      session.sv = typeof token.sv === "number" ? token.sv : undefined;
      return session;
    },
  },
} satisfies NextAuthConfig;

declare module "next-auth" {
  interface Session {
    uid?: string;
    sv?: number;
  }
}
