/** The Dashboard's spend insight for the current viewer: invoice access Read or Full only. */
import "server-only";
import { getDb } from "@/db/client";
import { getMonthSpend } from "@/lib/billing/month-spend";
import { cachedSpendHistory } from "@/lib/billing/spend-history";
import { viewerToday } from "./invoices";
import { canReadInvoices, type Viewer } from "./session";

/** The month so far, its forecast and the last 24 months; null for invoice access None. */
export async function getSpendInsight(viewer: Viewer) {
  if (!canReadInvoices(viewer)) return null;
  const db = getDb();
  const today = viewerToday(viewer);
  const [month, history] = await Promise.all([getMonthSpend(db, viewer.account.id, today), cachedSpendHistory(db, viewer.account.id, today, viewer.account)]);
  return { today, month, history };
}
