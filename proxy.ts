/**
 * Redirects signed-out visitors to the login page, remembering where they were going, and sets
 * the security headers with a per-request CSP nonce. It is never the authorization check:
 * every page, action and route asks lib/dal itself.
 */
import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig } from "@/lib/auth/config";
import { contentSecurityPolicy, newNonce, STATIC_SECURITY_HEADERS } from "@/lib/security-headers";

const { auth } = NextAuth(authConfig);

// The sandbox provider's hosted page stands for another site: it has no panel session.
const PUBLIC_PREFIXES = ["/login", "/api/", "/sandbox/"];

function withSecurityHeaders(response: NextResponse, csp: string): NextResponse {
  response.headers.set("Content-Security-Policy", csp);
  for (const [k, v] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(k, v);
  return response;
}

export default auth((req) => {
  const { pathname, search } = req.nextUrl;
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce);
  const isPublic = PUBLIC_PREFIXES.some((p) => pathname === p || pathname.startsWith(p.endsWith("/") ? p : `${p}/`));
  if (!req.auth && !isPublic) {
    const login = new URL("/login", req.nextUrl);
    if (pathname !== "/") login.searchParams.set("callbackUrl", pathname + search);
    return withSecurityHeaders(NextResponse.redirect(login), csp);
  }
  const requestHeaders = new Headers(req.headers);
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders.
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  // Lets the data-access layer send a revoked session back to the same page after login.
  requestHeaders.set("x-cumulus-path", pathname + search);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp);
});

export const config = {
  // Not /api/auth: next-auth answers those itself, and running it twice set two CSRF cookies.
  matcher: ["/((?!_next/static|_next/image|api/auth|favicon.ico|icon.svg|robots.txt).*)"],
};
