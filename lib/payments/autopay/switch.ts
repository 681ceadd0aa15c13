/**
 * Turning automatic payment on and off (Settings), and what turning it on will charge. It can be
 * on only with a saved card: checked here, in the transaction that turns it on, with the account
 * row locked (removing the card locks it too), whatever the form sent.
 */
import { and, eq, sql } from "drizzle-orm";
import { rows, type Executor, type Transaction } from "@/db/client";
import { accounts, savedCards } from "@/db/schema";
import { audit } from "@/lib/audit";
import { accountToday } from "@/lib/dates";
import { outstandingMinorSql, paymentUnderWaySql } from "@/lib/invoices/balance";
import { cardNoticeDue } from "../card-notices";
import { attemptsOverSql, historyColumnsSql, historyJoinSql, historyOf, type HistoryRow } from "./due";
import { nextCharge, previewChargeDate } from "./schedule";

export const NEEDS_SAVED_CARD = "Automatic payment needs a saved card. Add a card first.";
export const SAVED_CARD_EXPIRED = "The saved card has expired. Add a new card first.";

/**
 * Sets the switch in the caller's transaction (the account row locked by it). Returns an error
 * message when it cannot be on; writes an audit row when it changed.
 */
export async function switchAutomaticPayment(tx: Transaction, accountId: string, actorUserId: string, on: boolean): Promise<{ ok: true } | { ok: false; message: string }> {
  if (on) {
    const [card] = await tx
      .select({ expMonth: savedCards.expMonth, expYear: savedCards.expYear, timeZone: accounts.timeZone })
      .from(savedCards)
      .innerJoin(accounts, eq(accounts.id, savedCards.accountId))
      .where(eq(savedCards.accountId, accountId))
      .limit(1);
    if (!card) return { ok: false, message: NEEDS_SAVED_CARD };
    // The run would turn it off again before charging anything (card notices): refuse it here, with a reason.
    if (cardNoticeDue(card, accountToday(card.timeZone)) === "expired") return { ok: false, message: SAVED_CARD_EXPIRED };
  }
  const changed = await tx
    .update(accounts)
    .set({ automaticPayment: on, updatedAt: sql`now()` })
    .where(and(eq(accounts.id, accountId), eq(accounts.automaticPayment, !on)))
    .returning({ id: accounts.id });
  if (changed.length > 0) {
    await audit(tx, {
      accountId,
      actorUserId,
      action: on ? "automatic_payment.turned_on" : "automatic_payment.turned_off",
      entityType: "account",
      entityId: accountId,
      before: { automaticPayment: !on },
      after: { automaticPayment: on },
    });
  }
  return { ok: true };
}

/** `atNextRun`: the day of its next attempt has passed, so the next run charges it. */
export type AutopayPreviewRow = { number: number; currency: string; outstandingMinor: bigint; dueDate: string; chargeDate: string; atNextRun: boolean };

/**
 * The outstanding invoices automatic payment would charge if turned on now, and when: the day of
 * the next attempt the run would make (schedule.ts nextCharge: the due date, or a soft decline's
 * retry day), or the next run when that day has passed. Not those with a payment under way, nor
 * those whose automatic attempts have ended (due.ts attemptsOverSql, as the run).
 */
export async function automaticPaymentPreview(db: Executor, accountId: string, today: string): Promise<AutopayPreviewRow[]> {
  const found = await rows<HistoryRow & { number: string | number; currency: string; outstanding: string; due_date: string }>(
    db,
    sql`select invoices.number, invoices.currency, (${outstandingMinorSql})::text as outstanding, invoices.due_date::text as due_date,
               ${historyColumnsSql}
        from invoices
        ${historyJoinSql}
        where invoices.account_id = ${accountId}::uuid and invoices.type = 'invoice'
          and ${outstandingMinorSql} > 0 and not ${paymentUnderWaySql}
          and not exists (select 1 from autopay_attempts x where x.invoice_id = invoices.id and ${attemptsOverSql})
        order by invoices.due_date, invoices.number
        limit 200`,
  );
  return found.flatMap((r) => {
    const next = nextCharge(r.due_date, historyOf(r));
    if (!next) return [];
    const chargeDate = previewChargeDate(next.chargeDate, today);
    const row = { number: Number(r.number), currency: r.currency, outstandingMinor: BigInt(r.outstanding), dueDate: r.due_date };
    return [{ ...row, chargeDate, atNextRun: next.chargeDate < today }];
  });
}
