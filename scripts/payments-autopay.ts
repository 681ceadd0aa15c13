/**
 * `npm run payments:autopay [-- --today YYYY-MM-DD]`: the automatic payment run. Charges
 * the saved card, off-session, for every outstanding invoice of an account with automatic
 * payment on whose attempt is due (the due date, then 1, 3 and 7 days after a soft decline),
 * resolves attempts an earlier run left open, and queues the notices three days ahead; the
 * outbox sender delivers the emails (lib/payments/autopay/run.ts). Run it daily or hourly (cron; hourly charges an account soon after its day begins and
 * resolves an unanswered charge within the hour): each
 * attempt is charged once however often, and from however many places, it runs.
 *
 *   --today YYYY-MM-DD   the date for every account (default: today in each account's time zone)
 *
 * Exit codes: 0 done; 2 bad arguments; 1 the run failed.
 */
import { databaseReady, getDb } from "@/db/client";
import { getPaymentProvider } from "@/lib/payments";
import { runAutomaticPayments } from "@/lib/payments/autopay/run";
import { runCli } from "./lib/run-cli";
import { parseTodayOption } from "./lib/today-option";

const USAGE = "usage: npm run payments:autopay -- [--today YYYY-MM-DD]";
const int = new Intl.NumberFormat("en");

async function main(): Promise<number> {
  const option = parseTodayOption(USAGE);
  if ("exitCode" in option) return option.exitCode;
  const { today } = option;
  const provider = getPaymentProvider();
  await databaseReady();
  const s = await runAutomaticPayments(getDb(), provider, { today });
  console.log(
    `Automatic payment${today ? ` for ${today}` : ""} with provider ${provider.name}: ${int.format(s.charged)} charged, ` +
      `${int.format(s.declined)} declined, ${int.format(s.unanswered)} without an answer yet, ${int.format(s.skipped)} not charged ` +
      `(another run had it, a payment under way, or the amount changed); ${int.format(s.resumed)} open attempts resolved; ` +
      `${int.format(s.noticesQueued)} notices queued; card notices: ${int.format(s.cardNotices.expiringQueued)} expiring, ` +
      `${int.format(s.cardNotices.expiredQueued)} expired (automatic payment turned off for ${int.format(s.cardNotices.automaticPaymentTurnedOff)}); ` +
      `in ${(s.elapsedMs / 1000).toFixed(1)} s.`,
  );
  return 0;
}

runCli(main);
