/**
 * The automatic payment run (`npm run payments:autopay` daily or hourly, `/api/cron/autopay` hourly):
 * 0. sends the saved cards' notices and turns automatic payment off where the card has expired
 *    (card-notices.ts), so that no expired card is charged;
 * 1. resolves attempts an earlier run left open (resume.ts), so nothing is charged twice;
 * 2. charges every invoice whose attempt is due today in its account's time zone (schedule.ts),
 *    each through claim → charge → record (charge.ts), a few at a time;
 * 3. queues the notice for charges three days ahead.
 * Any number of runs may overlap or follow each other on one day: each attempt is claimed by one
 * of them, at most one a day, and every email has a dedupe key, so each goes out once.
 */
import type { Database } from "@/db/client";
import { audit } from "@/lib/audit";
import { accountToday, todayPerTimeZone } from "@/lib/dates";
import { PROVIDER_TIME_ZONE } from "@/lib/provider";
import { runCardNotices, type CardNoticeSummary } from "../card-notices";
import type { PaymentProvider } from "../provider";
import { claimAttempt, recordAnswer, sendCharge, type Recorded } from "./charge";
import { dueCandidates, type DueCandidate } from "./due";
import { queueNotices } from "./notices";
import { resumeOpenAttempts } from "./resume";
import { chargeDueOn } from "./schedule";

export type AutopayOptions = {
  /** The date for every account; default: today in each account's time zone. */
  today?: string;
  batchSize?: number;
  /** Charges sent to the provider at once. */
  concurrency?: number;
  /** Stop starting new charges after this long (the cron route's time limit); the next run goes on. */
  timeBudgetMs?: number;
};

export type AutopaySummary = {
  resumed: number;
  charged: number;
  declined: number;
  /** Sent without an answer yet: resolved by a later run. */
  unanswered: number;
  /** Not charged: another run had the attempt, a payment was under way, or the amount changed. */
  skipped: number;
  noticesQueued: number;
  cardNotices: CardNoticeSummary;
  elapsedMs: number;
};

const tally = (summary: AutopaySummary, r: Recorded) => {
  if (r === "succeeded") summary.charged++;
  else if (r === "unchanged" || r === "open") summary.unanswered++;
  else summary.declined++;
};

async function chargeCandidate(db: Database, provider: PaymentProvider, c: DueCandidate, attempt: number, today: string, summary: AutopaySummary): Promise<void> {
  const claimed = await claimAttempt(db, provider, { ...c, attempt, chargeDate: today });
  if (typeof claimed === "string") {
    summary.skipped++;
    // Another run's attempt is that run's to record; any other refusal is audited.
    if (claimed !== "already_claimed") {
      await audit(db, { accountId: c.accountId, actorUserId: null, action: "automatic_payment.skipped", entityType: "invoice", entityId: c.invoiceId, after: { number: c.number, attempt, reason: claimed } });
    }
    return;
  }
  const answer = await sendCharge(provider, { paymentId: claimed.paymentId, amountMinor: claimed.amountMinor, currency: claimed.currency, number: c.number, card: claimed.card });
  tally(summary, await recordAnswer(db, provider, claimed.attemptId, claimed.paymentId, answer));
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function pooled<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function runAutomaticPayments(db: Database, provider: PaymentProvider, opts: AutopayOptions = {}): Promise<AutopaySummary> {
  const started = performance.now();
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 500, 5000));
  const concurrency = Math.max(1, Math.min(opts.concurrency ?? 8, 16));
  const cardNotices = await runCardNotices(db, { today: opts.today });
  const summary: AutopaySummary = { resumed: 0, charged: 0, declined: 0, unanswered: 0, skipped: 0, noticesQueued: 0, cardNotices, elapsedMs: 0 };
  const today = todayPerTimeZone(opts.today, () => accountToday(PROVIDER_TIME_ZONE));
  const outOfTime = () => opts.timeBudgetMs !== undefined && performance.now() - started > opts.timeBudgetMs;

  for (const r of await resumeOpenAttempts(db, provider)) {
    summary.resumed++;
    tally(summary, r);
  }
  // The latest date anywhere on Earth bounds which invoices can be due somewhere today.
  const latest = opts.today ?? accountToday("Pacific/Kiritimati");
  let cursor: string | null = null;
  while (!outOfTime()) {
    const batch = await dueCandidates(db, provider.name, { latest, today: opts.today }, cursor, batchSize);
    if (batch.length === 0) break;
    cursor = batch[batch.length - 1]!.invoiceId;
    const due = batch.flatMap((c) => {
      const d = chargeDueOn(c.dueDate, c.history, today(c.timeZone));
      return d ? [{ c, attempt: d.attempt }] : [];
    });
    await pooled(due, concurrency, async ({ c, attempt }) => {
      if (!outOfTime()) await chargeCandidate(db, provider, c, attempt, today(c.timeZone), summary);
    });
  }
  summary.noticesQueued = await queueNotices(db, { provider: provider.name, today: opts.today, latest, earliest: opts.today ?? accountToday("Etc/GMT+12") });
  summary.elapsedMs = performance.now() - started;
  return summary;
}
