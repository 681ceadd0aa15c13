/**
 * Limits on verification codes that outlive a code and the contact row, kept per account and
 * address (tables contact_verification_budgets and contact_verification_sends):
 * - a budget of wrong codes per address: neither a new code nor deleting and re-adding the
 *   address gives more tries. It starts again only after a day without a wrong code, so a
 *   guesser gets at most TRY_BUDGET tries a day at 1 in a million each;
 * - how many codes are sent to an address per hour and per day (the code sent when the address
 *   is added counts too, so deleting and re-adding does not send more).
 * Callers hold the account's contact rows locked (lockAll in contacts.ts), which serialises
 * these reads and writes per account.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { contactVerificationBudgets, contactVerificationSends } from "@/db/schema";

/** Wrong codes per address and account before verification stops. */
export const TRY_BUDGET = 20;
/** Hours without a wrong code after which the budget starts again. */
export const TRY_BUDGET_RESET_HOURS = 24;
export const SENDS_PER_HOUR = 3;
export const SENDS_PER_DAY = 10;

const budgetIsCurrent = sql`${contactVerificationBudgets.updatedAt} > now() - make_interval(hours => ${TRY_BUDGET_RESET_HOURS})`;

/** Wrong codes for this address that still count against its budget. */
export async function failedTries(tx: Transaction, accountId: string, email: string): Promise<number> {
  const [row] = await tx
    .select({ failedTries: contactVerificationBudgets.failedTries })
    .from(contactVerificationBudgets)
    .where(and(eq(contactVerificationBudgets.accountId, accountId), eq(contactVerificationBudgets.email, email), budgetIsCurrent));
  return row?.failedTries ?? 0;
}

/** Counts one wrong code; returns the address's wrong codes so far. */
export async function recordFailedTry(tx: Transaction, accountId: string, email: string): Promise<number> {
  const [row] = await tx
    .insert(contactVerificationBudgets)
    .values({ accountId, email, failedTries: 1 })
    .onConflictDoUpdate({
      target: [contactVerificationBudgets.accountId, contactVerificationBudgets.email],
      set: {
        failedTries: sql`case when ${budgetIsCurrent} then ${contactVerificationBudgets.failedTries} + 1 else 1 end`,
        updatedAt: sql`now()`,
      },
    })
    .returning({ failedTries: contactVerificationBudgets.failedTries });
  return row!.failedTries;
}

/** The address proved it receives our mail: its wrong codes no longer count. */
export async function clearFailedTries(tx: Transaction, accountId: string, email: string) {
  await tx.delete(contactVerificationBudgets).where(and(eq(contactVerificationBudgets.accountId, accountId), eq(contactVerificationBudgets.email, email)));
}

export const BUDGET_SPENT_MESSAGE = `Too many wrong codes for this address. Try again after ${TRY_BUDGET_RESET_HOURS} hours.`;

function waitText(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes < 60) return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} ${hours === 1 ? "hour" : "hours"}`;
}

/** Null when another code may be sent to this address now, else why not and for how long. */
export async function sendRefusal(tx: Transaction, accountId: string, email: string): Promise<string | null> {
  const hourAgo = sql`now() - interval '1 hour'`;
  const [row] = await tx
    .select({
      lastHour: sql<number>`count(*) filter (where ${contactVerificationSends.sentAt} > ${hourAgo})`.mapWith(Number),
      lastDay: sql<number>`count(*)`.mapWith(Number),
      // Seconds until the oldest send of each window leaves it.
      hourWait: sql<number>`extract(epoch from min(${contactVerificationSends.sentAt}) filter (where ${contactVerificationSends.sentAt} > ${hourAgo}) + interval '1 hour' - now())`.mapWith(Number),
      dayWait: sql<number>`extract(epoch from min(${contactVerificationSends.sentAt}) + interval '1 day' - now())`.mapWith(Number),
    })
    .from(contactVerificationSends)
    .where(and(eq(contactVerificationSends.accountId, accountId), eq(contactVerificationSends.email, email), gt(contactVerificationSends.sentAt, sql`now() - interval '1 day'`)));
  if (row && row.lastDay >= SENDS_PER_DAY) {
    return `We have sent ${SENDS_PER_DAY} codes to this address today. You can send another in ${waitText(row.dayWait)}.`;
  }
  if (row && row.lastHour >= SENDS_PER_HOUR) {
    return `We have sent ${SENDS_PER_HOUR} codes to this address in the last hour. You can send another in ${waitText(row.hourWait)}.`;
  }
  return null;
}

export async function recordSend(tx: Transaction, accountId: string, email: string) {
  const mine = and(eq(contactVerificationSends.accountId, accountId), eq(contactVerificationSends.email, email));
  // Sends older than the longest window count for nothing any more.
  await tx.delete(contactVerificationSends).where(and(mine, sql`${contactVerificationSends.sentAt} <= now() - interval '1 day'`));
  await tx.insert(contactVerificationSends).values({ accountId, email });
}
