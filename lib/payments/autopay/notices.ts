/**
 * The notice three days before automatic payment first charges an invoice: the amount, the date
 * and the card, to the Billing contacts, once per invoice (dedupe key). A notice that a run
 * missed goes out late, up to the day before the charge; none on the day of it.
 */
import type { Database } from "@/db/client";
import { accountToday, todayPerTimeZone } from "@/lib/dates";
import { PROVIDER_TIME_ZONE } from "@/lib/provider";
import type { ProviderName } from "../provider";
import { noticeCandidates } from "./due";
import { queueChargeNotice } from "./emails";
import { NOTICE_DAYS_BEFORE, noticeDate } from "./schedule";

/** Queues the notices due; the number queued. `latest` and `earliest` bound today's date anywhere on Earth. */
export async function queueNotices(db: Database, opts: { provider: ProviderName; today?: string; latest: string; earliest: string }): Promise<number> {
  const today = todayPerTimeZone(opts.today, () => accountToday(PROVIDER_TIME_ZONE));
  const dates = { latest: opts.latest, earliestToday: opts.earliest, today: opts.today };
  const candidates = (await noticeCandidates(db, opts.provider, dates, NOTICE_DAYS_BEFORE)).filter((c) => {
    const t = today(c.timeZone);
    return noticeDate(c.dueDate) <= t && t < c.dueDate;
  });
  if (candidates.length === 0) return 0;
  return db.transaction(async (tx) => {
    let queued = 0;
    for (const c of candidates) {
      const facts = { ...c, amountMinor: c.outstandingMinor };
      if (await queueChargeNotice(tx, facts, c.dueDate)) queued++;
    }
    return queued;
  });
}
