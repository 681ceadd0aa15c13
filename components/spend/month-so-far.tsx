import { FIRST_FORECAST_DAY, FORECAST_WINDOW_DAYS } from "@/lib/billing/forecast";
import type { MonthSpend } from "@/lib/billing/month-spend";
import { formatMoney } from "@/lib/money";

type Language = Parameters<typeof formatMoney>[2];

const card = "rounded-lg border border-slate-200 bg-white p-5 shadow-sm";

/** This month so far and its forecast, with how the forecast is made. */
export function MonthSoFar({ month, language }: { month: MonthSpend; language: Language }) {
  return (
    <dl className="grid gap-4 sm:grid-cols-2">
      <div className={card}>
        <dt className="text-sm font-medium text-slate-600">This month so far</dt>
        <dd className="mt-2 text-2xl font-semibold tabular-nums">{formatMoney(month.spentMinor, month.currency, language)}</dd>
        <dd className="mt-1 text-sm text-slate-600">
          Excl. VAT, priced as the month&apos;s invoice will be.
          {month.unpricedProducts.length > 0 && ` Not included, no price yet: ${month.unpricedProducts.join(", ")}.`}
        </dd>
      </div>
      <div className={card}>
        <dt className="text-sm font-medium text-slate-600">Forecast for the month</dt>
        {month.forecastMinor === null ? (
          <>
            <dd className="mt-2 text-2xl font-semibold">Too early to forecast</dd>
            <dd className="mt-1 text-sm text-slate-600">A forecast is made from the {FIRST_FORECAST_DAY}rd of the month.</dd>
          </>
        ) : (
          <>
            <dd className="mt-2 text-2xl font-semibold tabular-nums">{formatMoney(month.forecastMinor, month.currency, language)}</dd>
            <dd className="mt-1 text-sm text-slate-600">
              Excl. VAT: spend so far plus the average daily spend of the last {FORECAST_WINDOW_DAYS} complete days (before today) for each
              day left in the month.
            </dd>
          </>
        )}
      </div>
    </dl>
  );
}

/** The month so far per service and region, largest first, each with a bar against the largest. */
export function ByServiceRegion({ month, language }: { month: MonthSpend; language: Language }) {
  const largest = month.byServiceRegion.reduce((max, r) => (r.netMinor > max ? r.netMinor : max), 0n);
  return (
    <section aria-labelledby="by-service-region" className="mt-8">
      <h3 id="by-service-region" className="mb-3 text-lg font-semibold">By service and region</h3>
      {month.byServiceRegion.length === 0 ? (
        <p className={`${card} text-slate-700`}>No usage recorded this month yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-sm">
            <caption className="sr-only">This month so far by service and region, excl. VAT, largest first</caption>
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Service</th>
                <th scope="col" className="px-4 py-2 font-medium">Region</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Amount</th>
                <th scope="col" className="w-1/4 px-4 py-2 font-medium sm:w-2/5"><span className="sr-only">Share of the largest</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {month.byServiceRegion.map((r) => {
                const sharePct = largest > 0n && r.netMinor > 0n ? Number((r.netMinor * 1000n) / largest) / 10 : 0;
                return (
                  <tr key={`${r.service}/${r.region ?? ""}`}>
                    <th scope="row" className="px-4 py-2 text-left font-medium">{r.service}</th>
                    <td className="px-4 py-2">{r.region ?? "All regions"}</td>
                    <td className="px-4 py-2 text-right tabular-nums whitespace-nowrap">{formatMoney(r.netMinor, month.currency, language)}</td>
                    <td className="px-4 py-2" aria-hidden="true">
                      {/* An SVG bar: its width is an attribute, and the CSP allows no inline styles. */}
                      <svg viewBox="0 0 100 1" preserveAspectRatio="none" className="block h-3 w-full">
                        <rect width={sharePct} height="1" className="fill-brand-600" />
                      </svg>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
