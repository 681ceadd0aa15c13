/**
 * Security headers of every page and route: a Content-Security-Policy with a fresh nonce per
 * request (Next puts it on its own scripts), no 'unsafe-inline' or 'unsafe-eval' in production,
 * no framing, HSTS, nosniff, a strict referrer policy, and no caching of account data.
 */
import { env } from "@/lib/env";

export function contentSecurityPolicy(nonce: string, production = env().NODE_ENV === "production"): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic' lets the nonce'd bootstrap load Next's chunks; dev needs eval for React's tooling.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${production ? "" : " 'unsafe-eval'"}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(production ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "Cross-Origin-Opener-Policy": "same-origin",
  // Every page and route behind the proxy carries account data or a login form.
  "Cache-Control": "no-store",
};
