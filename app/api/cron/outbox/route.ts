/**
 * GET/POST /api/cron/outbox: sends a batch of the email outbox. For hosts where nothing runs
 * between requests (Vercel: vercel.json calls it every minute with `Authorization: Bearer
 * $CRON_SECRET`); elsewhere the server process sends the outbox itself and this route is not
 * needed. 503 while CRON_SECRET is unset, 401 without the right secret.
 */
import crypto from "node:crypto";
import { sendOutboxBatch } from "@/lib/dal/outbox";
import { env } from "@/lib/env";

// Stop claiming new messages well before the function's time limit.
export const maxDuration = 60;
const TIME_BUDGET_MS = 40_000;

const noStore = { "cache-control": "no-store" };

/** Compares digests, so neither the content nor the length of the secret leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

async function handle(request: Request): Promise<Response> {
  const secret = env().CRON_SECRET;
  if (!secret) return Response.json({ error: "CRON_SECRET is not set" }, { status: 503, headers: noStore });
  const header = request.headers.get("authorization") ?? "";
  if (!sameSecret(header, `Bearer ${secret}`)) {
    return Response.json({ error: "unauthorized" }, { status: 401, headers: { ...noStore, "www-authenticate": "Bearer" } });
  }
  const { result, due } = await sendOutboxBatch({ limit: 100, workerId: "cron", timeBudgetMs: TIME_BUDGET_MS, concurrency: 2 });
  const { outboxIds: _ids, ...counts } = result;
  return Response.json({ ...counts, due }, { headers: noStore });
}

export const GET = handle;
export const POST = handle;
