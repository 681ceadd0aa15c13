import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumb } from "@/components/shell/breadcrumb";
import { StatusIcon } from "@/components/invoices/status-badge";
import { ByServiceRegion, MonthSoFar } from "@/components/spend/month-so-far";
import { HistoryChart } from "@/components/spend/history-chart";
import { BudgetShare } from "@/components/dashboard/budget-share";
import { getInvoiceSummary } from "@/lib/dal/invoices";
import { getSpendInsight } from "@/lib/dal/spend";
import { canReadInvoices, requireViewer } from "@/lib/dal/session";
import { formatDate } from "@/lib/dates";
import { formatMoney } from "@/lib/money";
import { plural } from "@/lib/plural";

export const metadata: Metadata = { title: "Dashboard" };

function Stat({ label, value, note }: { label: string; value: string; note?: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-2 text-2xl font-semibold tabular-nums">{value}</dd>
      {note && <dd className="mt-1 text-sm text-slate-600">{note}</dd>}
    </div>
  );
}

export default async function DashboardPage() {
  const viewer = await requireViewer();
  const { currency, language } = viewer.account;
  const [summary, spend] = canReadInvoices(viewer) ? await Promise.all([getInvoiceSummary(viewer), getSpendInsight(viewer)]) : [null, null];
  return (
    <>
      <Breadcrumb items={[{ label: "Dashboard" }]} />
      <h1 className="mb-6 text-2xl font-semibold">Dashboard</h1>
      {summary ? (
        <>
          <dl className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
            <Stat
              label="Total outstanding"
              value={formatMoney(summary.outstandingMinor, currency, language)}
              note={plural(summary.outstandingCount, { one: "# invoice", other: "# invoices" })}
            />
            <Stat
              label="Overdue"
              value={formatMoney(summary.overdueMinor, currency, language)}
              note={summary.overdueCount > 0 ? (
                <span className="font-medium text-red-700">{plural(summary.overdueCount, { one: "# overdue invoice", other: "# overdue invoices" })}</span>
              ) : "Nothing overdue"}
            />
            <Stat label="Next due date" value={summary.nextDueDate ? formatDate(summary.nextDueDate) : "None"} />
            <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
              <dt className="text-sm font-medium text-slate-600">Latest invoice</dt>
              {summary.latest ? (
                <dd className="mt-2 space-y-1">
                  <Link href={`/invoices/${summary.latest.number}`} className="text-lg font-semibold text-brand-700 underline-offset-2 hover:underline">
                    Invoice {summary.latest.number}
                  </Link>
                  <div className="flex items-center gap-2 text-sm text-slate-700">
                    <StatusIcon status={summary.latest.status} withText />
                    <span aria-hidden="true">·</span>
                    <span className="tabular-nums">{formatMoney(summary.latest.totalMinor, currency, language)}</span>
                  </div>
                  <div className="text-sm text-slate-600">Invoice date {formatDate(summary.latest.invoiceDate)}</div>
                </dd>
              ) : (
                <dd className="mt-2 text-sm text-slate-600">No invoices yet.</dd>
              )}
            </div>
          </dl>
          <p className="mt-6">
            <Link href="/invoices" className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800">
              Go to invoices
            </Link>
          </p>
          {spend && (
            <section aria-labelledby="spend-heading" className="mt-10">
              <h2 id="spend-heading" className="mb-4 text-xl font-semibold">Spend</h2>
              <MonthSoFar month={spend.month} language={language} />
              <BudgetShare viewer={viewer} spend={spend.month} />
              <ByServiceRegion month={spend.month} language={language} />
              <HistoryChart history={spend.history} language={language} />
            </section>
          )}
        </>
      ) : (
        <p className="rounded-lg border border-slate-200 bg-white p-5 text-slate-700">
          Welcome, {viewer.name}. Your user has no access to invoices; an administrator of {viewer.account.name} can grant it on the Users page.
        </p>
      )}
    </>
  );
}
