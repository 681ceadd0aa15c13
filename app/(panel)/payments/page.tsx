import { ArrowDownTrayIcon } from "@heroicons/react/20/solid";
import type { Metadata } from "next";
import Link from "next/link";
import {
  errorProps,
  FieldError,
  FILTER_BUTTON_CLASS,
  FILTER_INPUT_CLASS,
  FilterPills,
  PageLinks,
  SECONDARY_BUTTON_CLASS,
  typedValue,
  type SearchParamsRecord,
} from "@/components/lists/list-controls";
import { PaymentStatus } from "@/components/payments/payment-status";
import { ReceiptLink } from "@/components/payments/receipt-link";
import { Breadcrumb } from "@/components/shell/breadcrumb";
import { getPaymentPage } from "@/lib/dal/payments";
import { requireInvoiceReader, type Viewer } from "@/lib/dal/session";
import { formatDateTime } from "@/lib/dates";
import { formatMoney } from "@/lib/money";
import {
  isPaymentFilterSet,
  parsePaymentListParams,
  PAYMENT_METHOD_FILTERS,
  PAYMENT_STATUS_FILTERS,
  PAYMENTS_PAGE_SIZE,
  type PaymentListParamErrors,
  type PaymentListParams,
  type PaymentRow,
} from "@/lib/payments/list";
import { PAYMENT_METHOD_LABEL } from "@/lib/payments/states";
import { listUrl } from "@/lib/url-params";

export const metadata: Metadata = { title: "Payments" };

const STATUS_FILTER_LABEL = { all: "All", settled: "Settled", processing: "Processing", failed: "Failed" } as const;
const METHOD_FILTER_LABEL = { all: "Any method", ...PAYMENT_METHOD_LABEL } as const;

type HrefChange = Partial<Record<keyof PaymentListParams, string | undefined>>;

/** The list URL with some parameters changed; paging cursors are dropped unless given. */
function listHref(params: PaymentListParams, change: HrefChange, path = "/payments") {
  const { status, method, from, to } = params;
  return listUrl(path, { status, method, from, to, after: undefined, before: undefined, page: undefined, ...change });
}

function Filters({ params, errors, raw }: { params: PaymentListParams; errors: PaymentListParamErrors; raw: SearchParamsRecord }) {
  return (
    <div className="mb-4 space-y-3">
      <FilterPills
        label="Filter by status"
        pills={PAYMENT_STATUS_FILTERS.map((s) => ({ key: s, label: STATUS_FILTER_LABEL[s], href: listHref(params, { status: s }), current: params.status === s }))}
      />
      {errors.status && <p className="text-sm text-red-700">{errors.status}</p>}
      <form method="get" action="/payments" role="search" aria-label="Filter payments" className="flex flex-wrap items-start gap-3" noValidate>
        {params.status !== "all" && <input type="hidden" name="status" value={params.status} />}
        <div>
          <label htmlFor="method" className="block text-sm font-medium text-slate-700">Method</label>
          <select id="method" name="method" defaultValue={params.method} {...errorProps("method", errors.method)} className={FILTER_INPUT_CLASS}>
            {PAYMENT_METHOD_FILTERS.map((m) => (
              <option key={m} value={m}>{METHOD_FILTER_LABEL[m]}</option>
            ))}
          </select>
          <FieldError id="method-error" message={errors.method} />
        </div>
        <div>
          <label htmlFor="from" className="block text-sm font-medium text-slate-700">Payment date from</label>
          <input id="from" name="from" type="date" defaultValue={typedValue(raw, "from")} {...errorProps("from", errors.from)} className={FILTER_INPUT_CLASS} />
          <FieldError id="from-error" message={errors.from} />
        </div>
        <div>
          <label htmlFor="to" className="block text-sm font-medium text-slate-700">Payment date to</label>
          <input id="to" name="to" type="date" defaultValue={typedValue(raw, "to")} {...errorProps("to", errors.to)} className={FILTER_INPUT_CLASS} />
          <FieldError id="to-error" message={errors.to} />
        </div>
        <div className="flex gap-2 self-end">
          <button type="submit" className={FILTER_BUTTON_CLASS}>
            Filter
          </button>
          {(params.method !== "all" || params.from || params.to || Object.keys(errors).length > 0) && (
            <Link href={listHref(params, { method: undefined, from: undefined, to: undefined })} className={SECONDARY_BUTTON_CLASS}>
              Clear
            </Link>
          )}
        </div>
      </form>
    </div>
  );
}

function PaymentTableRow({ row, timeZone, language }: { row: PaymentRow; timeZone: string; language: Viewer["account"]["language"] }) {
  const cell = "px-3 py-2 align-top";
  const amount = formatMoney(row.amountMinor, row.currency, language);
  const when = formatDateTime(row.createdAt, timeZone, language);
  return (
    <tr className="border-t border-slate-100">
      <td data-label="Date" className={`${cell} whitespace-nowrap`}>{when}</td>
      <td data-label="Method" className={cell}>{row.method === "card" && row.card ? row.card : PAYMENT_METHOD_LABEL[row.method]}</td>
      <td data-label="Amount" className={`${cell} text-right tabular-nums whitespace-nowrap`}>{amount}</td>
      <td data-label="Invoices" className={cell}>
        {row.invoiceNumbers.length === 0 ? (
          <span className="text-slate-600">Account credit</span>
        ) : (
          <ul className="flex flex-wrap gap-x-2">
            {row.invoiceNumbers.map((n) => (
              <li key={n}>
                <Link href={`/invoices/${n}`} className="text-brand-700 underline">
                  <span className="sr-only">Invoice </span>
                  {n}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td data-label="Status" className={cell}>
        <PaymentStatus state={row.state} />
        {row.failureReason && <span className="block text-slate-600">{row.failureReason}</span>}
      </td>
      <td data-label="Receipt" className={cell}>
        <ReceiptLink paymentId={row.hasReceipt ? row.id : null} description={`${amount} on ${when}`} missing="No receipt" />
      </td>
    </tr>
  );
}

export default async function PaymentsPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const viewer = await requireInvoiceReader();
  const raw = await searchParams;
  const parsed = parsePaymentListParams(raw);
  const params = parsed.params;
  const errors = parsed.ok ? {} : parsed.errors;
  const page = await getPaymentPage(viewer, params);
  const { timeZone, language } = viewer.account;
  const th = "px-3 py-3 text-left font-semibold whitespace-nowrap";

  return (
    <>
      <Breadcrumb items={[{ label: "Payments" }]} />
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-2xl font-semibold">Payments</h1>
        <a href={listHref(params, {}, "/payments/export.csv")} download className={SECONDARY_BUTTON_CLASS}>
          <ArrowDownTrayIcon aria-hidden="true" className="size-4" />
          Export CSV
        </a>
      </div>

      <Filters params={params} errors={errors} raw={raw} />

      {page.rows.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-slate-700">
          {isPaymentFilterSet(params) ? "No payments match these filters." : "You have no payments yet."}
        </p>
      ) : (
        // A container: below 36rem of its own width each row becomes a card of labelled lines (globals.css, .stack-table).
        <div className="@container overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="stack-table min-w-full text-sm">
            <caption className="sr-only">Payments, newest first</caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={th}>Date</th>
                <th scope="col" className={th}>Method</th>
                <th scope="col" className={`${th} text-right`}>Amount</th>
                <th scope="col" className={th}>Invoices</th>
                <th scope="col" className={th}>Status</th>
                <th scope="col" className={th}>Receipt</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <PaymentTableRow key={row.id} row={row} timeZone={timeZone} language={language} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {page.total > 0 && (
        <PageLinks
          page={params.page}
          pageSize={PAYMENTS_PAGE_SIZE}
          total={page.total}
          noun={{ one: "# payment", other: "# payments" }}
          cursors={page}
          href={(change) => listHref(params, change)}
        />
      )}
    </>
  );
}
