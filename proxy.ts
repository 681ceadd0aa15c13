/**
 * In front of every request: refuses cross-site writes (403) and server-action bodies Next could
 * not decode (400), answers 503 while the database is unreachable, redirects signed-out visitors
 * to the login page (remembering where they were going), and sets the security headers with a
 * per-request CSP nonce. It is never the authorization check: every page, action and route asks
 * lib/dal itself.
 */
import { NextResponse, type NextRequest } from "next/server";
import { sessionTokenFrom } from "@/lib/auth/session-cookie";
import { isCrossSiteWrite } from "@/lib/csrf";
import { databaseUnavailable } from "@/db/health";
import { serviceUnavailableResponse } from "@/lib/db-health";
import { contentSecurityPolicy, newNonce, STATIC_SECURITY_HEADERS } from "@/lib/security-headers";
import { actionBodyProblem, formPostProblem } from "@/lib/server-action-body";

// The sandbox provider's hosted page stands for another site: it has no panel session. Share
// links and the calendar feed are opened by people and apps without one: their token is the key.
const PUBLIC_PREFIXES = ["/login", "/api/", "/sandbox/", "/share/", "/calendar/"];
// What a token opens is nobody's search result (besides the page's own robots meta tag).
const UNINDEXED_PREFIXES = ["/share/", "/calendar/"];

function withSecurityHeaders(response: NextResponse, csp: string): NextResponse {
  response.headers.set("Content-Security-Policy", csp);
  for (const [k, v] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(k, v);
  return response;
}

export default async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce);
  if (isCrossSiteWrite(req.method, pathname, req.headers)) {
    const refused = new NextResponse("Cross-site request refused: this form can only be sent from the panel itself.\n", {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
    return withSecurityHeaders(refused, csp);
  }
  // A server action whose body Next could not decode: 400 here, not Next's 500 (lib/server-action-body.ts).
  const isFormPost = req.method === "POST" && !pathname.startsWith("/api/") && /^multipart\/form-data/i.test(req.headers.get("content-type") ?? "");
  if (req.method === "POST" && (req.headers.has("next-action") || isFormPost)) {
    const problem = req.headers.has("next-action") ? await actionBodyProblem(req.clone()) : await formPostProblem(req.clone());
    if (problem) {
      const refused = new NextResponse(`Bad request: ${problem.reason}.\n`, { status: problem.status, headers: { "content-type": "text/plain; charset=utf-8" } });
      return withSecurityHeaders(refused, csp);
    }
  }
  // While the database is unreachable, a clear 503 before any page or route starts (lib/db-health.ts).
  if (await databaseUnavailable()) {
    const r = serviceUnavailableResponse(pathname, { nonce, json: req.headers.has("next-action") });
    return withSecurityHeaders(new NextResponse(r.body, { status: r.status, headers: r.headers }), csp);
  }
  const isPublic = PUBLIC_PREFIXES.some((p) => pathname === p || pathname.startsWith(p.endsWith("/") ? p : `${p}/`));
  // Only whether a session cookie is present: decoding it here as well (Auth.js's auth() wrapper
  // decrypts, re-encrypts and sets it again) would cost every request time for a redirect that
  // the data-access layer's check makes anyway.
  if (!isPublic && !sessionTokenFrom(req.cookies.getAll())) {
    const login = new URL("/login", req.nextUrl);
    if (pathname !== "/") login.searchParams.set("callbackUrl", pathname + search);
    return withSecurityHeaders(NextResponse.redirect(login), csp);
  }
  // Next serves its global error page at this path from a copy rendered once, with that render's
  // CSP nonce baked in; real errors render it without a request. Nothing to ask for by URL.
  if (pathname === "/_global-error") {
    const missing = new NextResponse("Not found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
    return withSecurityHeaders(missing, csp);
  }
  const requestHeaders = new Headers(req.headers);
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders.
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  // Lets the data-access layer send a revoked session back to the same page after login.
  requestHeaders.set("x-cumulus-path", pathname + search);
  const response = withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp);
  if (UNINDEXED_PREFIXES.some((p) => pathname.startsWith(p))) response.headers.set("X-Robots-Tag", "noindex, nofollow");
  return response;
}

export const config = {
  // /api/auth/* too: Auth.js's answers get the same security headers (the proxy never runs Auth.js).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
