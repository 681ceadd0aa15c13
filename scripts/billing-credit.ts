/**
 * `npm run billing:credit -- --invoice N --amount 12.50 --reason "Service outage 3 Oct"`:
 * issues a credit note that lowers invoice N's outstanding amount by the amount (VAT included,
 * in the invoice's currency), with its own number, and queues its email (the PDF attached) to
 * the account's Billing addresses. See lib/billing/credit.ts for the rules.
 *
 *   --today YYYY-MM-DD   the credit note's date (default: today in the account's time zone)
 *
 * Exit codes: 0 issued; 2 bad arguments (a missing option, an amount that is not more than 0
 * or has too many decimals, no reason); 3 no such invoice; 4 refused (a credit note as the
 * target, more than is outstanding, nothing outstanding, a card payment in progress, an amount
 * that cannot be split into net + VAT exactly); 1 anything else.
 */
import { parseArgs } from "node:util";
import { issueCreditNote, type CreditRefusal } from "@/lib/billing/credit";
import { BillingInputError, parseToday } from "@/lib/billing/period";
import { openCliDatabase } from "@/lib/email/cli";
import { describeSkip } from "@/lib/email/outbox";
import { formatMoney } from "@/lib/money";
import { runCli } from "./lib/run-cli";

const USAGE = 'usage: npm run billing:credit -- --invoice N --amount 12.50 --reason "why" [--today YYYY-MM-DD]';

const EXIT: Record<CreditRefusal, number> = {
  invalid_input: 2,
  not_found: 3,
  is_credit_note: 4,
  nothing_outstanding: 4,
  exceeds_outstanding: 4,
  payment_in_progress: 4,
  not_exact: 4,
};

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { invoice: { type: "string" }, amount: { type: "string" }, reason: { type: "string" }, today: { type: "string" } },
    }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const missing = (["invoice", "amount", "reason"] as const).filter((k) => values[k] === undefined);
  if (missing.length) {
    console.error(`Missing ${missing.map((m) => `--${m}`).join(", ")}.\n${USAGE}`);
    return 2;
  }
  let today: string | undefined;
  try {
    today = values.today === undefined ? undefined : parseToday(values.today);
  } catch (err) {
    if (err instanceof BillingInputError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }

  const { db, close } = await openCliDatabase();
  try {
    const result = await issueCreditNote(db, { number: values.invoice!, amount: values.amount!, reason: values.reason! }, { today });
    if (!result.ok) {
      console.error(`Not issued: ${result.message}`);
      return EXIT[result.reason];
    }
    const { creditNote: c, invoice: i } = result;
    const money = (m: bigint) => formatMoney(m, c.currency, "en");
    console.log(`Credit note ${c.number} issued for invoice ${i.number}: ${money(c.totalMinor)} (net ${money(c.netMinor)}, VAT ${money(c.vatMinor)}).`);
    console.log(`Invoice ${i.number} outstanding: ${money(i.outstandingBeforeMinor)} → ${money(i.outstandingAfterMinor)}.`);
    if (result.email.status === "queued") console.log(`Email queued (outbox #${result.email.id}) for ${result.email.recipients.join(", ")}.`);
    else console.log(`No email queued: ${describeSkip(result.email.reason)}.`);
    return 0;
  } finally {
    await close().catch(() => {});
  }
}

runCli(main);
