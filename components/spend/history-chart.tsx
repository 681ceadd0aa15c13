import { formatMonth, formatShortMonth } from "@/lib/dates";
import { formatDecimal } from "@/lib/format/decimal";
import { formatAmount, minorDigits, toDecimalString } from "@/lib/money";
import type { SpendHistory } from "@/lib/billing/spend-history";
import { TableToggle } from "./table-toggle";

type Language = Parameters<typeof formatAmount>[2];

/** Colour and pattern per stacked service: told apart by pattern (and the legend) as well as by colour. */
const STYLES = [
  { colour: "#2563eb", pattern: "solid" },
  { colour: "#d97706", pattern: "stripes" },
  { colour: "#059669", pattern: "dots" },
  { colour: "#9333ea", pattern: "cross" },
  { colour: "#db2777", pattern: "horizontal" },
  { colour: "#64748b", pattern: "vertical" },
] as const;
const styleOf = (i: number) => STYLES[i % STYLES.length]!;

const WIDTH = 480;
const HEIGHT = 260;
const PLOT = { left: 56, right: 8, top: 10, bottom: 40 };

/**
 * The axis: round tick steps (1, 2, 2.5, 5 × 10ⁿ major units, about four over the range) up to
 * the tallest bar; below zero the axis reaches only as deep as the largest credit, so that a
 * small discount does not take a whole step of the chart.
 */
function axisFor(minMajor: number, maxMajor: number): { ticks: number[]; lowest: number; highest: number } {
  const raw = Math.max(maxMajor - minMajor, 1) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const highest = Math.max(Math.ceil(maxMajor / step), 1) * step;
  const ticks: number[] = [];
  for (let v = Math.ceil(minMajor / step) * step; v <= highest + step / 2; v += step) ticks.push(Math.round(v * 100) / 100);
  return { ticks, lowest: Math.min(minMajor, 0), highest };
}

function PatternDefs({ count }: { count: number }) {
  return (
    <defs>
      {Array.from({ length: count }, (_, i) => {
        const { colour, pattern } = styleOf(i);
        const mark = "rgb(255 255 255 / 0.75)";
        return (
          <pattern key={i} id={`spend-pattern-${i}`} width="6" height="6" patternUnits="userSpaceOnUse">
            <rect width="6" height="6" fill={colour} />
            {pattern === "stripes" && <path d="M-1,7 l8,-8 M-1,1 l2,-2 M5,7 l2,-2" stroke={mark} strokeWidth="1.5" />}
            {pattern === "dots" && <circle cx="3" cy="3" r="1.3" fill={mark} />}
            {pattern === "cross" && <path d="M0,0 L6,6 M6,0 L0,6" stroke={mark} strokeWidth="1" />}
            {pattern === "horizontal" && <path d="M0,3 H6" stroke={mark} strokeWidth="1.5" />}
            {pattern === "vertical" && <path d="M3,0 V6" stroke={mark} strokeWidth="1.5" />}
          </pattern>
        );
      })}
    </defs>
  );
}

/** The last 24 months as stacked bars by service (credits below zero), server-rendered SVG. */
export function HistoryChart({ history, language }: { history: SpendHistory; language: Language }) {
  const { currency, services, months } = history;
  const toMajor = (minor: bigint) => Number(toDecimalString(minor, currency));
  const positive = months.map((m) => [...m.byService.values()].reduce((s, v) => (v > 0n ? s + v : s), 0n));
  const negative = months.map((m) => [...m.byService.values()].reduce((s, v) => (v < 0n ? s + v : s), 0n));
  const { ticks, lowest, highest } = axisFor(Math.min(0, ...negative.map(toMajor)), Math.max(0, ...positive.map(toMajor)));
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const y = (major: number) => PLOT.top + ((highest - major) / (highest - lowest || 1)) * plotHeight;
  const slot = (WIDTH - PLOT.left - PLOT.right) / months.length;
  const label = (month: string) => formatMonth(month, language);
  const axisLabel = (month: string) => formatShortMonth(month, language);
  const tickText = (major: number) => formatDecimal(String(major), language);
  const first = months[0]!.month;
  const last = months[months.length - 1]!.month;

  if (services.length === 0) {
    return (
      <section aria-labelledby="spend-history" className="mt-8">
        <h3 id="spend-history" className="mb-3 text-lg font-semibold">The last 24 months</h3>
        <p className="rounded-lg border border-slate-200 bg-white p-5 text-slate-700">No invoices in the last 24 months.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="spend-history" className="mt-8">
      <h3 id="spend-history" className="mb-3 text-lg font-semibold">The last 24 months</h3>
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <ul className="mb-3 flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-label="Services">
          {services.map((service, i) => (
            <li key={service} className="flex items-center gap-1.5">
              <svg width="14" height="14" aria-hidden="true" className="shrink-0"><rect width="14" height="14" fill={`url(#spend-pattern-${i})`} stroke="currentColor" strokeOpacity="0.3" /></svg>
              {service}
            </li>
          ))}
        </ul>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="spend-history-desc" className="h-auto w-full max-w-3xl text-slate-600">
          <title id="spend-history-desc">{`Spend per month by service, excl. VAT, ${label(first)} to ${label(last)}, in ${currency}; the same figures are in the table behind Show as table.`}</title>
          <PatternDefs count={services.length} />
          {ticks.map((t) => (
            <g key={t}>
              <line x1={PLOT.left} x2={WIDTH - PLOT.right} y1={y(t)} y2={y(t)} stroke="currentColor" strokeOpacity={t === 0 ? 0.7 : 0.2} />
              <text x={PLOT.left - 4} y={y(t)} dy="0.32em" textAnchor="end" fontSize="10" fill="currentColor">{tickText(t)}</text>
            </g>
          ))}
          <text x={4} y={PLOT.top} dy="0.32em" fontSize="9" fill="currentColor" transform={`rotate(-90 4 ${PLOT.top})`} textAnchor="end">{currency}</text>
          {months.map((m, k) => {
            const x = PLOT.left + k * slot + slot * 0.15;
            let up = 0;
            let down = 0;
            return (
              <g key={m.month}>
                {services.map((service, i) => {
                  const minor = m.byService.get(service) ?? 0n;
                  if (minor === 0n) return null;
                  const major = toMajor(minor);
                  const [from, to] = major > 0 ? [up, (up += major)] : [down, (down += major)];
                  return (
                    <rect key={service} x={x} width={slot * 0.7} y={y(Math.max(from, to))} height={Math.abs(y(from) - y(to))} fill={`url(#spend-pattern-${i})`}>
                      <title>{`${service}, ${label(m.month)}: ${formatAmount(minor, currency, language)} ${currency}`}</title>
                    </rect>
                  );
                })}
                {k % 3 === 0 && (
                  <text x={x + slot * 0.35} y={HEIGHT - PLOT.bottom + 14} textAnchor="middle" fontSize="10" fill="currentColor">
                    {axisLabel(m.month)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
        <TableToggle>
          <HistoryTable history={history} language={language} />
        </TableToggle>
      </div>
    </section>
  );
}

/** The chart's figures as a table: a row per month, a column per service, and the month's total. */
function HistoryTable({ history, language }: { history: SpendHistory; language: Language }) {
  const { currency, services, months } = history;
  const amount = (minor: bigint) => formatAmount(minor, currency, language);
  return (
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="The last 24 months as a table">
      {/* The cells' look is the table's (globals.css, .history-table): 24 rows × every service. */}
      <table className="history-table w-full text-sm">
        <caption className="sr-only">{`Spend per month by service, excl. VAT, in ${currency} (${minorDigits(currency)} decimals)`}</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            {services.map((s) => <th key={s} scope="col">{s}</th>)}
            <th scope="col">{`Total (${currency})`}</th>
          </tr>
        </thead>
        <tbody>
          {[...months].reverse().map((m) => (
            <tr key={m.month}>
              <th scope="row">{formatMonth(m.month, language)}</th>
              {services.map((s) => <td key={s}>{amount(m.byService.get(s) ?? 0n)}</td>)}
              <td>{amount(m.totalMinor)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
