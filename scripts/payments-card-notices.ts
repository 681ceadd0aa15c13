/**
 * `npm run payments:card-notices [-- --today YYYY-MM-DD]`: the saved cards' notices. In a card's
 * expiry month its account's Billing contacts are told once; after it, automatic payment is
 * turned off (audited) and they are told once (lib/payments/card-notices.ts). The daily automatic
 * payment run (`npm run payments:autopay`) does this first; this command runs it on its own.
 *
 *   --today YYYY-MM-DD   the date for every account (default: today in each account's time zone)
 *
 * Exit codes: 0 done; 2 bad arguments; 1 the run failed.
 */
import { openCliDatabase } from "@/lib/email/cli";
import { runCardNotices } from "@/lib/payments/card-notices";
import { runCli } from "./lib/run-cli";
import { parseTodayOption } from "./lib/today-option";

const USAGE = "usage: npm run payments:card-notices -- [--today YYYY-MM-DD]";

async function main(): Promise<number> {
  const option = parseTodayOption(USAGE);
  if ("exitCode" in option) return option.exitCode;
  const { today } = option;
  const { db, close } = await openCliDatabase();
  try {
    const s = await runCardNotices(db, { today });
    console.log(
      `Card notices${today ? ` for ${today}` : ""}: ${s.expiringQueued} "expires this month" and ${s.expiredQueued} "has expired" queued; ` +
        `automatic payment turned off for ${s.automaticPaymentTurnedOff}; ${s.alreadyDone} done before; ` +
        `${s.noBillingAddress} not sent (no verified Billing address); ${s.looked} cards in or past their expiry month.`,
    );
    return 0;
  } finally {
    await close().catch(() => {});
  }
}

runCli(main);
