/**
 * When automatic payment charges an outstanding invoice (pure: no database). The first attempt
 * is on the due date (or the first run after it, for an invoice already past due when automatic
 * payment was turned on); a soft decline is tried again 1, 3 and 7 days after the first attempt;
 * a hard decline, an expired card or a card that needs 3-D Secure ends the automatic attempts
 * for that invoice, as does a soft decline on the last one. At most one attempt a day.
 */
import type { AutopayOutcome } from "@/db/schema";
import { addDays } from "@/lib/dates";
import type { DeclineKind } from "../provider";

/** Days after the first attempt that attempts 2, 3 and 4 follow a soft decline. */
export const RETRY_AFTER_DAYS = [1, 3, 7] as const;
export const MAX_ATTEMPTS = RETRY_AFTER_DAYS.length + 1;
/** The Billing contacts are told this many days before a charge. */
export const NOTICE_DAYS_BEFORE = 3;

/** The invoice's automatic attempts so far: the first one's date and the last one. */
export type AttemptHistory = {
  firstChargeDate: string;
  last: { attempt: number; chargeDate: string; outcome: AutopayOutcome };
} | null;

/** The outcomes after which automatic payment tries no more for the invoice (due.ts builds its SQL from this list). */
export const FINAL_OUTCOMES: readonly AutopayOutcome[] = ["succeeded", "hard_decline", "expired_card", "needs_authentication"];

/** Whether automatic payment will try no more for the invoice (it paid, or it gave up). */
export function attemptsOver(history: AttemptHistory): boolean {
  if (!history) return false;
  const { attempt, outcome } = history.last;
  return FINAL_OUTCOMES.includes(outcome) || (outcome !== "open" && attempt >= MAX_ATTEMPTS);
}

/**
 * The next attempt and the first day it may be made; null when there is none (paid, given up,
 * or an attempt still waiting for the provider's answer).
 */
export function nextCharge(dueDate: string, history: AttemptHistory): { attempt: number; chargeDate: string } | null {
  if (!history) return { attempt: 1, chargeDate: dueDate };
  if (history.last.outcome === "open" || attemptsOver(history)) return null;
  const attempt = history.last.attempt + 1;
  const scheduled = addDays(history.firstChargeDate, RETRY_AFTER_DAYS[attempt - 2]!);
  const dayAfterLast = addDays(history.last.chargeDate, 1);
  return { attempt, chargeDate: scheduled > dayAfterLast ? scheduled : dayAfterLast };
}

/** The attempt due on `today`, or null. */
export function chargeDueOn(dueDate: string, history: AttemptHistory, today: string): { attempt: number } | null {
  const next = nextCharge(dueDate, history);
  return next && next.chargeDate <= today ? { attempt: next.attempt } : null;
}

/** The outcome an attempt records for the provider's answer. */
export function declineOutcome(kind: DeclineKind | null | undefined): AutopayOutcome {
  if (kind === "soft") return "soft_decline";
  if (kind === "expired_card") return "expired_card";
  // A decline the provider did not qualify is not retried: retrying a hard decline harms the merchant.
  return "hard_decline";
}

/** Whether the Billing contacts are emailed now: automatic payment gave up on the invoice with this attempt. */
export function failureEndsAttempts(attempt: number, outcome: AutopayOutcome): boolean {
  return outcome !== "succeeded" && outcome !== "open" && attemptsOver({ firstChargeDate: "", last: { attempt, chargeDate: "", outcome } });
}

/** The day the Billing contacts are told of the first charge (notices.ts sends a missed one late, never on the charge day). */
export function noticeDate(dueDate: string): string {
  return addDays(dueDate, -NOTICE_DAYS_BEFORE);
}

/** When the preview says an attempt will be made: on its day, or at the next run (today) when that day has passed. */
export function previewChargeDate(chargeDate: string, today: string): string {
  return chargeDate < today ? today : chargeDate;
}
