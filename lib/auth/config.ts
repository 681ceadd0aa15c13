/**
 * The part of the next-auth configuration that needs no database, shared by the proxy (which
 * only redirects signed-out visitors) and the full configuration in lib/auth/index.ts.
 */
import type { NextAuthConfig } from "next-auth";

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export const authConfig = {
  pages: { signIn: "/login", error: "/login" },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  // Behind Vercel or a reverse proxy the host comes from X-Forwarded-Host; our own redirects are
  // always relative paths, validated in lib/auth/redirect.ts.
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
