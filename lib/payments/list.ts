/**
 * The payments list: every payment of one account (settled, under way or failed), newest first,
 * filtered by status, method and date, paginated by keyset on (created_at, id) so the last page
 * costs what the first does (index payments_account_idx).
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Executor } from "@/db/client";
import { paymentMethod, payments, sandboxCheckouts, type PaymentMethod, type PaymentState } from "@/db/schema";
import { keysetPage, type KeysetPage } from "@/lib/keyset";
import { filterChoice, keysetListSchema, parseSearchParams, type FieldErrors, type ParsedParams } from "@/lib/url-params";
import { cardLabel, sandboxCheckoutOfPayment } from "./card";
import { FINAL_STATES, OPEN_STATES } from "./states";

export const PAYMENTS_PAGE_SIZE = 25;

/** Status filters: settled, under way (an open state), or failed (failed or cancelled). */
export const PAYMENT_STATUS_FILTERS = ["all", "settled", "processing", "failed"] as const;
export type PaymentStatusFilter = (typeof PAYMENT_STATUS_FILTERS)[number];
export const PAYMENT_METHOD_FILTERS = ["all", ...paymentMethod.enumValues] as const;

const STATES_OF: Record<Exclude<PaymentStatusFilter, "all">, readonly PaymentState[]> = {
  settled: ["succeeded"],
  processing: OPEN_STATES,
  failed: FINAL_STATES.filter((s) => s !== "succeeded"),
};

/** A keyset cursor in the URL: "2026-10-01T12:00:00.123Z_<payment id>" (creation instant and id of a row). */
export type PaymentCursor = { createdAt: string; id: string };

export function encodePaymentCursor(c: PaymentCursor): string {
  return `${c.createdAt}_${c.id}`;
}

export function decodePaymentCursor(value: string): PaymentCursor | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(value);
  if (!m || Number.isNaN(Date.parse(m[1]!))) return null;
  return { createdAt: m[1]!, id: m[2]! };
}

export const paymentListParamsSchema = keysetListSchema(
  {
    status: filterChoice(PAYMENT_STATUS_FILTERS, "Choose All, Settled, Processing or Failed."),
    method: filterChoice(PAYMENT_METHOD_FILTERS, "Choose Any method, Card, Bank transfer or Account credit."),
  },
  decodePaymentCursor,
);

export type PaymentListParams = z.infer<typeof paymentListParamsSchema>;
export type PaymentListParamErrors = FieldErrors<PaymentListParams>;
export type PaymentFilter = Pick<PaymentListParams, "status" | "method" | "from" | "to">;

export function parsePaymentListParams(raw: Record<string, unknown>): ParsedParams<PaymentListParams> {
  return parseSearchParams(paymentListParamsSchema, raw, { status: "all", method: "all", page: 1 });
}

export function isPaymentFilterSet(f: PaymentFilter): boolean {
  return f.status !== "all" || f.method !== "all" || Boolean(f.from || f.to);
}

/** The WHERE of a filtered list (without pagination), always scoped to the account; dates are the account's. */
function filterConditions(accountId: string, f: PaymentFilter, timeZone: string): SQL[] {
  const conditions: SQL[] = [eq(payments.accountId, accountId)];
  const localDate = sql`(${payments.createdAt} at time zone ${timeZone})::date`;
  if (f.from) conditions.push(sql`${localDate} >= ${f.from}::date`);
  if (f.to) conditions.push(sql`${localDate} <= ${f.to}::date`);
  if (f.method !== "all") conditions.push(eq(payments.method, f.method));
  if (f.status !== "all") conditions.push(inArray(payments.state, [...STATES_OF[f.status]]));
  return conditions;
}

export type PaymentRow = {
  id: string;
  createdAt: Date;
  method: PaymentMethod;
  /** "Visa •••• 4242" when the card is known. */
  card: string | null;
  state: PaymentState;
  failureReason: string | null;
  amountMinor: bigint;
  currency: string;
  /** The numbers of the invoices it was allocated to, ascending. */
  invoiceNumbers: number[];
  /** A settled payment that paid an invoice has a receipt (one that went wholly to account credit has none). */
  hasReceipt: boolean;
};

const rowColumns = {
  id: payments.id,
  createdAt: payments.createdAt,
  method: payments.method,
  state: payments.state,
  failureReason: payments.failureReason,
  amountMinor: payments.amountMinor,
  currency: payments.currency,
  cardBrand: sandboxCheckouts.cardBrand,
  cardLast4: sandboxCheckouts.cardLast4,
  invoiceNumbers: sql<string[] | string>`array(
    select i.number::text from payment_allocations pa join invoices i on i.id = pa.invoice_id
    where pa.payment_id = ${payments.id} order by i.number)`,
};

type RawRow = { [K in keyof typeof rowColumns]: unknown };

/** postgres.js returns a bigint[] as an array; PGlite may hand back the array literal "{1,2}". */
function numbersOf(value: unknown): number[] {
  const items = Array.isArray(value) ? value : String(value ?? "").replace(/^\{|\}$/g, "").split(",").filter(Boolean);
  return items.map(Number);
}

function toRow(r: RawRow): PaymentRow {
  const invoiceNumbers = numbersOf(r.invoiceNumbers);
  const state = r.state as PaymentState;
  return {
    id: String(r.id),
    createdAt: r.createdAt as Date,
    method: r.method as PaymentMethod,
    card: cardLabel(r.cardBrand as string | null, r.cardLast4 as string | null),
    state,
    failureReason: (r.failureReason as string | null) ?? null,
    amountMinor: r.amountMinor as bigint,
    currency: String(r.currency),
    invoiceNumbers,
    hasReceipt: state === "succeeded" && invoiceNumbers.length > 0,
  };
}

function selectRows(db: Executor, where: SQL[]) {
  return db.select(rowColumns).from(payments).leftJoin(sandboxCheckouts, sandboxCheckoutOfPayment).where(and(...where));
}

const olderThan = (c: PaymentCursor) => sql`(${payments.createdAt}, ${payments.id}) < (${c.createdAt}::timestamptz, ${c.id}::uuid)`;
const newerThan = (c: PaymentCursor) => sql`(${payments.createdAt}, ${payments.id}) > (${c.createdAt}::timestamptz, ${c.id}::uuid)`;
const cursorOf = (r: PaymentRow) => encodePaymentCursor({ createdAt: r.createdAt.toISOString(), id: r.id });

export type PaymentPage = KeysetPage<PaymentRow> & { total: number };

/** One page of the filtered list. `after` pages towards older payments, `before` towards newer. */
export async function listPayments(
  db: Executor,
  accountId: string,
  params: PaymentListParams,
  timeZone: string,
  pageSize = PAYMENTS_PAGE_SIZE,
): Promise<PaymentPage> {
  const where = filterConditions(accountId, params, timeZone);
  const after = params.after ? decodePaymentCursor(params.after) : null;
  const before = params.before ? decodePaymentCursor(params.before) : null;
  const pageWhere = [...where, ...(after ? [olderThan(after)] : []), ...(before ? [newerThan(before)] : [])];
  const order = before ? [asc(payments.createdAt), asc(payments.id)] : [desc(payments.createdAt), desc(payments.id)];
  const [raw, counted] = await Promise.all([
    selectRows(db, pageWhere).orderBy(...order).limit(pageSize + 1),
    db.select({ n: sql<number>`count(*)::int` }).from(payments).where(and(...where)),
  ]);
  const page = keysetPage(raw, pageSize, { after: Boolean(after), before: Boolean(before) }, toRow, cursorOf);
  return { ...page, total: Number(counted[0]?.n ?? 0) };
}

/** Every row of the filtered list in list order, in batches (CSV export). */
export async function* allPayments(db: Executor, accountId: string, filter: PaymentFilter, timeZone: string, batch = 1000): AsyncGenerator<PaymentRow> {
  const where = filterConditions(accountId, filter, timeZone);
  let cursor: PaymentCursor | null = null;
  for (;;) {
    const raw: RawRow[] = await selectRows(db, cursor ? [...where, olderThan(cursor)] : where)
      .orderBy(desc(payments.createdAt), desc(payments.id))
      .limit(batch);
    const rows: PaymentRow[] = raw.map(toRow);
    yield* rows;
    const last = rows[rows.length - 1];
    if (rows.length < batch || !last) return;
    cursor = { createdAt: last.createdAt.toISOString(), id: last.id };
  }
}
