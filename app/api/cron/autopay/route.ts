/**
 * GET/POST /api/cron/autopay: the automatic payment run (lib/payments/autopay/run.ts) for hosts
 * where nothing runs on a schedule but requests (Vercel: vercel.json calls it every hour with
 * `Authorization: Bearer $CRON_SECRET`, so that what one call had no time for, an unanswered
 * charge, or an account whose day begins later, waits an hour, not a day); elsewhere cron runs
 * `npm run payments:autopay`. 503
 * while CRON_SECRET is unset, 401 without the right secret.
 */
import { noStore, refuseUnlessCron } from "@/lib/dal/cron";
import { runAutomaticPaymentsNow } from "@/lib/dal/autopay";

export const maxDuration = 60;
// Stop starting new charges well before the function's time limit; the next call goes on.
const TIME_BUDGET_MS = 40_000;

async function handle(request: Request): Promise<Response> {
  const refused = refuseUnlessCron(request);
  if (refused) return refused;
  const { elapsedMs: _ms, ...summary } = await runAutomaticPaymentsNow({ timeBudgetMs: TIME_BUDGET_MS });
  return Response.json(summary, { headers: noStore });
}

export const GET = handle;
export const POST = handle;
