/**
 * The budget check (`npm run billing:budget`, and the daily cron route): for each account with
 * a monthly budget, the month's spend to date and its forecast (lib/billing/month-spend.ts, the
 * dashboard's numbers) against 80 % and 100 % of the budget. Each threshold reached is told to
 * the Billing contacts once per month, in the account's language, through the outbox.
 *
 * Once is the database's guarantee: a budget_alerts row per (account, month, threshold), unique,
 * written in the transaction that queues the email. Two checks running at once both try to
 * write it; the second waits for the first and finds it written, so it queues nothing.
 * A budget raised after an alert does not send that threshold again in the same month.
 */
import { and, eq, gt, isNotNull } from "drizzle-orm";
import type { Database } from "@/db/client";
import { accounts, budgetAlerts, type Language } from "@/db/schema";
import { accountToday, startOfMonth, todayPerTimeZone } from "@/lib/dates";
import { budgetAlertEmail } from "@/lib/email/budget-templates";
import { billingRecipients, enqueueEmail } from "@/lib/email/outbox";
import { PROVIDER_TIME_ZONE, providerDetails } from "@/lib/provider";
import { crossedThresholds, type BudgetThreshold } from "./budget";
import { getMonthSpend } from "./month-spend";

export type BudgetCheckSummary = {
  /** Accounts with a monthly budget. */
  looked: number;
  queued: Record<BudgetThreshold, number>;
  /** Reached, and told before this month. */
  alreadySent: number;
  /** Reached, but the account has no verified Billing address: not recorded, so a later run sends it once there is one. */
  noBillingAddress: number;
};

type Candidate = { id: string; name: string; currency: string; language: Language; timeZone: string; monthlyBudgetMinor: bigint };

function candidateBatch(db: Database, cursor: string | null, batchSize: number): Promise<Candidate[]> {
  return db
    .select({
      id: accounts.id,
      name: accounts.name,
      currency: accounts.currency,
      language: accounts.language,
      timeZone: accounts.timeZone,
      monthlyBudgetMinor: accounts.monthlyBudgetMinor,
    })
    .from(accounts)
    .where(and(isNotNull(accounts.monthlyBudgetMinor), cursor ? gt(accounts.id, cursor) : undefined))
    .orderBy(accounts.id)
    .limit(batchSize) as Promise<Candidate[]>;
}

type Alert = { account: Candidate; month: string; thresholdPercent: BudgetThreshold; spentMinor: bigint; forecastMinor: bigint | null };

/** Records one alert and queues its email in one transaction; what happened. No recipient: nothing is recorded. */
async function sendAlert(db: Database, a: Alert): Promise<"queued" | "already_sent" | "no_billing_address"> {
  return db.transaction(async (tx) => {
    const recipients = await billingRecipients(tx, a.account.id);
    if (recipients.length === 0) return "no_billing_address";
    const [alert] = await tx
      .insert(budgetAlerts)
      .values({
        accountId: a.account.id,
        month: a.month,
        thresholdPercent: a.thresholdPercent,
        budgetMinor: a.account.monthlyBudgetMinor,
        spentMinor: a.spentMinor,
        forecastMinor: a.forecastMinor,
      })
      .onConflictDoNothing({ target: [budgetAlerts.accountId, budgetAlerts.month, budgetAlerts.thresholdPercent] })
      .returning({ id: budgetAlerts.id });
    if (!alert) return "already_sent";
    const content = budgetAlertEmail({
      language: a.account.language,
      thresholdPercent: a.thresholdPercent,
      month: a.month,
      currency: a.account.currency,
      budgetMinor: a.account.monthlyBudgetMinor,
      spentMinor: a.spentMinor,
      forecastMinor: a.forecastMinor,
      accountName: a.account.name,
      providerName: providerDetails().name,
    });
    const queued = await enqueueEmail(tx, {
      accountId: a.account.id,
      kind: "budget_alert",
      recipients,
      ...content,
      dedupeKey: `budget:${a.account.id}:${a.month}:${a.thresholdPercent}`,
    });
    // The dedupe key is a second lock on the same door: a message already queued under it is this alert's.
    if (!queued) return "already_sent";
    await tx.update(budgetAlerts).set({ outboxId: queued.id }).where(eq(budgetAlerts.id, alert.id));
    return "queued";
  });
}

/** The thresholds already told this month, so a daily run opens no transaction for them. */
async function sentThresholds(db: Database, accountId: string, month: string): Promise<Set<number>> {
  const rows = await db
    .select({ thresholdPercent: budgetAlerts.thresholdPercent })
    .from(budgetAlerts)
    .where(and(eq(budgetAlerts.accountId, accountId), eq(budgetAlerts.month, month)));
  return new Set(rows.map((r) => r.thresholdPercent));
}

/** Checks every account with a budget. Safe to run any number of times, from any number of places at once. */
export async function runBudgetCheck(db: Database, opts: { today?: string; batchSize?: number } = {}): Promise<BudgetCheckSummary> {
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 500, 5000));
  const todayOf = todayPerTimeZone(opts.today, () => accountToday(PROVIDER_TIME_ZONE));
  const summary: BudgetCheckSummary = { looked: 0, queued: { 80: 0, 100: 0 }, alreadySent: 0, noBillingAddress: 0 };
  let cursor: string | null = null;
  for (;;) {
    const batch = await candidateBatch(db, cursor, batchSize);
    if (batch.length === 0) break;
    cursor = batch[batch.length - 1]!.id;
    summary.looked += batch.length;
    for (const account of batch) {
      const today = todayOf(account.timeZone);
      const month = startOfMonth(today);
      const spend = await getMonthSpend(db, account.id, today);
      const crossed = crossedThresholds(account.monthlyBudgetMinor, spend.spentMinor, spend.forecastMinor);
      if (crossed.length === 0) continue;
      const sent = await sentThresholds(db, account.id, month);
      for (const thresholdPercent of crossed) {
        const outcome = sent.has(thresholdPercent)
          ? "already_sent"
          : await sendAlert(db, { account, month, thresholdPercent, spentMinor: spend.spentMinor, forecastMinor: spend.forecastMinor });
        if (outcome === "queued") summary.queued[thresholdPercent]++;
        else if (outcome === "already_sent") summary.alreadySent++;
        else summary.noBillingAddress++;
      }
    }
  }
  return summary;
}
