/**
 * The invoice list: one account's invoices, newest first, filtered by status, number and
 * invoice date, paginated by keyset on (invoice_date, number) so the last page costs what the
 * first does (index invoices_account_date_number_idx).
 */
import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { invoices } from "@/db/schema";
import { isIsoDate } from "@/lib/dates";
import { keysetPage, type KeysetPage } from "@/lib/keyset";
import { filterChoice, keysetListSchema, optionalText, parseSearchParams, type FieldErrors, type ParsedParams } from "@/lib/url-params";
import { outstandingMinorSql, paymentUnderWaySql, statusOf, type InvoiceStatus } from "./balance";
import type { InvoiceSummary } from "./summary";

export const PAGE_SIZE = 25;
export const STATUS_FILTERS = ["all", "outstanding", "overdue", "paid"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** A keyset cursor in the URL: "2026-10-01_100034" (invoice date and number of a row). */
export type Cursor = { invoiceDate: string; number: number };

export function encodeCursor(c: Cursor): string {
  return `${c.invoiceDate}_${c.number}`;
}

export function decodeCursor(value: string): Cursor | null {
  const m = /^(\d{4}-\d{2}-\d{2})_(\d{1,15})$/.exec(value);
  if (!m || !isIsoDate(m[1]!)) return null;
  return { invoiceDate: m[1]!, number: Number(m[2]) };
}

/** The list's URL parameters; every problem is reported against its field. */
export const listParamsSchema = keysetListSchema(
  {
    status: filterChoice(STATUS_FILTERS, "Choose All, Outstanding, Overdue or Paid."),
    q: optionalText.pipe(
      z.string().regex(/^\d{1,15}$/, { error: "Search by invoice number: digits only." }).optional(),
    ),
  },
  decodeCursor,
);

export type ListParams = z.infer<typeof listParamsSchema>;
export type ListParamErrors = FieldErrors<ListParams>;

export function parseListParams(raw: Record<string, unknown>): ParsedParams<ListParams> {
  return parseSearchParams(listParamsSchema, raw, { status: "all", page: 1 });
}

export type InvoiceRow = {
  number: number;
  type: "invoice" | "credit_note";
  invoiceDate: string;
  dueDate: string;
  currency: string;
  netMinor: bigint;
  vatMinor: bigint;
  totalMinor: bigint;
  outstandingMinor: bigint;
  status: InvoiceStatus;
};

export type InvoiceFilter = Pick<ListParams, "status" | "q" | "from" | "to">;

export function isFiltered(f: InvoiceFilter): boolean {
  return f.status !== "all" || Boolean(f.q || f.from || f.to);
}

/** The WHERE of a filtered list (without pagination), always scoped to the account. */
export function filterConditions(accountId: string, f: InvoiceFilter, today: string): SQL[] {
  const conditions: SQL[] = [eq(invoices.accountId, accountId)];
  if (f.q) conditions.push(sql`${invoices.number}::text like ${`${f.q}%`}`);
  if (f.from) conditions.push(gte(invoices.invoiceDate, f.from));
  if (f.to) conditions.push(lte(invoices.invoiceDate, f.to));
  if (f.status === "paid") conditions.push(sql`${outstandingMinorSql} = 0`);
  if (f.status === "outstanding") conditions.push(sql`${outstandingMinorSql} > 0`);
  if (f.status === "overdue") conditions.push(sql`${outstandingMinorSql} > 0 and ${invoices.dueDate} < ${today}::date`);
  return conditions;
}

const rowColumns = {
  number: invoices.number,
  type: invoices.type,
  invoiceDate: invoices.invoiceDate,
  dueDate: invoices.dueDate,
  currency: invoices.currency,
  netMinor: invoices.netMinor,
  vatMinor: invoices.vatMinor,
  totalMinor: invoices.totalMinor,
  outstanding: sql<string>`${outstandingMinorSql}`,
  // statusOf ignores it for a paid row; computing outstanding again here to skip the probe costs more.
  paymentUnderWay: sql<boolean>`${paymentUnderWaySql}`,
};

type RawRow = { [K in keyof typeof rowColumns]: unknown };

function toRow(r: RawRow, today: string): InvoiceRow {
  const outstandingMinor = BigInt(r.outstanding as string);
  return {
    number: Number(r.number),
    type: r.type as InvoiceRow["type"],
    invoiceDate: String(r.invoiceDate),
    dueDate: String(r.dueDate),
    currency: String(r.currency),
    netMinor: r.netMinor as bigint,
    vatMinor: r.vatMinor as bigint,
    totalMinor: r.totalMinor as bigint,
    outstandingMinor,
    status: statusOf(outstandingMinor, String(r.dueDate), today, r.paymentUnderWay === true),
  };
}

export type InvoicePage = KeysetPage<InvoiceRow> & { total: number };

/** What the list takes from the account's cached summary (lib/invoices/summary.ts). */
export type ListSummary = Pick<InvoiceSummary, "documentCount" | "outstandingCount" | "overdueCount"> & Partial<Pick<InvoiceSummary, "outstandingNumbers">>;

/**
 * The list's length as the account's summary counts it, when the filter is the status alone:
 * the summary's counts use the same balance and the same "overdue" (lib/invoices/balance.ts), so
 * the page needs no count query of its own. Undefined for a search or a date range.
 */
export function totalFromSummary(summary: ListSummary, f: InvoiceFilter): number | undefined {
  if (f.q || f.from || f.to) return undefined;
  switch (f.status) {
    case "all":
      return summary.documentCount;
    case "outstanding":
      return summary.outstandingCount;
    case "overdue":
      return summary.overdueCount;
    case "paid":
      // Credit notes owe nothing: they are among the paid, as in filterConditions.
      return summary.documentCount - summary.outstandingCount;
  }
}

/**
 * For the Outstanding and Overdue filters, the summary's outstanding invoices by number: the
 * balance condition then runs on those few rows, not on every invoice of the account until a
 * page is full (a big account with one overdue invoice among 5,000 computed all 5,000).
 */
function outstandingNumbersCondition(summary: ListSummary | undefined, f: InvoiceFilter): SQL | undefined {
  if (!summary?.outstandingNumbers || (f.status !== "outstanding" && f.status !== "overdue")) return undefined;
  return inArray(invoices.number, summary.outstandingNumbers);
}

/** One page of the filtered list. `after` pages towards older invoices, `before` towards newer. */
export async function listInvoices(
  db: Executor,
  accountId: string,
  params: ListParams,
  today: string,
  pageSize = PAGE_SIZE,
  /** The account's summary when the caller has it: a list filtered by status alone takes its length and outstanding rows from it. */
  summary?: ListSummary,
): Promise<InvoicePage> {
  const where = filterConditions(accountId, params, today);
  const byNumber = outstandingNumbersCondition(summary, params);
  if (byNumber) where.push(byNumber);
  const after = params.after ? decodeCursor(params.after) : null;
  const before = params.before ? decodeCursor(params.before) : null;
  const pageWhere = [...where];
  // Row comparisons use the composite index; the or(lt, and(eq, lt)) form is several times slower.
  if (after) pageWhere.push(sql`(${invoices.invoiceDate}, ${invoices.number}) < (${after.invoiceDate}::date, ${after.number})`);
  if (before) pageWhere.push(sql`(${invoices.invoiceDate}, ${invoices.number}) > (${before.invoiceDate}::date, ${before.number})`);
  const order = before ? [asc(invoices.invoiceDate), asc(invoices.number)] : [desc(invoices.invoiceDate), desc(invoices.number)];

  const knownTotal = summary ? totalFromSummary(summary, params) : undefined;
  const [raw, counted] = await Promise.all([
    db.select(rowColumns).from(invoices).where(and(...pageWhere)).orderBy(...order).limit(pageSize + 1),
    knownTotal !== undefined ? [{ n: knownTotal }] : db.select({ n: sql<number>`count(*)::int` }).from(invoices).where(and(...where)),
  ]);
  const cursorOf = (r: InvoiceRow) => encodeCursor({ invoiceDate: r.invoiceDate, number: r.number });
  const page = keysetPage(raw, pageSize, { after: Boolean(after), before: Boolean(before) }, (r) => toRow(r, today), cursorOf);
  return { ...page, total: Number(counted[0]?.n ?? 0) };
}

/** Every row of the filtered list in list order, in batches (CSV export). */
export async function* allInvoices(db: Executor, accountId: string, filter: InvoiceFilter, today: string, batch = 1000) {
  const where = filterConditions(accountId, filter, today);
  let cursor: Cursor | null = null;
  for (;;) {
    const conditions: SQL[] = [...where];
    if (cursor) conditions.push(sql`(${invoices.invoiceDate}, ${invoices.number}) < (${cursor.invoiceDate}::date, ${cursor.number})`);
    const raw = await db
      .select(rowColumns)
      .from(invoices)
      .where(and(...conditions))
      .orderBy(desc(invoices.invoiceDate), desc(invoices.number))
      .limit(batch);
    for (const r of raw) yield toRow(r, today);
    if (raw.length < batch) return;
    const last = raw[raw.length - 1]!;
    cursor = { invoiceDate: String(last.invoiceDate), number: Number(last.number) };
  }
}

/** The invoices with the given numbers, if every one of them belongs to the account; else null. */
export async function invoicesByNumbers(db: Executor, accountId: string, numbers: number[], today: string) {
  if (numbers.length === 0) return [];
  const raw = await db
    .select({ ...rowColumns, id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.accountId, accountId), inArray(invoices.number, numbers)))
    .orderBy(desc(invoices.invoiceDate), desc(invoices.number));
  if (raw.length !== new Set(numbers).size) return null;
  return raw.map((r) => ({ ...toRow(r, today), id: r.id }));
}
