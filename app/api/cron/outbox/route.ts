/**
 * GET/POST /api/cron/outbox: sends a batch of the email outbox. For hosts where nothing runs
 * between requests (Vercel: vercel.json calls it every minute with `Authorization: Bearer
 * $CRON_SECRET`); elsewhere the server process sends the outbox itself and this route is not
 * needed. 503 while CRON_SECRET is unset, 401 without the right secret.
 */
import { noStore, refuseUnlessCron } from "@/lib/dal/cron";
import { sendOutboxBatch } from "@/lib/dal/outbox";

// Stop claiming new messages well before the function's time limit.
export const maxDuration = 60;
const TIME_BUDGET_MS = 40_000;

async function handle(request: Request): Promise<Response> {
  const refused = refuseUnlessCron(request);
  if (refused) return refused;
  const { result, due } = await sendOutboxBatch({ limit: 100, workerId: "cron", timeBudgetMs: TIME_BUDGET_MS, concurrency: 2 });
  const { outboxIds: _ids, ...counts } = result;
  return Response.json({ ...counts, due }, { headers: noStore });
}

export const GET = handle;
export const POST = handle;
