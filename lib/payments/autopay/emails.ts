/**
 * Queues the automatic payment emails in the transaction that records their cause, to the
 * account's verified Billing addresses (none: nothing is queued). Each has a dedupe key, so a
 * repeated or concurrent run queues it once. The failure email takes the place of the payment
 * reminder due that day: it is queued under that reminder's key, so the reminder run sees the step
 * as sent and goes on with the later ones.
 */
import type { Transaction } from "@/db/client";
import type { Language } from "@/db/schema";
import { chargeFailedEmail, chargeNoticeEmail, chargeReceiptEmail } from "@/lib/email/autopay-templates";
import { billingRecipients, enqueueEmail } from "@/lib/email/outbox";
import { reminderDedupeKey, reminderStepFor } from "@/lib/email/reminder-steps";
import { appBaseUrl, invoiceUrl } from "@/lib/email/templates";
import { providerDetails } from "@/lib/provider";
import { maskedCardLabel } from "../card-label";

export type ChargeEmailFacts = {
  accountId: string;
  accountName: string;
  language: Language;
  invoiceId: string;
  number: number;
  currency: string;
  amountMinor: bigint;
  card: { brand: string; last4: string };
};

const facts = (f: ChargeEmailFacts) => ({
  language: f.language,
  number: f.number,
  accountName: f.accountName,
  providerName: providerDetails().name,
  currency: f.currency,
  amountMinor: f.amountMinor,
  cardLabel: maskedCardLabel(f.card),
});

type Kind = "notice" | "payment_receipt" | "reminder";

/**
 * Whether the email was queued (false: no Billing address, or queued before). Tries the dedupe
 * keys in order: a later one is used only when an earlier one was taken by another email.
 */
async function queue(tx: Transaction, f: ChargeEmailFacts, kind: Kind, dedupeKeys: string[], content: { subject: string; textBody: string; htmlBody: string }): Promise<boolean> {
  const recipients = await billingRecipients(tx, f.accountId);
  if (recipients.length === 0) return false;
  const attachInvoice = kind === "reminder" ? f.invoiceId : null;
  for (const dedupeKey of dedupeKeys) {
    if (await enqueueEmail(tx, { accountId: f.accountId, kind, recipients, ...content, invoiceId: attachInvoice, dedupeKey })) return true;
  }
  return false;
}

export const noticeDedupeKey = (invoiceId: string) => `autopay-notice:${invoiceId}`;

export function queueChargeNotice(tx: Transaction, f: ChargeEmailFacts, chargeDate: string): Promise<boolean> {
  return queue(tx, f, "notice", [noticeDedupeKey(f.invoiceId)], chargeNoticeEmail({ ...facts(f), chargeDate, url: invoiceUrl(f.number) }));
}

export function queueChargeReceipt(tx: Transaction, f: ChargeEmailFacts, paymentId: string, chargedOn: string): Promise<boolean> {
  const receiptUrl = `${appBaseUrl()}/payments/${paymentId}/receipt`;
  return queue(tx, f, "payment_receipt", [`autopay-receipt:${paymentId}`], chargeReceiptEmail({ ...facts(f), chargedOn, receiptUrl }));
}

/** The Pay dialog of the invoice, which offers the saved card and the hosted page. */
export const invoicePayUrl = (number: number) => `${invoiceUrl(number)}?pay=${number}`;

export function queueChargeFailed(
  tx: Transaction,
  f: ChargeEmailFacts,
  failure: { invoiceDate: string; dueDate: string; chargedOn: string; reason: string; authenticationUrl: string | null },
): Promise<boolean> {
  const step = reminderStepFor({ invoiceDate: failure.invoiceDate, dueDate: failure.dueDate }, failure.chargedOn);
  // The reminder's own key when that reminder has not gone out (before automatic payment was on); else the failure's.
  const failedKey = `autopay-failed:${f.invoiceId}`;
  const dedupeKeys = step ? [reminderDedupeKey(f.invoiceId, step), failedKey] : [failedKey];
  const content = chargeFailedEmail({
    ...facts(f),
    chargedOn: failure.chargedOn,
    reason: failure.reason,
    payUrl: failure.authenticationUrl ?? invoicePayUrl(f.number),
    needsAuthentication: failure.authenticationUrl !== null,
  });
  return queue(tx, f, "reminder", dedupeKeys, content);
}
