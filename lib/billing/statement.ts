/**
 * The account statement: for a period, the balance brought forward, every invoice, credit note
 * and payment in date order with a running balance, the account credit, and the balance carried
 * forward. The computation is pure (a history in, a statement out); statementHistory reads the
 * history for one account.
 *
 * The balance on a day is what the account owes then, less what it holds in credit:
 *
 *   balance(D) = Σ invoices dated ≤ D − Σ credit notes dated ≤ D − Σ money received settled ≤ D
 *
 * which is the sum of the invoices' outstanding amounts less account credit, both as derived in
 * lib/invoices/balance.ts and lib/payments/credit.ts (a payment from account credit moves money
 * from one to the other and leaves the balance as it is). So for a period that ends today the
 * closing balance is the invoice list's Total outstanding less account credit.
 */
import { addDays } from "@/lib/dates";

export type HistoryInvoice = {
  id: string;
  number: number;
  type: "invoice" | "credit_note";
  /** The invoice date (ISO calendar date). */
  date: string;
  totalMinor: bigint;
  /** For a credit note: the invoice it credits. */
  creditsInvoiceId: string | null;
};

export type HistoryPayment = {
  id: string;
  /** The day it settled, in the account's time zone. */
  date: string;
  method: "card" | "bank_transfer" | "account_credit";
  amountMinor: bigint;
  allocations: { invoiceId: string; amountMinor: bigint }[];
};

/** An account's succeeded payments and its documents, in its currency. */
export type AccountHistory = { invoices: HistoryInvoice[]; payments: HistoryPayment[] };

export type StatementRow = {
  date: string;
  kind: "invoice" | "credit_note" | "payment";
  /** The invoice's or credit note's number; for a payment, null. */
  number: number | null;
  /** For a payment: how it was paid. */
  method: HistoryPayment["method"] | null;
  /** For a payment: the invoices it settled; for a credit note: the invoice it credits. */
  invoiceNumbers: number[];
  /** What it adds to the balance: an invoice is positive, a credit note or a payment negative. */
  amountMinor: bigint;
  balanceMinor: bigint;
};

export type Statement = {
  from: string;
  to: string;
  openingMinor: bigint;
  rows: StatementRow[];
  /** Money received that no invoice needed, as of the period's end. */
  accountCreditMinor: bigint;
  /** What the invoices still asked for at the period's end. */
  outstandingMinor: bigint;
  closingMinor: bigint;
};

/** Payments from account credit bring no new money: they only apply credit to an invoice. */
const bringsMoney = (p: HistoryPayment) => p.method !== "account_credit";

/** The balance at the end of `date`. */
export function balanceAt(history: AccountHistory, date: string): bigint {
  let balance = 0n;
  for (const i of history.invoices) if (i.date <= date) balance += i.type === "invoice" ? i.totalMinor : -i.totalMinor;
  for (const p of history.payments) if (p.date <= date && bringsMoney(p)) balance -= p.amountMinor;
  return balance;
}

/**
 * Outstanding and account credit at the end of `date`, by the rules of lib/invoices/balance.ts
 * (outstanding = total − settled − credited, never below 0) and lib/payments/credit.ts (credit =
 * received − what the invoices could take of their allocations, never below 0).
 */
export function positionAt(history: AccountHistory, date: string): { outstandingMinor: bigint; creditMinor: bigint } {
  const credited = new Map<string, bigint>();
  const settled = new Map<string, bigint>();
  const add = (m: Map<string, bigint>, key: string, v: bigint) => m.set(key, (m.get(key) ?? 0n) + v);
  for (const i of history.invoices) if (i.type === "credit_note" && i.creditsInvoiceId && i.date <= date) add(credited, i.creditsInvoiceId, i.totalMinor);
  let receivedMinor = 0n;
  for (const p of history.payments) {
    if (p.date > date) continue;
    if (bringsMoney(p)) receivedMinor += p.amountMinor;
    for (const a of p.allocations) add(settled, a.invoiceId, a.amountMinor);
  }
  let outstandingMinor = 0n;
  let appliedMinor = 0n;
  for (const i of history.invoices) {
    if (i.type !== "invoice") continue;
    const asked = max(i.totalMinor - (credited.get(i.id) ?? 0n), 0n);
    const paid = settled.get(i.id) ?? 0n;
    appliedMinor += paid < asked ? paid : asked;
    if (i.date <= date) outstandingMinor += max(asked - paid, 0n);
  }
  return { outstandingMinor, creditMinor: max(receivedMinor - appliedMinor, 0n) };
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const KIND_ORDER = { invoice: 0, credit_note: 1, payment: 2 } as const;

/** The statement of `history` for the period from `from` to `to` (ISO dates, both included). */
export function buildStatement(history: AccountHistory, from: string, to: string): Statement {
  const numberOf = new Map(history.invoices.map((i) => [i.id, i.number]));
  const entries: Omit<StatementRow, "balanceMinor">[] = [];
  for (const i of history.invoices) {
    if (i.date < from || i.date > to) continue;
    const credits = i.creditsInvoiceId ? numberOf.get(i.creditsInvoiceId) : undefined;
    entries.push({
      date: i.date,
      kind: i.type,
      number: i.number,
      method: null,
      invoiceNumbers: credits === undefined ? [] : [credits],
      amountMinor: i.type === "invoice" ? i.totalMinor : -i.totalMinor,
    });
  }
  for (const p of history.payments) {
    if (p.date < from || p.date > to || !bringsMoney(p)) continue;
    const invoiceNumbers = p.allocations.flatMap((a) => numberOf.get(a.invoiceId) ?? []).sort((a, b) => a - b);
    entries.push({ date: p.date, kind: "payment", number: null, method: p.method, invoiceNumbers, amountMinor: -p.amountMinor });
  }
  entries.sort((a, b) => a.date.localeCompare(b.date) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.number ?? 0) - (b.number ?? 0));
  const openingMinor = balanceAt(history, addDays(from, -1));
  let balanceMinor = openingMinor;
  const rows = entries.map((e) => ({ ...e, balanceMinor: (balanceMinor += e.amountMinor) }));
  const position = positionAt(history, to);
  return { from, to, openingMinor, rows, accountCreditMinor: position.creditMinor, outstandingMinor: position.outstandingMinor, closingMinor: balanceMinor };
}
