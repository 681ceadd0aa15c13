/**
 * Redirects signed-out visitors to the login page, remembering where they were going. It is
 * never the authorization check: every page, action and route asks lib/dal itself.
 */
import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig } from "@/lib/auth/config";

const { auth } = NextAuth(authConfig);

// The sandbox provider's hosted page stands for another site: it has no panel session.
const PUBLIC_PREFIXES = ["/login", "/api/", "/sandbox/"];

export default auth((req) => {
  const { pathname, search } = req.nextUrl;
  const isPublic = PUBLIC_PREFIXES.some((p) => pathname === p || pathname.startsWith(p.endsWith("/") ? p : `${p}/`));
  if (!req.auth && !isPublic) {
    const login = new URL("/login", req.nextUrl);
    if (pathname !== "/") login.searchParams.set("callbackUrl", pathname + search);
    return NextResponse.redirect(login);
  }
  // Lets the data-access layer send a revoked session back to the same page after login.
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("x-cumulus-path", pathname + search);
  return NextResponse.next({ request: { headers: requestHeaders } });
});

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
