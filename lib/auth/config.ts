/**
 * The part of the next-auth configuration that needs no database, shared by the proxy (which
 * only redirects signed-out visitors) and the full configuration in lib/auth/index.ts.
 */
import type { NextAuthConfig } from "next-auth";
import { pointAuthJsAtAppOrigin } from "@/lib/env";

// Before Auth.js first runs: its URLs then come from APP_URL, not from the request's headers.
pointAuthJsAtAppOrigin();

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export const authConfig = {
  pages: { signIn: "/login", error: "/login" },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  // Auth.js builds every URL (its redirects, the cookies' Secure flag and __Secure-/__Host-
  // prefixes) from AUTH_URL, which pointAuthJsAtAppOrigin sets to APP_URL's origin: no Host or
  // X-Forwarded-* header is used. This flag only stops it refusing to run; our own redirects are
  // relative paths, validated in lib/auth/redirect.ts.
  trustHost: true,
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
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
