import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { PayDialogLoader, payRequest } from "@/components/invoices/pay-dialog-loader";
import { PaymentResult } from "@/components/invoices/payment-result";
import { InvoiceRows, type ListRow } from "@/components/invoices/invoice-rows";
import { SelectionForm } from "@/components/invoices/selection";
import { errorProps, FieldError, FILTER_BUTTON_CLASS, FILTER_INPUT_CLASS, FilterPills, PageLinks, SECONDARY_BUTTON_CLASS, typedValue, type SearchParamsRecord } from "@/components/lists/list-controls";
import { Breadcrumb } from "@/components/shell/breadcrumb";
import { getInvoicePage, getInvoiceSummary } from "@/lib/dal/invoices";
import { canPayInvoices, requireInvoiceReader } from "@/lib/dal/session";
import { canShareInvoices } from "@/lib/dal/sharing";
import { formatDate } from "@/lib/dates";
import { parseListParams, PAGE_SIZE, STATUS_FILTERS, type ListParamErrors, type ListParams } from "@/lib/invoices/list";
import { formatAmount, formatMoney } from "@/lib/money";
import { plural } from "@/lib/plural";
import { listUrl } from "@/lib/url-params";

export const metadata: Metadata = { title: "Invoices" };

const FILTER_LABEL = { all: "All", outstanding: "Outstanding", overdue: "Overdue", paid: "Paid" } as const;
const TYPE_LABEL = { invoice: "Invoice", credit_note: "Credit note" } as const;

/** The list URL with some parameters changed; paging cursors are dropped unless given. */
function listHref(params: ListParams, change: Partial<Record<"status" | "q" | "from" | "to" | "after" | "before" | "page", string | undefined>>) {
  return listUrl("/invoices", { status: params.status, q: params.q, from: params.from, to: params.to, after: undefined, before: undefined, page: undefined, ...change });
}

/** Hidden fields carrying the list's current state, for a form that opens the Pay dialog over it. */
function listFields(params: ListParams) {
  const query = new URLSearchParams(listHref(params, { after: params.after, before: params.before, page: String(params.page) }).split("?")[1] ?? "");
  return [...query].map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
}

function Filters({ params, errors, raw }: { params: ListParams; errors: ListParamErrors; raw: SearchParamsRecord }) {
  const input = FILTER_INPUT_CLASS;
  return (
    <div className="mb-4 space-y-3">
      <FilterPills
        label="Filter by status"
        pills={STATUS_FILTERS.map((s) => ({ key: s, label: FILTER_LABEL[s], href: listHref(params, { status: s }), current: params.status === s }))}
      />
      {errors.status && <p className="text-sm text-red-700">{errors.status}</p>}
      <form method="get" action="/invoices" role="search" aria-label="Search invoices" className="flex flex-wrap items-start gap-3" noValidate>
        {params.status !== "all" && <input type="hidden" name="status" value={params.status} />}
        <div>
          <label htmlFor="q" className="block text-sm font-medium text-slate-700">Invoice number</label>
          <input id="q" name="q" inputMode="numeric" defaultValue={typedValue(raw, "q")} {...errorProps("q", errors.q)} className={input} />
          <FieldError id="q-error" message={errors.q} />
        </div>
        <div>
          <label htmlFor="from" className="block text-sm font-medium text-slate-700">Invoice date from</label>
          <input id="from" name="from" type="date" defaultValue={typedValue(raw, "from")} {...errorProps("from", errors.from)} className={input} />
          <FieldError id="from-error" message={errors.from} />
        </div>
        <div>
          <label htmlFor="to" className="block text-sm font-medium text-slate-700">Invoice date to</label>
          <input id="to" name="to" type="date" defaultValue={typedValue(raw, "to")} {...errorProps("to", errors.to)} className={input} />
          <FieldError id="to-error" message={errors.to} />
        </div>
        <div className="flex gap-2 self-end">
          <button type="submit" className={FILTER_BUTTON_CLASS}>
            Search
          </button>
          {(params.q || params.from || params.to || Object.keys(errors).length > 0) && (
            <Link href={listHref(params, { q: undefined, from: undefined, to: undefined })} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50">
              Clear
            </Link>
          )}
        </div>
      </form>
    </div>
  );
}

export default async function InvoicesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireInvoiceReader();
  const raw = await searchParams;
  const parsed = parseListParams(raw);
  const payNumbers = payRequest(raw);
  const paymentId = typeof raw.payment === "string" ? raw.payment : undefined;
  const canPay = canPayInvoices(viewer);
  const params = parsed.params;
  const errors = parsed.ok ? {} : parsed.errors;
  const [summary, page] = await Promise.all([getInvoiceSummary(viewer), getInvoicePage(viewer, params)]);
  const { currency, language } = viewer.account;
  const filtered = params.status !== "all" || params.q || params.from || params.to;
  // Where a row's "Pay this invoice" returns to: this very page of the list.
  const rowHref = listHref(params, { after: params.after, before: params.before, page: String(params.page) });

  return (
    <>
      <Breadcrumb items={[{ label: "Invoices" }]} />
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-2xl font-semibold">Invoices</h1>
        <div className="flex flex-wrap gap-2">
          <Link href="/invoices/statement" className={SECONDARY_BUTTON_CLASS}>
            <span aria-hidden="true" className="icon icon-document size-4" />
            Statement
          </Link>
          <a href={`/invoices/export.csv${listHref(params, {}).replace("/invoices", "")}`} download className={SECONDARY_BUTTON_CLASS}>
            <span aria-hidden="true" className="icon icon-download size-4" />
            Export CSV
          </a>
        </div>
      </div>

      {paymentId && <PaymentResult viewer={viewer} paymentId={paymentId} />}
      {payNumbers !== undefined && <PayDialogLoader viewer={viewer} numbers={payNumbers} />}

      <section aria-label="Summary" className="mb-6 space-y-3">
        <dl className="grid grid-cols-1 gap-4 min-[22rem]:grid-cols-2">
          <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <dt className="text-sm font-medium text-slate-600">Total outstanding</dt>
            <dd className="mt-1 text-xl font-semibold tabular-nums">{formatMoney(summary.outstandingMinor, currency, language)}</dd>
          </div>
          <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <dt className="text-sm font-medium text-slate-600">Overdue</dt>
            <dd className={`mt-1 text-xl font-semibold tabular-nums ${summary.overdueMinor > 0n ? "text-red-700" : ""}`}>
              {formatMoney(summary.overdueMinor, currency, language)}
            </dd>
          </div>
        </dl>
        {summary.overdueCount > 0 && (
          <div role="alert" className="flex flex-wrap items-start gap-x-2 gap-y-3 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
            <span aria-hidden="true" className="icon icon-warning mt-0.5 size-5 text-red-600" />
            <p className="min-w-0 flex-1 basis-48">
              {plural(summary.overdueCount, { one: "# invoice is", other: "# invoices are" })} overdue, in all{" "}
              <strong>{formatMoney(summary.overdueMinor, currency, language)}</strong>.{" "}
              {canPay ? "Please pay as soon as possible." : "A user with invoice access Full can pay; each invoice's page shows the bank-transfer details."}
            </p>
            {canPay && (
              // A client navigation (next/form) that keeps this list's filters: the dialog opens over it and focus can return here.
              <Form action="/invoices" scroll={false} className="ml-auto shrink-0">
                {listFields(params)}
                <input type="hidden" name="pay" value="outstanding" />
                <button type="submit" data-pay-opener="outstanding" className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-700 focus-visible:ring-offset-2">
                  Pay all outstanding
                </button>
              </Form>
            )}
          </div>
        )}
      </section>

      <Filters params={params} errors={errors} raw={raw} />

      {page.rows.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-slate-700">
          {filtered ? "No invoices match these filters." : "You have no invoices yet."}
        </p>
      ) : (
        <SelectionForm key={listHref(params, { after: params.after, before: params.before })} canPay={canPay} canShare={canShareInvoices(viewer)}>
          {/* A container: below 48rem of its own width the rows become cards (globals.css, .invoice-table). */}
          <div className="@container overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table className="invoice-table min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">Invoices, newest first. Amounts in {currency}, including VAT.</caption>
              <thead className="bg-slate-50">
                <tr>
                  <th scope="col" className="w-10">
                    <input type="checkbox" data-select-all aria-label="Select all" />
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Type</th>
                  <th scope="col">Invoice No</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Outstanding Amount</th>
                  <th scope="col">Invoice Date</th>
                  <th scope="col">Due Date</th>
                  <th scope="col">
                    <span className="sr-only">Options</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 tabular-nums [&_td]:px-3 [&_td]:py-2">
                <InvoiceRows
                  listHref={rowHref}
                  rows={page.rows.map((r): ListRow => [
                    r.number,
                    r.status,
                    TYPE_LABEL[r.type],
                    formatAmount(r.totalMinor, r.currency, language),
                    formatAmount(r.outstandingMinor, r.currency, language),
                    canPay && r.outstandingMinor > 0n && r.status !== "processing",
                    formatDate(r.invoiceDate),
                    formatDate(r.dueDate),
                  ])}
                />
              </tbody>
            </table>
          </div>
        </SelectionForm>
      )}

      {page.total > 0 && (
        <PageLinks
          page={params.page}
          pageSize={PAGE_SIZE}
          total={page.total}
          noun={{ one: "# invoice", other: "# invoices" }}
          cursors={page}
          href={(change) => listHref(params, change)}
        />
      )}
    </>
  );
}
