/**
 * The check of every cron route (Vercel Cron calls them with `Authorization: Bearer
 * $CRON_SECRET`): 503 while CRON_SECRET is unset, 401 without the right secret, null to go on.
 */
import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/env";

export const noStore = { "cache-control": "no-store" };

/** Compares digests, so neither the content nor the length of the secret leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/** The refusal to answer, or null when the request carries the cron secret. */
export function refuseUnlessCron(request: Request): Response | null {
  const secret = env().CRON_SECRET;
  if (!secret) return Response.json({ error: "CRON_SECRET is not set" }, { status: 503, headers: noStore });
  const header = request.headers.get("authorization") ?? "";
  if (!sameSecret(header, `Bearer ${secret}`)) {
    return Response.json({ error: "unauthorized" }, { status: 401, headers: { ...noStore, "www-authenticate": "Bearer" } });
  }
  return null;
}
