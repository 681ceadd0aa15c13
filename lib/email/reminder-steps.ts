/**
 * When each payment reminder step is due and the dedupe key it is queued under. Its own module,
 * beside the reminder templates, because two domains use it: the reminder run (lib/billing/remind.ts)
 * and automatic payment, whose failure email takes the place of the reminder due that day
 * (lib/payments/autopay/emails.ts); neither imports the other for it.
 */
import { addDays } from "@/lib/dates";
import { REMINDER_STEPS, type ReminderStep } from "./templates";

const STEP_OFFSET_DAYS: Record<ReminderStep, number> = { "due-7": -7, due: 0, "due+7": 7, "due+14": 14 };

export function reminderDedupeKey(invoiceId: string, step: ReminderStep): string {
  return `reminder:${invoiceId}:${step}`;
}

/** The step to send on `today`: the latest whose day has come and falls after the invoice date. */
export function reminderStepFor(invoice: { invoiceDate: string; dueDate: string }, today: string): ReminderStep | null {
  let chosen: ReminderStep | null = null;
  for (const step of REMINDER_STEPS) {
    const day = addDays(invoice.dueDate, STEP_OFFSET_DAYS[step]);
    if (day <= today && day > invoice.invoiceDate) chosen = step;
  }
  return chosen;
}
