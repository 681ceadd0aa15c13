/** The daily jobs for the daily cron route: payment reminders, then the budget check. */
import "server-only";
import { databaseReady, getDb } from "@/db/client";
import { runBudgetCheck } from "@/lib/billing/budget-check";
import { queueReminders } from "@/lib/billing/remind";

async function settle<T>(job: () => Promise<T>): Promise<PromiseSettledResult<T>> {
  try {
    return { status: "fulfilled", value: await job() };
  } catch (reason) {
    return { status: "rejected", reason };
  }
}

/**
 * One after the other, and the budget check runs even when the reminders failed. Each job is
 * idempotent per account's day (dedupe keys and unique rows), so a retried or doubled call
 * queues nothing twice.
 */
export async function runDailyJobsNow() {
  await databaseReady();
  const db = getDb();
  const reminders = await settle(() => queueReminders(db));
  const budget = await settle(() => runBudgetCheck(db));
  return { reminders, budget };
}
