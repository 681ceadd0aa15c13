/** Cross-site request forgery: the proxy's Origin check (proxy.ts). */
import { appOrigin } from "@/lib/env";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request (a server action, a form post) that a browser sent from another
 * site: its Origin is not the panel's own (APP_URL), or is "null" (sandboxed frames, some
 * redirects). It is compared with APP_URL, never with the Host or X-Forwarded-Host the request
 * names about itself, which whoever sends it chooses. Next refuses such server actions itself,
 * but with a 500; this answers them 403 before any of our code runs. Route handlers under /api/
 * are called server to server (signed webhooks, the bearer-secret cron) and check their own
 * credentials. Browsers send Origin on every cross-site POST, so a request without one is not a
 * forgery from a page.
 */
export function isCrossSiteWrite(method: string, pathname: string, headers: Headers, panelOrigin: string = appOrigin()): boolean {
  if (SAFE_METHODS.has(method) || pathname.startsWith("/api/")) return false;
  const origin = headers.get("origin");
  if (origin === null) return false;
  try {
    return new URL(origin).origin !== panelOrigin;
  } catch {
    return true; // "null" or not a URL at all
  }
}
