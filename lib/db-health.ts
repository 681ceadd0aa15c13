/**
 * The 503 answer the proxy gives while the database is unreachable (db/health.ts decides when).
 */

import { problemResponse } from "@/lib/api/problem";

/** Seconds a client is told to wait before it tries again. */
export const RETRY_AFTER_SECONDS = 5;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The 503 answer: a problem detail for the REST API, JSON for other API routes and server actions, otherwise a small HTML page (it cannot
 * use the app's layout, which needs the database) that tries again by itself. Never cached.
 */
export function serviceUnavailableResponse(pathname: string, opts: { nonce?: string; json?: boolean } = {}): Response {
  const headers = {
    "cache-control": "no-store",
    "retry-after": String(RETRY_AFTER_SECONDS),
  };
  const message = "Cumulus cannot reach its database right now. Nothing was changed by this request; please try again in a moment.";
  // The REST API answers every error as a problem detail (docs/api.md).
  if (pathname.startsWith("/api/v1/")) return problemResponse(503, message, { headers });
  if (opts.json || pathname.startsWith("/api/")) {
    return Response.json({ error: "service_unavailable", message }, { status: 503, headers });
  }
  const style = opts.nonce
    ? `<style nonce="${escapeHtml(opts.nonce)}">body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;margin:0}` +
      `main{max-width:32rem;margin:4rem auto;padding:0 1rem;text-align:center}a{color:#1d4ed8}</style>`
    : "";
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS * 2}"><title>Service temporarily unavailable · Cumulus</title>${style}</head>` +
    `<body><main><h1>Service temporarily unavailable</h1><p>${message}</p>` +
    `<p>This page tries again by itself every ${RETRY_AFTER_SECONDS * 2} seconds. <a href="${escapeHtml(pathname)}">Try again now</a></p>` +
    `</main></body></html>`;
  return new Response(html, { status: 503, headers: { ...headers, "content-type": "text/html; charset=utf-8" } });
}
