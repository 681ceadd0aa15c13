/**
 * The REST API's parameters and answers as zod schemas: the handlers validate with them, and the
 * OpenAPI document (lib/api/openapi.ts) is generated from them, so the two cannot drift apart.
 */
import "zod-openapi";
import { z } from "zod";
import { invoiceType, paymentMethod, paymentState } from "@/db/schema";
import { decodeCursor, STATUS_FILTERS, type ListParams } from "@/lib/invoices/list";
import { decodePaymentCursor, PAYMENT_METHOD_FILTERS, PAYMENT_STATUS_FILTERS, type PaymentListParams } from "@/lib/payments/list";
import { endNotBeforeStart } from "@/lib/url-params";

export const API_DEFAULT_LIMIT = 20;
export const API_MAX_LIMIT = 100;

/**
 * Cursors are opaque to callers (base64url of the list's own keyset cursor), so the key they
 * page by can change without breaking a script that passes them back.
 */
export const encodeApiCursor = (cursor: string) => Buffer.from(cursor, "utf8").toString("base64url");
export function decodeApiCursor(value: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(value)) return null;
  return Buffer.from(value, "base64url").toString("utf8");
}

const limit = z.coerce
  .number({ error: `limit is a whole number from 1 to ${API_MAX_LIMIT}.` })
  .int({ error: `limit is a whole number from 1 to ${API_MAX_LIMIT}.` })
  .min(1, { error: `limit is a whole number from 1 to ${API_MAX_LIMIT}.` })
  .max(API_MAX_LIMIT, { error: `limit is at most ${API_MAX_LIMIT}.` })
  .default(API_DEFAULT_LIMIT)
  .meta({ description: `Items per page, default ${API_DEFAULT_LIMIT}, at most ${API_MAX_LIMIT}.` });

const cursorOf = (decodeListCursor: (value: string) => unknown) =>
  z
    .string()
    .max(200)
    .refine((v) => {
      const inner = decodeApiCursor(v);
      return inner !== null && decodeListCursor(inner) !== null;
    }, { error: "cursor is not one this API gave out." })
    .optional()
    .meta({ description: "The `nextCursor` of the previous page; absent for the first page." });

const isoDate = (what: string) => z.iso.date({ error: `${what} is a date as YYYY-MM-DD.` }).optional();

const dateRange = {
  from: isoDate("from").meta({ description: "Only items on or after this date (YYYY-MM-DD)." }),
  to: isoDate("to").meta({ description: "Only items on or before this date (YYYY-MM-DD)." }),
};
const rangeCheck = (p: { from?: string; to?: string }) => endNotBeforeStart(p);
const rangeProblem = { error: "to is before from.", path: ["to"] };

export const invoiceListQuery = z
  .object({
    limit,
    cursor: cursorOf(decodeCursor),
    status: z.enum(STATUS_FILTERS, { error: `status is one of ${STATUS_FILTERS.join(", ")}.` }).default("all"),
    ...dateRange,
  })
  .refine(rangeCheck, rangeProblem);

export const paymentListQuery = z
  .object({
    limit,
    cursor: cursorOf(decodePaymentCursor),
    status: z.enum(PAYMENT_STATUS_FILTERS, { error: `status is one of ${PAYMENT_STATUS_FILTERS.join(", ")}.` }).default("all"),
    method: z.enum(PAYMENT_METHOD_FILTERS, { error: `method is one of ${PAYMENT_METHOD_FILTERS.join(", ")}.` }).default("all"),
    ...dateRange,
  })
  .refine(rangeCheck, rangeProblem);

export const invoiceNumberPath = z.object({
  number: z.string().meta({ description: "The invoice or credit note number.", example: "100034" }),
});

export const money = z
  .object({
    amount: z.string().regex(/^-?\d+(\.\d+)?$/).meta({ description: "Exact decimal in major units, never a float.", example: "1234.50" }),
    currency: z.string().regex(/^[A-Z]{3}$/).meta({ description: "ISO 4217 code.", example: "EUR" }),
  })
  .meta({ id: "Money" });

const date = z.iso.date().meta({ description: "ISO 8601 calendar date." });

export const invoiceSummary = z
  .object({
    number: z.number().int(),
    type: z.enum(invoiceType.enumValues),
    invoiceDate: date,
    dueDate: date,
    status: z.enum(["paid", "outstanding", "overdue", "processing"]),
    net: money,
    vat: money,
    total: money,
    outstanding: money,
  })
  .meta({ id: "InvoiceSummary" });

export const invoiceLine = z
  .object({
    service: z.string(),
    description: z.string(),
    region: z.string().nullable(),
    quantity: z.string().regex(/^-?\d+(\.\d+)?$/).meta({ description: "Exact decimal." }),
    unit: z.string(),
    unitPrice: money.meta({ description: "May have more decimals than the currency (a fraction of a cent)." }),
    amount: money,
    vatRatePercent: z.string().regex(/^\d+(\.\d+)?$/).meta({ example: "25" }),
  })
  .meta({ id: "InvoiceLine" });

export const invoiceDetail = invoiceSummary
  .extend({
    periodStart: date,
    periodEnd: date,
    creditReason: z.string().nullable(),
    paymentReference: z.string(),
    paid: money,
    credited: money,
    lines: z.array(invoiceLine),
    related: z.array(z.object({ number: z.number().int(), type: z.enum(invoiceType.enumValues), invoiceDate: date, total: money })),
  })
  .meta({ id: "Invoice" });

export const invoiceList = z
  .object({ data: z.array(invoiceSummary), nextCursor: z.string().nullable() })
  .meta({ id: "InvoiceList" });

export const payment = z
  .object({
    id: z.uuid(),
    createdAt: z.iso.datetime().meta({ description: "ISO 8601 instant (UTC)." }),
    method: z.enum(paymentMethod.enumValues),
    card: z.string().nullable().meta({ description: "Brand and last four digits, when known." }),
    state: z.enum(paymentState.enumValues),
    amount: money,
    invoiceNumbers: z.array(z.number().int()),
  })
  .meta({ id: "Payment" });

export const paymentList = z.object({ data: z.array(payment), nextCursor: z.string().nullable() }).meta({ id: "PaymentList" });

export const problem = z
  .object({
    type: z.literal("about:blank"),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ parameter: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details." });

export type ApiInvoiceSummary = z.infer<typeof invoiceSummary>;
export type ApiInvoice = z.infer<typeof invoiceDetail>;
export type ApiPayment = z.infer<typeof payment>;

/** The panel list's own parameters for an API query: the opaque cursor pages towards older items. */
export function invoiceListParams(q: z.infer<typeof invoiceListQuery>): ListParams {
  return { status: q.status, q: undefined, from: q.from, to: q.to, after: q.cursor && decodeApiCursor(q.cursor)!, before: undefined, page: 1 };
}

export function paymentListParams(q: z.infer<typeof paymentListQuery>): PaymentListParams {
  return { status: q.status, method: q.method, from: q.from, to: q.to, after: q.cursor && decodeApiCursor(q.cursor)!, before: undefined, page: 1 };
}
