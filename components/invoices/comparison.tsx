import Link from "next/link";
import type { Viewer } from "@/lib/dal/session";
import { formatDate } from "@/lib/dates";
import { compareInvoices, type LineChange, type LineChangeKind } from "@/lib/invoices/comparison";
import { comparableInvoice } from "@/lib/invoices/presentation";
import type { InvoiceDetail } from "@/lib/invoices/detail";
import { formatAmount, formatMoney, formatMoneyChange, formatPercentChange } from "@/lib/money";

type Language = Viewer["account"]["language"];
type Props = { invoice: InvoiceDetail; previous: InvoiceDetail | null; language: Language };

const KIND_TEXT: Record<LineChangeKind, string> = { new: "New", gone: "Gone", changed: "Changed", unchanged: "Unchanged" };

function percentText(row: LineChange, language: Language): string {
  if (row.kind === "new") return "new";
  return row.changeBp === null ? "no percentage (was 0)" : formatPercentChange(row.changeBp, language);
}

/** "vCPU (fra1) +312.40 EUR, +48 %". */
export function moverText(row: LineChange, currency: string, language: Language): string {
  return `${row.label} ${formatMoneyChange(row.changeMinor, currency, language)}, ${percentText(row, language)}`;
}

/** "Compared with last month": the invoice's lines against the previous invoice's, amounts excluding VAT. */
export function InvoiceComparison({ invoice, previous, language }: Props) {
  const comparison = compareInvoices(comparableInvoice(invoice, language), previous && comparableInvoice(previous, language));
  const { currency } = invoice;
  const cell = "px-3 py-2";
  return (
    <section aria-labelledby="comparison-heading" className="@container mb-6 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="comparison-heading" className="mb-2 text-lg font-semibold">Compared with last month</h2>
      {comparison.kind === "first" || !previous ? (
        <p className="text-sm text-slate-700">This is the account&apos;s first invoice: there is no previous invoice to compare it with.</p>
      ) : (
        <>
          <p className="mb-3 text-sm text-slate-700">
            Against <Link href={`/invoices/${previous.number}`} className="text-brand-700 underline">invoice {previous.number}</Link> for{" "}
            {formatDate(previous.periodStart)} – {formatDate(previous.periodEnd)}, amounts in {currency} excluding VAT.
          </p>
          {comparison.movers.length === 0 ? (
            <p className="mb-3 text-sm">No line changed.</p>
          ) : (
            <div className="mb-3 text-sm">
              <h3 id="movers-heading" className="font-semibold">Biggest changes</h3>
              <ol aria-labelledby="movers-heading" className="mt-1 list-decimal pl-5">
                {comparison.movers.map((row, i) => (
                  <li key={i}>{moverText(row, currency, language)}</li>
                ))}
              </ol>
            </div>
          )}
          {comparison.rows.length > 0 && (
            <table className="stack-table min-w-full text-sm">
              <caption className="sr-only">Each line against the previous invoice, amounts in {currency} excluding VAT</caption>
              <thead className="border-b border-slate-200 bg-slate-50 text-left">
                <tr>
                  <th scope="col" className={cell}>Description</th>
                  <th scope="col" className={cell}>Status</th>
                  <th scope="col" className={`${cell} text-right`}>This invoice</th>
                  <th scope="col" className={`${cell} text-right`}>Previous invoice</th>
                  <th scope="col" className={`${cell} text-right`}>Change</th>
                  <th scope="col" className={`${cell} text-right`}>Change %</th>
                </tr>
              </thead>
              <tbody>
                {comparison.rows.map((row, i) => (
                  <tr key={i} className="border-t border-slate-100">
                    <td data-label="Description" className={cell}>{row.label}</td>
                    <td data-label="Status" className={cell}>{KIND_TEXT[row.kind]}</td>
                    <td data-label="This invoice" className={`${cell} text-right tabular-nums`}>{row.currentMinor === null ? "—" : formatAmount(row.currentMinor, currency, language)}</td>
                    <td data-label="Previous invoice" className={`${cell} text-right tabular-nums`}>{row.previousMinor === null ? "—" : formatAmount(row.previousMinor, currency, language)}</td>
                    <td data-label="Change" className={`${cell} text-right tabular-nums`}>{formatMoneyChange(row.changeMinor, currency, language)}</td>
                    <td data-label="Change %" className={`${cell} text-right tabular-nums`}>{percentText(row, language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {comparison.creditNotes.length > 0 && (
        <div className="mt-4 text-sm">
          <h3 id="comparison-credits-heading" className="font-semibold">Credit notes of either month</h3>
          <ul aria-labelledby="comparison-credits-heading" className="mt-1 space-y-1">
            {comparison.creditNotes.map((note) => (
              <li key={note.number}>
                <Link href={`/invoices/${note.number}`} className="text-brand-700 underline">Credit note {note.number}</Link>
                {" "}of {formatDate(note.invoiceDate)}: {formatMoney(-note.totalMinor, currency, language)} including VAT
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
