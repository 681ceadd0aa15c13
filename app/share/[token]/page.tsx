/**
 * A shared link's page, outside the panel: no navigation, no session, no payment. One invoice
 * shows its facts and PDF; a bundle lists its invoices with their PDFs and the ZIP. A dead,
 * tampered or unknown token is the same 404. Each opening writes an audit row.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { StatusIcon } from "@/components/invoices/status-badge";
import { getSharedInvoice, getSharedInvoiceRows, getSharedLink, recordSharedFetch, type SharedLink } from "@/lib/dal/shared";
import { formatDate, formatDateTime } from "@/lib/dates";
import { formatMoney } from "@/lib/money";
import { providerDetails } from "@/lib/provider";

type Props = { params: Promise<{ token: string }> };

// Besides X-Robots-Tag (proxy.ts): nothing behind a share link belongs in a search index.
export const metadata: Metadata = { title: "Shared invoices", robots: { index: false, follow: false } };

const linkClass = "font-medium text-brand-700 underline underline-offset-2";

export default async function SharedPage({ params }: Props) {
  const link = await getSharedLink((await params).token);
  if (!link) notFound();
  await recordSharedFetch(link, { what: "page" });
  const base = `/share/${(await params).token}`;
  return (
    <main className="mx-auto max-w-4xl px-4 py-8">
      <p className="text-sm text-slate-700">
        Shared with you read-only by a customer of {providerDetails().name}, until {formatDateTime(link.expiresAt, link.account.timeZone, link.account.language)}.
      </p>
      {link.isBundle ? <SharedBundle link={link} base={base} /> : <SharedInvoice link={link} base={base} />}
    </main>
  );
}

async function SharedInvoice({ link, base }: { link: SharedLink; base: string }) {
  const invoice = await getSharedInvoice(link, link.invoiceNumbers[0]!);
  if (!invoice) notFound();
  const money = (m: bigint) => formatMoney(m, invoice.currency, link.account.language);
  const title = `${invoice.type === "credit_note" ? "Credit note" : "Invoice"} ${invoice.number}`;
  return (
    <article className="mt-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <div className="mt-2 text-sm"><StatusIcon status={invoice.status} withText /></div>
      <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
        <dt className="text-slate-600">Billed to</dt><dd>{invoice.customer.name}</dd>
        <dt className="text-slate-600">Period</dt><dd>{formatDate(invoice.periodStart)} – {formatDate(invoice.periodEnd)}</dd>
        <dt className="text-slate-600">Invoice Date</dt><dd>{formatDate(invoice.invoiceDate)}</dd>
        {invoice.type === "invoice" && (<><dt className="text-slate-600">Due Date</dt><dd>{formatDate(invoice.dueDate)}</dd></>)}
        <dt className="text-slate-600">Subtotal</dt><dd className="tabular-nums">{money(invoice.totals.netMinor)}</dd>
        <dt className="text-slate-600">VAT</dt><dd className="tabular-nums">{money(invoice.totals.vatMinor)}</dd>
        <dt className="font-semibold">Total</dt><dd className="font-semibold tabular-nums">{money(invoice.totalMinor)}</dd>
        {invoice.type === "invoice" && (<><dt className="text-slate-600">Outstanding Amount</dt><dd className="tabular-nums">{money(invoice.outstandingMinor)}</dd></>)}
      </dl>
      <p className="mt-5 flex flex-wrap gap-4 text-sm">
        <a href={`${base}/pdf/${invoice.number}`} target="_blank" rel="noopener" className={linkClass}>View PDF</a>
        <a href={`${base}/pdf/${invoice.number}?download=1`} download className={linkClass}>Download PDF</a>
      </p>
    </article>
  );
}

async function SharedBundle({ link, base }: { link: SharedLink; base: string }) {
  const rows = await getSharedInvoiceRows(link);
  const cell = "px-3 py-2";
  return (
    <section className="mt-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h1 className="text-2xl font-semibold">Shared invoices</h1>
      <p className="mt-3 text-sm">
        <a href={`${base}/download`} download className={linkClass}>Download all as ZIP ({rows.length} PDFs and index.csv)</a>
      </p>
      <table className="stack-table mt-4 min-w-full text-sm">
        <caption className="sr-only">The shared invoices</caption>
        <thead className="text-left">
          <tr>
            <th scope="col" className={cell}>Invoice No</th>
            <th scope="col" className={cell}>Status</th>
            <th scope="col" className={cell}>Invoice Date</th>
            <th scope="col" className={cell}>Due Date</th>
            <th scope="col" className={`${cell} text-right`}>Amount</th>
            <th scope="col" className={`${cell} text-right`}>Outstanding Amount</th>
            <th scope="col" className={cell}><span className="sr-only">PDF</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.number} className="border-t border-slate-100">
              <td data-label="Invoice No" className={cell}>{r.type === "credit_note" ? `Credit note ${r.number}` : r.number}</td>
              <td data-label="Status" className={cell}><StatusIcon status={r.status} withText /></td>
              <td data-label="Invoice Date" className={cell}>{formatDate(r.invoiceDate)}</td>
              <td data-label="Due Date" className={cell}>{formatDate(r.dueDate)}</td>
              <td data-label="Amount" className={`${cell} text-right tabular-nums`}>{formatMoney(r.totalMinor, r.currency, link.account.language)}</td>
              <td data-label="Outstanding Amount" className={`${cell} text-right tabular-nums`}>{formatMoney(r.outstandingMinor, r.currency, link.account.language)}</td>
              <td className={cell}>
                <a href={`${base}/pdf/${r.number}`} target="_blank" rel="noopener" className={linkClass}>
                  PDF<span className="sr-only"> of invoice {r.number}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
