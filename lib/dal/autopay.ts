/**
 * Automatic payment for the panel (the Settings preview) and for the cron route (the hourly run),
 * which has no session: the route has checked the bearer secret first.
 */
import "server-only";
import { databaseReady, getDb } from "@/db/client";
import { accountToday } from "@/lib/dates";
import { formatMoney } from "@/lib/money";
import { getPaymentProvider } from "@/lib/payments";
import { runAutomaticPayments, type AutopayOptions } from "@/lib/payments/autopay/run";
import { automaticPaymentPreview } from "@/lib/payments/autopay/switch";
import { canReadBilling, type Viewer } from "./session";

/** What turning automatic payment on would charge, formatted for the confirm step; empty for invoice access None. */
export async function automaticPaymentPreviewOf(viewer: Viewer) {
  if (!canReadBilling(viewer)) return [];
  const { id, language, timeZone } = viewer.account;
  const rows = await automaticPaymentPreview(getDb(), id, accountToday(timeZone));
  return rows.map((r) => ({ number: r.number, amount: formatMoney(r.outstandingMinor, r.currency, language), chargeDate: r.chargeDate, overdue: r.atNextRun }));
}

export type AutopayPreviewItem = Awaited<ReturnType<typeof automaticPaymentPreviewOf>>[number];

/** The run, for the cron route (hourly). */
export async function runAutomaticPaymentsNow(options: Pick<AutopayOptions, "timeBudgetMs">) {
  await databaseReady();
  return runAutomaticPayments(getDb(), getPaymentProvider(), options);
}
