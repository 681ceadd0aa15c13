import { ArrowDownTrayIcon } from "@heroicons/react/20/solid";
import type { Metadata } from "next";
import { errorProps, FieldError, FILTER_BUTTON_CLASS, FILTER_INPUT_CLASS, SECONDARY_BUTTON_CLASS, typedValue, type SearchParamsRecord } from "@/components/lists/list-controls";
import { Breadcrumb } from "@/components/shell/breadcrumb";
import { parseStatementParams, statementPeriod, STATEMENT_PERIODS, type StatementPeriodParams } from "@/lib/billing/statement-output";
import { viewerToday } from "@/lib/dal/invoices";
import { requireInvoiceReader } from "@/lib/dal/session";
import { getStatement } from "@/lib/dal/statement";
import { formatDate } from "@/lib/dates";
import { formatMoney } from "@/lib/money";
import { plural } from "@/lib/plural";
import { listUrl } from "@/lib/url-params";

export const metadata: Metadata = { title: "Statement" };

const PERIOD_LABEL = { "this-year": "This year", "last-year": "Last year", range: "Date range" } as const;

function PeriodForm({ params, errors, raw }: { params: StatementPeriodParams; errors: Partial<Record<keyof StatementPeriodParams, string>>; raw: SearchParamsRecord }) {
  return (
    <form method="get" action="/invoices/statement" aria-label="Statement period" className="mb-6 space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" noValidate>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Period</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {STATEMENT_PERIODS.map((p) => (
            <label key={p} className="inline-flex items-center gap-2 text-sm">
              <input type="radio" name="period" value={p} defaultChecked={params.period === p} className="size-4" />
              {PERIOD_LABEL[p]}
            </label>
          ))}
        </div>
        <FieldError id="period-error" message={errors.period} />
      </fieldset>
      <div className="flex flex-wrap items-start gap-3">
        <div>
          <label htmlFor="from" className="block text-sm font-medium text-slate-700">From (date range)</label>
          <input id="from" name="from" type="date" defaultValue={typedValue(raw, "from")} {...errorProps("from", errors.from)} className={FILTER_INPUT_CLASS} />
          <FieldError id="from-error" message={errors.from} />
        </div>
        <div>
          <label htmlFor="to" className="block text-sm font-medium text-slate-700">To (date range)</label>
          <input id="to" name="to" type="date" defaultValue={typedValue(raw, "to")} {...errorProps("to", errors.to)} className={FILTER_INPUT_CLASS} />
          <FieldError id="to-error" message={errors.to} />
        </div>
        <button type="submit" className={`${FILTER_BUTTON_CLASS} self-end`}>
          Show statement
        </button>
      </div>
    </form>
  );
}

export default async function StatementPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const viewer = await requireInvoiceReader();
  const raw = await searchParams;
  const today = viewerToday(viewer);
  const parsed = parseStatementParams(raw, today);
  const period = statementPeriod(parsed.params, today);
  const statement = parsed.ok ? await getStatement(viewer, period) : null;
  const { currency, language } = viewer.account;
  const money = (minor: bigint) => formatMoney(minor, currency, language);
  const query = listUrl("", { period: parsed.params.period, from: parsed.params.from, to: parsed.params.to });

  return (
    <>
      <Breadcrumb items={[{ label: "Invoices", href: "/invoices" }, { label: "Statement" }]} />
      <h1 className="mb-6 text-2xl font-semibold">Statement</h1>
      <PeriodForm params={parsed.params} errors={parsed.ok ? {} : parsed.errors} raw={raw} />
      {statement && (
        <section aria-labelledby="statement-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="statement-heading" className="text-lg font-semibold">
            {formatDate(statement.from)} – {formatDate(statement.to)}
          </h2>
          <p className="mt-1 text-sm text-slate-700">
            {plural(statement.rows.length, { one: "# invoice, credit note or payment", other: "# invoices, credit notes and payments" })}, with the balance after each.
          </p>
          <dl className="mt-4 grid grid-cols-1 gap-4 min-[22rem]:grid-cols-3">
            {[
              ["Opening balance", statement.openingMinor],
              ["Account credit", statement.accountCreditMinor],
              ["Closing balance", statement.closingMinor],
            ].map(([label, minor]) => (
              <div key={String(label)}>
                <dt className="text-sm font-medium text-slate-600">{label}</dt>
                <dd className="mt-1 text-lg font-semibold tabular-nums">{money(minor as bigint)}</dd>
              </div>
            ))}
          </dl>
          <div className="mt-5 flex flex-wrap gap-2">
            <a href={`/invoices/statement/pdf${query}`} download className={SECONDARY_BUTTON_CLASS}>
              <ArrowDownTrayIcon aria-hidden="true" className="size-4" />
              Download PDF
            </a>
            <a href={`/invoices/statement/csv${query}`} download className={SECONDARY_BUTTON_CLASS}>
              <ArrowDownTrayIcon aria-hidden="true" className="size-4" />
              Download CSV
            </a>
          </div>
        </section>
      )}
    </>
  );
}
