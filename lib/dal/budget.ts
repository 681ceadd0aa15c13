/** The account's Monthly budget for the current viewer: seen with invoice access Read or Full, changed only with Full. */
import "server-only";
import { getDb } from "@/db/client";
import type { Language } from "@/db/schema";
import { budgetOfMonth, monthlyBudgetOf, updateMonthlyBudget, type BudgetAlertSent, type BudgetChange } from "@/lib/account/budget";
import { accountToday, formatDateTime, startOfMonth } from "@/lib/dates";
import { formatMoney, toDecimalString } from "@/lib/money";
import { canManageBilling, canReadBilling, FULL_ACCESS_REQUIRED, type Viewer } from "./session";

export async function saveViewerMonthlyBudget(viewer: Viewer, budgetMinor: bigint | null): Promise<BudgetChange> {
  if (!canManageBilling(viewer)) return { ok: false, message: FULL_ACCESS_REQUIRED };
  return updateMonthlyBudget(getDb(), viewer.account.id, viewer.userId, budgetMinor);
}

export type BudgetSettingsView = {
  currency: string;
  /** The saved budget as the field shows it ("1000.00", "1000,00"), or "" when none is set. */
  inputValue: string;
  /** "1,000.00 EUR", or null when none is set. */
  amountText: string | null;
  /** This month's alerts, worded: "80 % of the budget: sent 7 Dec 2026, 08:00". */
  alerts: { thresholdPercent: number; text: string }[];
};

function alertText(alert: BudgetAlertSent, timeZone: string, language: Language): string {
  const queued = formatDateTime(alert.queuedAt, timeZone, language);
  if (alert.status === "sent" && alert.sentAt) return `sent ${formatDateTime(alert.sentAt, timeZone, language)}`;
  if (alert.status === "no_billing_address") return `reached ${queued}; not sent, as no verified address has the Billing role`;
  if (alert.status === "failed") return `queued ${queued}; sending failed`;
  return `queued ${queued}, waiting to be sent`;
}

/** The budget part of Settings, formatted for the form; read with invoice access Read or Full. */
export async function budgetSettingsOf(viewer: Viewer): Promise<BudgetSettingsView | null> {
  if (!canReadBilling(viewer)) return null;
  const { timeZone, language } = viewer.account;
  const budget = await budgetOfMonth(getDb(), viewer.account.id, startOfMonth(accountToday(timeZone)));
  if (!budget) return null;
  const { monthlyBudgetMinor, currency } = budget;
  const decimal = monthlyBudgetMinor === null ? "" : toDecimalString(monthlyBudgetMinor, currency);
  return {
    currency,
    inputValue: language === "sv" ? decimal.replace(".", ",") : decimal,
    amountText: monthlyBudgetMinor === null ? null : formatMoney(monthlyBudgetMinor, currency, language),
    alerts: budget.alerts.map((a) => ({ thresholdPercent: a.thresholdPercent, text: `${a.thresholdPercent} % of the budget: ${alertText(a, timeZone, language)}` })),
  };
}

/** The viewer's account's monthly budget in minor units, or null when none is set or the viewer may not see spend. */
export async function getViewerMonthlyBudget(viewer: Viewer): Promise<bigint | null> {
  if (!canReadBilling(viewer)) return null;
  return monthlyBudgetOf(getDb(), viewer.account.id);
}
