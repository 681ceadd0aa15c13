/**
 * Which invoices automatic payment charges, read in SQL so that every "never" is in the WHERE:
 * only the account's own invoices (never a credit note), only while automatic payment is on and
 * the account has a card saved with the configured provider, only with something outstanding and
 * no payment under way, and never past the end of its attempts. begin_card_payment checks the
 * same again under the invoices' lock before anything is charged.
 */
import { sql, type SQL } from "drizzle-orm";
import { rows, type Executor } from "@/db/client";
import type { AutopayOutcome, Language } from "@/db/schema";
import { outstandingMinorSql, paymentUnderWaySql } from "@/lib/invoices/balance";
import type { ProviderName } from "../provider";
import { FINAL_OUTCOMES, MAX_ATTEMPTS, type AttemptHistory } from "./schedule";

/** The attempt outcomes after which automatic payment tries no more (schedule.ts attemptsOver, in SQL); names the attempt `x`. */
export const attemptsOverSql = sql.raw(
  `(x.outcome in (${FINAL_OUTCOMES.map((o) => `'${o}'`).join(", ")}) or (x.outcome <> 'open' and x.attempt >= ${MAX_ATTEMPTS}))`,
);

/**
 * Account `a` has automatic payment on and its card `sc` is one the run charges: saved with the
 * configured provider and not past its expiry month on `today` (default: the account's own date;
 * after it the card notices turn automatic payment off). The one rule of the run's query and of
 * the reminders it holds back.
 */
export function chargeableCardSql(provider: ProviderName, today: string | undefined): SQL<boolean> {
  const day = today === undefined ? sql`(now() at time zone a.time_zone)::date` : sql`${today}::date`;
  return sql<boolean>`(a.automatic_payment and sc.account_id = a.id and sc.provider = ${provider}::payment_provider
    and sc.exp_year * 12 + sc.exp_month >= extract(year from ${day})::int * 12 + extract(month from ${day})::int)`;
}

/**
 * True for an invoice automatic payment will still charge: on, with a card it charges, and no
 * attempt that ended its automatic payment. Payment reminders skip these (lib/billing/remind.ts).
 * Names `invoices` unaliased, as the balance fragments do.
 */
export function autopayWillChargeSql(provider: ProviderName, today: string | undefined): SQL<boolean> {
  return sql<boolean>`(exists (
      select 1 from accounts a join saved_cards sc on ${chargeableCardSql(provider, today)}
      where a.id = invoices.account_id)
    and not exists (select 1 from autopay_attempts x where x.invoice_id = invoices.id and ${attemptsOverSql}))`;
}

/** An invoice's attempts so far as columns (with historyJoinSql in the FROM); historyOf reads them. */
export const historyColumnsSql = sql.raw(
  `(select f.charge_date::text from autopay_attempts f where f.invoice_id = invoices.id and f.attempt = 1) as first_charge_date,
   l.attempt as last_attempt, l.charge_date::text as last_charge_date, l.outcome::text as last_outcome`,
);
export const historyJoinSql = sql.raw(
  `left join lateral (select x.attempt, x.charge_date, x.outcome from autopay_attempts x where x.invoice_id = invoices.id order by x.attempt desc limit 1) l on true`,
);
export type HistoryRow = { first_charge_date: string | null; last_attempt: number | null; last_charge_date: string | null; last_outcome: AutopayOutcome | null };

export function historyOf(r: HistoryRow): AttemptHistory {
  return r.last_attempt === null || r.first_charge_date === null
    ? null
    : { firstChargeDate: r.first_charge_date, last: { attempt: Number(r.last_attempt), chargeDate: r.last_charge_date!, outcome: r.last_outcome! } };
}

export type DueCandidate = {
  invoiceId: string;
  accountId: string;
  number: number;
  dueDate: string;
  currency: string;
  outstandingMinor: bigint;
  timeZone: string;
  language: Language;
  accountName: string;
  card: { providerReference: string; customerReference: string | null; brand: string; last4: string };
  history: AttemptHistory;
};

type Row = HistoryRow & {
  id: string;
  account_id: string;
  number: string | number;
  due_date: string;
  currency: string;
  outstanding: string;
  time_zone: string;
  language: Language;
  account_name: string;
  card_reference: string;
  card_customer: string | null;
  card_brand: string;
  card_last4: string;
};

/**
 * The next batch (after `cursor` in id order) of invoices automatic payment may charge by
 * `latest` (the latest date anywhere), with their attempts so far; whether one is due today in
 * its account's time zone is schedule.ts's to say.
 */
export async function dueCandidates(
  db: Executor,
  provider: ProviderName,
  dates: { latest: string; today: string | undefined },
  cursor: string | null,
  limit: number,
): Promise<DueCandidate[]> {
  const after: SQL = cursor === null ? sql`` : sql`and invoices.id > ${cursor}::uuid`;
  const found = await rows<Row>(
    db,
    sql`select invoices.id::text as id, invoices.account_id::text as account_id, invoices.number, invoices.due_date::text as due_date,
               invoices.currency, (${outstandingMinorSql})::text as outstanding, a.time_zone, a.language, a.name as account_name,
               sc.provider_reference as card_reference, sc.provider_customer_reference as card_customer, sc.brand as card_brand, sc.last4 as card_last4,
               ${historyColumnsSql}
        from invoices
        join accounts a on a.id = invoices.account_id
        join saved_cards sc on ${chargeableCardSql(provider, dates.today)}
        ${historyJoinSql}
        where invoices.type = 'invoice' and invoices.due_date <= ${dates.latest}::date ${after}
          and ${outstandingMinorSql} > 0
          and not ${paymentUnderWaySql}
          and not exists (select 1 from autopay_attempts x where x.invoice_id = invoices.id and (x.outcome = 'open' or ${attemptsOverSql}))
        order by invoices.id
        limit ${limit}`,
  );
  return found.map((r) => ({
    ...invoiceFactsOf(r),
    card: { providerReference: r.card_reference, customerReference: r.card_customer, brand: r.card_brand, last4: r.card_last4 },
    history: historyOf(r),
  }));
}

/** The invoice's and its account's facts, as both candidate queries select them. */
function invoiceFactsOf(r: Pick<Row, "id" | "account_id" | "number" | "due_date" | "currency" | "outstanding" | "time_zone" | "language" | "account_name">) {
  return {
    invoiceId: r.id,
    accountId: r.account_id,
    number: Number(r.number),
    dueDate: r.due_date,
    currency: r.currency,
    outstandingMinor: BigInt(r.outstanding),
    timeZone: r.time_zone,
    language: r.language,
    accountName: r.account_name,
  };
}

export type NoticeCandidate = Omit<DueCandidate, "history" | "card"> & { card: { brand: string; last4: string } };

/**
 * Invoices automatic payment will charge for the first time within the notice window by
 * `latest`, with no attempt yet: whether the notice is due today is the caller's to say.
 */
export async function noticeCandidates(
  db: Executor,
  provider: ProviderName,
  dates: { latest: string; earliestToday: string; today: string | undefined },
  noticeDays: number,
): Promise<NoticeCandidate[]> {
  const found = await rows<Omit<Row, "card_reference" | "card_customer" | "first_charge_date" | "last_attempt" | "last_charge_date" | "last_outcome">>(
    db,
    sql`select invoices.id::text as id, invoices.account_id::text as account_id, invoices.number, invoices.due_date::text as due_date,
               invoices.currency, (${outstandingMinorSql})::text as outstanding, a.time_zone, a.language, a.name as account_name,
               sc.brand as card_brand, sc.last4 as card_last4
        from invoices
        join accounts a on a.id = invoices.account_id
        join saved_cards sc on ${chargeableCardSql(provider, dates.today)}
        where invoices.type = 'invoice'
          and invoices.due_date - ${noticeDays}::int <= ${dates.latest}::date and invoices.due_date > ${dates.earliestToday}::date
          and ${outstandingMinorSql} > 0
          and not exists (select 1 from autopay_attempts x where x.invoice_id = invoices.id)
        order by invoices.id`,
  );
  return found.map((r) => ({ ...invoiceFactsOf(r), card: { brand: r.card_brand, last4: r.card_last4 } }));
}
