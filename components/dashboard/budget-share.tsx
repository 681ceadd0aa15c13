import { budgetSharePercent } from "@/lib/billing/budget";
import type { MonthSpend } from "@/lib/billing/month-spend";
import { getViewerMonthlyBudget } from "@/lib/dal/budget";
import type { Viewer } from "@/lib/dal/session";
import { formatMoney } from "@/lib/money";

type Language = Viewer["account"]["language"];

function ShareRow({ label, amountMinor, budgetMinor, currency, language }: { label: string; amountMinor: bigint; budgetMinor: bigint; currency: string; language: Language }) {
  const percent = budgetSharePercent(amountMinor, budgetMinor);
  const over = amountMinor > budgetMinor;
  return (
    <div>
      <dt className="text-slate-600">{label}</dt>
      <dd>
        <span className="tabular-nums">{formatMoney(amountMinor, currency, language)}</span>, {percent} % of the budget{over ? " (over budget)" : ""}
        {/* The bar repeats the words for the eye (they say "over budget" too); an SVG, as the CSP allows no inline styles. */}
        <svg aria-hidden="true" viewBox="0 0 100 1" preserveAspectRatio="none" className="mt-1 block h-2 w-full">
          <rect width="100" height="1" className="fill-slate-200" />
          <rect width={Math.min(percent, 100)} height="1" className={over ? "fill-red-700" : "fill-brand-600"} />
        </svg>
      </dd>
    </div>
  );
}

/** The monthly budget, when set, as a share of the month so far and of the forecast (the Dashboard's spend section). */
export async function BudgetShare({ viewer, spend }: { viewer: Viewer; spend: MonthSpend }) {
  const budgetMinor = await getViewerMonthlyBudget(viewer);
  if (budgetMinor === null) return null;
  const { currency } = spend;
  const { language } = viewer.account;
  return (
    <section aria-labelledby="budget-share-heading" className="mt-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h3 id="budget-share-heading" className="text-lg font-semibold">Monthly budget</h3>
      <p className="text-sm text-slate-700">{formatMoney(budgetMinor, currency, language)} excluding VAT</p>
      <dl className="mt-3 space-y-3 text-sm">
        <ShareRow label="This month so far" amountMinor={spend.spentMinor} budgetMinor={budgetMinor} currency={currency} language={language} />
        {spend.forecastMinor === null ? (
          <div>
            <dt className="text-slate-600">Forecast for the month</dt>
            <dd>Too early to forecast</dd>
          </div>
        ) : (
          <ShareRow label="Forecast for the month" amountMinor={spend.forecastMinor} budgetMinor={budgetMinor} currency={currency} language={language} />
        )}
      </dl>
    </section>
  );
}
