/**
 * Bank transfers: `npm run payments:import -- statement.csv` settles the invoices a bank
 * statement's lines pay.
 *
 * The statement is a CSV file with a header row naming the columns `date` (YYYY-MM-DD),
 * `amount` (a decimal in major units, "1234.56", at most the currency's minor digits; no sign,
 * no thousands separators), `reference` (the invoice's payment reference: its number and a Luhn
 * check digit) and optionally `currency` (default: the invoice's). Other columns are ignored;
 * a `;` separator is accepted when the header uses it.
 *
 * Each line is applied in its own transaction: the invoice is locked, a `bank_transfer`
 * payment is recorded as succeeded on the statement date, and min(amount, outstanding) is
 * allocated to the invoice; the rest stays unallocated on the payment, which is account credit
 * (lib/payments/credit.ts) — an outstanding amount never goes below 0. The payment's
 * provider_reference is a hash of (date, amount, reference, the line's occurrence among
 * identical lines of the file), and (provider, provider_reference) is unique: importing the same
 * statement again, or an overlapping one, settles nothing twice.
 */
import crypto from "node:crypto";
import { parse } from "csv-parse/sync";
import { and, eq, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { invoices, paymentAllocations, payments } from "@/db/schema";
import { audit } from "@/lib/audit";
import { isIsoDate } from "@/lib/dates";
import { outstandingMinorSql } from "@/lib/invoices/balance";
import { minorDigits, PLAIN_AMOUNT, parsePositiveMinor, toDecimalString } from "@/lib/money";
import { luhnCheckDigit } from "@/lib/luhn";
import { parsePaymentReference } from "@/lib/reference";
import { openPaymentIdFor } from "./engine";

/** The file itself cannot be read as a statement (the CLI exits non-zero). */
export class BankStatementError extends Error {
  override readonly name = "BankStatementError";
}

export type StatementLine = {
  /** Line number in the file (1 = the header). */
  line: number;
  date: string;
  amount: string;
  reference: string;
  currency: string | null;
};

const REQUIRED = ["date", "amount", "reference"] as const;
const MAX_LINES = 100_000;

/** Reads a statement; throws BankStatementError when the file is not a statement at all. */
export function parseStatement(input: string | Buffer): StatementLine[] {
  const text = typeof input === "string" ? input : input.toString("utf8");
  const firstLine = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  const delimiter = !firstLine.includes(",") && firstLine.includes(";") ? ";" : ",";
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, delimiter, info: true, trim: true, skip_empty_lines: true, relax_column_count: false }) as unknown as typeof records;
  } catch (err) {
    throw new BankStatementError(`The file is not a readable CSV file: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (records.length === 0) throw new BankStatementError("The file is empty: expected a header row with date, amount, reference.");
  const header = records[0]!.record.map((h) => h.toLowerCase());
  const index = (name: string) => header.indexOf(name);
  const missing = REQUIRED.filter((name) => index(name) < 0);
  if (missing.length) {
    throw new BankStatementError(`The header row must name the columns date, amount and reference (missing: ${missing.join(", ")}).`);
  }
  if (records.length - 1 > MAX_LINES) throw new BankStatementError(`At most ${MAX_LINES} lines per statement.`);
  const [iDate, iAmount, iReference, iCurrency] = [index("date"), index("amount"), index("reference"), index("currency")];
  return records.slice(1).map(({ record, info }) => ({
    line: info.lines,
    date: record[iDate] ?? "",
    amount: record[iAmount] ?? "",
    reference: record[iReference] ?? "",
    currency: iCurrency >= 0 && record[iCurrency] ? record[iCurrency]!.toUpperCase() : null,
  }));
}

const AMOUNT = PLAIN_AMOUNT;

/** "1234.5" → "1234.5", "01234.50" → "1234.5": the same amount always hashes the same. */
function canonicalAmount(amount: string): string {
  const m = AMOUNT.exec(amount);
  if (!m) return amount;
  const whole = m[1]!.replace(/^0+(?=\d)/, "");
  const frac = (m[2] ?? "").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : whole;
}

/** A statement amount in minor units of `currency`, exactly; null when it is not one. */
export const parseStatementAmount = parsePositiveMinor;

function cleanReference(reference: string): string {
  return reference.replace(/[\s-]/g, "");
}

export type UnmatchedReason =
  | "bad_date"
  | "unparsable_amount"
  | "bad_check_digit"
  | "unknown_reference"
  | "currency_mismatch";

export type LineResult = StatementLine & { message: string } & (
    | {
        /** Paid (part of) the invoice; any rest is account credit. */
        status: "settled";
        invoiceNumber: number;
        paymentId: string;
        amountMinor: bigint;
        allocatedMinor: bigint;
        creditMinor: bigint;
        currency: string;
      }
    | {
        /** The invoice had nothing outstanding: the whole amount became account credit. */
        status: "credited";
        invoiceNumber: number;
        paymentId: string;
        amountMinor: bigint;
        allocatedMinor: 0n;
        creditMinor: bigint;
        currency: string;
      }
    | { status: "already_imported"; invoiceNumber: number; paymentId: string | null }
    | { status: "unmatched"; reason: UnmatchedReason }
  );

export type ImportReport = {
  lines: LineResult[];
  counts: { settled: number; credited: number; already_imported: number; unmatched: number };
};

/** Stable id of a statement line: the same line in a later import is recognised. */
function lineKey(l: StatementLine): string {
  return `${l.date}\n${canonicalAmount(l.amount)}\n${cleanReference(l.reference)}`;
}

function providerReferenceFor(key: string, occurrence: number): string {
  return "stmt_" + crypto.createHash("sha256").update(`${key}\n${occurrence}`).digest("hex").slice(0, 40);
}

/** Noon UTC: the statement's calendar date shows as the same date in every panel time zone in use. */
function settledAtFor(date: string): Date {
  return new Date(`${date}T12:00:00.000Z`);
}

export type ImportOptions = {
  /** Shown in the run's audit row. */
  source?: string;
  actorUserId?: string | null;
  /** Lines dated after this day are refused (default: tomorrow, UTC, to allow for time zones). */
  latestDate?: string;
};

/** Applies a parsed statement; every line gets a result, nothing throws for a bad line. */
export async function importStatementLines(db: Database, lines: StatementLine[], opts: ImportOptions = {}): Promise<ImportReport> {
  const latest = opts.latestDate ?? new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const seen = new Map<string, number>();
  const results: LineResult[] = [];
  for (const l of lines) {
    const key = lineKey(l);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    results.push(await importLine(db, l, providerReferenceFor(key, occurrence), latest, opts.actorUserId ?? null));
  }
  const counts = { settled: 0, credited: 0, already_imported: 0, unmatched: 0 };
  for (const r of results) counts[r.status]++;
  await audit(db, {
    accountId: null,
    actorUserId: opts.actorUserId ?? null,
    action: "bank_statement.imported",
    entityType: "bank_statement",
    entityId: opts.source ?? null,
    after: {
      counts,
      unmatched: results.flatMap((r) => (r.status === "unmatched" ? [{ line: r.line, reference: r.reference, reason: r.reason }] : [])),
    },
  });
  return { lines: results, counts };
}

/** Reads and applies a CSV statement (throws BankStatementError only for a bad file). */
export async function importBankStatement(db: Database, csv: string | Buffer, opts: ImportOptions = {}): Promise<ImportReport> {
  return importStatementLines(db, parseStatement(csv), opts);
}

type Unmatched = { reason: UnmatchedReason; message: string };
type LockedInvoice = { id: string; accountId: string; number: number; currency: string };
/** What a transfer did to its invoice. */
type Applied = { outstandingMinor: bigint; allocatedMinor: bigint; creditMinor: bigint; openCardPaymentId: string | null };

async function importLine(db: Database, l: StatementLine, providerReference: string, latestDate: string, actorUserId: string | null): Promise<LineResult> {
  const unmatched = (problem: Unmatched): LineResult => ({ ...l, status: "unmatched", ...problem });
  const checked = checkLine(l, latestDate);
  if ("reason" in checked) return unmatched(checked);

  return db.transaction(async (tx): Promise<LineResult> => {
    const found = await lockInvoice(tx, l, checked.invoiceNumber);
    if ("reason" in found) return unmatched(found);
    const { invoice, currency, amountMinor } = found;
    const paymentId = await insertTransfer(tx, invoice.accountId, l.date, amountMinor, currency, providerReference);
    if (paymentId === null) {
      const [existing] = await tx
        .select({ id: payments.id })
        .from(payments)
        .where(and(eq(payments.provider, "bank_transfer"), eq(payments.providerReference, providerReference)));
      return { ...l, status: "already_imported", invoiceNumber: invoice.number, paymentId: existing?.id ?? null, message: "Imported before: nothing changed." };
    }
    const applied = await allocateTransfer(tx, invoice.id, paymentId, amountMinor);
    await auditTransfer(tx, { line: l, invoice, paymentId, amountMinor, currency, applied, actorUserId });
    return transferResult(l, invoice.number, paymentId, amountMinor, currency, applied);
  });
}

/** The checks that need no database: date, amount, and the reference's check digit. */
function checkLine(l: StatementLine, latestDate: string): Unmatched | { invoiceNumber: number } {
  if (!isIsoDate(l.date) || l.date > latestDate) return { reason: "bad_date", message: `The date "${l.date}" is not a date like 2026-11-25 (or it lies in the future).` };
  if (!AMOUNT.test(l.amount) || /^0+(\.0+)?$/.test(l.amount)) {
    return { reason: "unparsable_amount", message: `The amount "${l.amount}" is not a positive decimal like 1234.56.` };
  }
  const cleaned = cleanReference(l.reference);
  if (!/^\d{2,16}$/.test(cleaned)) return { reason: "unknown_reference", message: `"${l.reference}" is not a payment reference.` };
  const invoiceNumber = parsePaymentReference(cleaned);
  if (invoiceNumber === null) {
    const base = cleaned.slice(0, -1);
    return {
      reason: "bad_check_digit",
      message: `The check digit of "${l.reference}" is wrong (invoice ${base} has reference ${base}${luhnCheckDigit(base)}); the reference was probably mistyped.`,
    };
  }
  return { invoiceNumber };
}

/**
 * Locks the invoice the line pays and checks its currency and amount. Lock first, then read the
 * balance in a new statement: it sees every payment committed before the lock was granted.
 */
async function lockInvoice(tx: Transaction, l: StatementLine, invoiceNumber: number): Promise<Unmatched | { invoice: LockedInvoice; currency: string; amountMinor: bigint }> {
  const [invoice] = await tx
    .select({ id: invoices.id, accountId: invoices.accountId, number: invoices.number, currency: invoices.currency })
    .from(invoices)
    .where(and(eq(invoices.number, invoiceNumber), eq(invoices.type, "invoice")))
    .for("update");
  if (!invoice) return { reason: "unknown_reference", message: `No invoice has the reference "${l.reference}".` };
  const currency = l.currency ?? invoice.currency;
  if (currency !== invoice.currency) {
    return { reason: "currency_mismatch", message: `The transfer is in ${currency} but invoice ${invoice.number} is in ${invoice.currency}.` };
  }
  const amountMinor = parseStatementAmount(l.amount, currency);
  if (amountMinor === null) {
    return { reason: "unparsable_amount", message: `The amount "${l.amount}" has more decimals than ${currency} allows (${minorDigits(currency)}).` };
  }
  return { invoice, currency, amountMinor };
}

/** The succeeded bank_transfer payment; null when this line was imported before. */
async function insertTransfer(tx: Transaction, accountId: string, date: string, amountMinor: bigint, currency: string, providerReference: string): Promise<string | null> {
  const [inserted] = await tx
    .insert(payments)
    .values({
      accountId,
      provider: "bank_transfer",
      method: "bank_transfer",
      state: "succeeded",
      amountMinor,
      currency,
      providerReference,
      settledAt: settledAtFor(date),
    })
    .onConflictDoNothing()
    .returning({ id: payments.id });
  return inserted?.id ?? null;
}

/** Allocates min(amount, outstanding) to the invoice; the rest stays on the payment as credit. */
async function allocateTransfer(tx: Transaction, invoiceId: string, paymentId: string, amountMinor: bigint): Promise<Applied> {
  const [balance] = await tx.select({ outstanding: sql<string>`${outstandingMinorSql}` }).from(invoices).where(eq(invoices.id, invoiceId));
  const outstandingMinor = BigInt(balance!.outstanding);
  const allocatedMinor = amountMinor < outstandingMinor ? amountMinor : outstandingMinor;
  if (allocatedMinor > 0n) {
    await tx.insert(paymentAllocations).values({ paymentId, invoiceId, amountMinor: allocatedMinor });
  }
  // A card payment still open for this invoice: if it also succeeds, its amount becomes credit too.
  const openCardPaymentId = await openPaymentIdFor(tx, invoiceId);
  return { outstandingMinor, allocatedMinor, creditMinor: amountMinor - allocatedMinor, openCardPaymentId };
}

async function auditTransfer(
  tx: Transaction,
  t: { line: StatementLine; invoice: LockedInvoice; paymentId: string; amountMinor: bigint; currency: string; applied: Applied; actorUserId: string | null },
): Promise<void> {
  const { line: l, invoice, paymentId, amountMinor, currency, actorUserId } = t;
  const { outstandingMinor, allocatedMinor, creditMinor, openCardPaymentId } = t.applied;
  const facts = {
    statementLine: l.line,
    date: l.date,
    reference: l.reference,
    invoice: invoice.number,
    amountMinor,
    currency,
    outstandingBeforeMinor: outstandingMinor,
    allocatedMinor,
    creditMinor,
    openCardPaymentId,
  };
  await audit(tx, {
    accountId: invoice.accountId,
    actorUserId,
    action: "payment.bank_transfer_received",
    entityType: "payment",
    entityId: paymentId,
    before: { invoice: invoice.number, outstandingMinor },
    after: { ...facts, state: "succeeded", outstandingAfterMinor: outstandingMinor - allocatedMinor },
  });
  if (creditMinor > 0n) {
    await audit(tx, {
      accountId: invoice.accountId,
      actorUserId,
      action: "account_credit.added",
      entityType: "account",
      entityId: invoice.accountId,
      after: { paymentId, creditMinor, currency, reason: allocatedMinor > 0n ? "overpayment" : "invoice_already_paid", invoice: invoice.number },
    });
  }
}

/** The line's result and the sentence the CLI prints for it. */
function transferResult(l: StatementLine, invoiceNumber: number, paymentId: string, amountMinor: bigint, currency: string, applied: Applied): LineResult {
  const { outstandingMinor, allocatedMinor, creditMinor } = applied;
  const money = (m: bigint) => `${toDecimalString(m, currency)} ${currency}`;
  const note = applied.openCardPaymentId ? " A card payment for this invoice is still in progress; if it also succeeds, it becomes account credit." : "";
  if (allocatedMinor === 0n) {
    return {
      ...l,
      status: "credited",
      invoiceNumber,
      paymentId,
      amountMinor,
      allocatedMinor: 0n,
      creditMinor,
      currency,
      message: `Invoice ${invoiceNumber} was already paid: the whole ${money(amountMinor)} became account credit.${note}`,
    };
  }
  return {
    ...l,
    status: "settled",
    invoiceNumber,
    paymentId,
    amountMinor,
    allocatedMinor,
    creditMinor,
    currency,
    message:
      (allocatedMinor === outstandingMinor ? `Invoice ${invoiceNumber} is paid` : `Invoice ${invoiceNumber} is partly paid: ${money(outstandingMinor - allocatedMinor)} still outstanding`) +
      (creditMinor > 0n ? `; ${money(creditMinor)} overpaid became account credit.` : ".") +
      note,
  };
}
