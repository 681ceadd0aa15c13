/**
 * GET/POST /api/cron/daily: the jobs that run once a day, for hosts where nothing runs on a
 * schedule but requests (Vercel: vercel.json calls it daily with `Authorization: Bearer
 * $CRON_SECRET`): the payment reminders (lib/billing/remind.ts) and the budget check
 * (lib/billing/budget-check.ts). Elsewhere cron runs `npm run billing:remind` and
 * `npm run billing:budget`. 503 while CRON_SECRET is unset, 401 without the right secret; 500
 * when a job failed (the other still ran; a retry queues nothing twice).
 */
import { noStore, refuseUnlessCron } from "@/lib/dal/cron";
import { runDailyJobsNow } from "@/lib/dal/daily";

export const maxDuration = 60;

async function handle(request: Request): Promise<Response> {
  const refused = refuseUnlessCron(request);
  if (refused) return refused;
  const { reminders, budget } = await runDailyJobsNow();
  const failed = reminders.status === "rejected" || budget.status === "rejected";
  for (const job of [reminders, budget]) if (job.status === "rejected") console.error("Cumulus: a daily job failed:", job.reason);
  const body = {
    reminders: reminders.status === "fulfilled" ? (({ elapsedMs: _ms, ...s }) => s)(reminders.value) : { error: "failed" },
    budget: budget.status === "fulfilled" ? budget.value : { error: "failed" },
  };
  return Response.json(body, { status: failed ? 500 : 200, headers: noStore });
}

export const GET = handle;
export const POST = handle;
