/**
 * `npm run billing:remind [-- --today YYYY-MM-DD]`: queues the payment reminders that are due
 * (7 days before the due date, on it, 7 and 14 days after) for outstanding invoices, to the
 * accounts' verified Billing addresses; the outbox sender delivers them. Run it daily (cron):
 * each reminder step is queued once per invoice, and a late run sends a missed step once, not
 * every missed step (lib/billing/remind.ts).
 *
 *   --today YYYY-MM-DD   the date for every account (default: today in each account's time zone)
 *
 * Exit codes: 0 done; 2 bad arguments; 1 the run failed.
 */
import { queueReminders } from "@/lib/billing/remind";
import { openCliDatabase } from "@/lib/email/cli";
import { runCli } from "./lib/run-cli";
import { parseTodayOption } from "./lib/today-option";

const USAGE = "usage: npm run billing:remind -- [--today YYYY-MM-DD]";
const int = new Intl.NumberFormat("en");

async function main(): Promise<number> {
  const option = parseTodayOption(USAGE);
  if ("exitCode" in option) return option.exitCode;
  const { today } = option;
  const { db, close } = await openCliDatabase();
  try {
    const s = await queueReminders(db, { today });
    const queued = Object.values(s.queued).reduce((a, b) => a + b, 0);
    console.log(
      `Reminders${today ? ` for ${today}` : ""}: ${int.format(queued)} queued ` +
        `(7 days before due ${s.queued["due-7"]}, due date ${s.queued.due}, 7 days after ${s.queued["due+7"]}, 14 days after ${s.queued["due+14"]}); ` +
        `${int.format(s.alreadySent)} already sent; ${int.format(s.noBillingAddress)} not sent (no verified Billing address); ` +
        `${int.format(s.looked)} outstanding invoices looked at in ${(s.elapsedMs / 1000).toFixed(1)} s.`,
    );
    return 0;
  } finally {
    await close().catch(() => {});
  }
}

runCli(main);
