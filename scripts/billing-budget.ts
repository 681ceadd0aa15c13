/**
 * `npm run billing:budget [-- --today YYYY-MM-DD]`: the budget check. For each account with a
 * monthly budget, the month's spend and forecast against 80 % and 100 % of it; the Billing
 * contacts get one email per threshold and month (lib/billing/budget-check.ts). Run it daily
 * (cron), or let the daily cron route run it.
 *
 *   --today YYYY-MM-DD   the date for every account (default: today in each account's time zone)
 *
 * Exit codes: 0 done; 2 bad arguments; 1 the run failed.
 */
import { runBudgetCheck } from "@/lib/billing/budget-check";
import { openCliDatabase } from "@/lib/email/cli";
import { runCli } from "./lib/run-cli";
import { parseTodayOption } from "./lib/today-option";

const USAGE = "usage: npm run billing:budget -- [--today YYYY-MM-DD]";

async function main(): Promise<number> {
  const option = parseTodayOption(USAGE);
  if ("exitCode" in option) return option.exitCode;
  const { today } = option;
  const { db, close } = await openCliDatabase();
  try {
    const s = await runBudgetCheck(db, { today });
    console.log(
      `Budget check${today ? ` for ${today}` : ""}: ${s.queued[80]} alerts at 80 % and ${s.queued[100]} at 100 % queued; ` +
        `${s.alreadySent} sent before this month; ${s.noBillingAddress} not sent (no verified Billing address); ` +
        `${s.looked} accounts with a monthly budget.`,
    );
    return 0;
  } finally {
    await close().catch(() => {});
  }
}

runCli(main);
