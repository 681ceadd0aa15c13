import { ArrowDownTrayIcon, CalendarDaysIcon, CodeBracketIcon, DocumentTextIcon } from "@heroicons/react/20/solid";
import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BankTransferDetails } from "@/components/invoices/bank-transfer";
import { bankTransferInvoice, providerBankAccount } from "@/components/invoices/bank-transfer-invoice";
import { PayDialogLoader, payRequest } from "@/components/invoices/pay-dialog-loader";
import { PaymentResult } from "@/components/invoices/payment-result";
import { StatusIcon } from "@/components/invoices/status-badge";
import { PaymentAttempts } from "@/components/invoices/payment-attempts";
import { getInvoicePayments } from "@/lib/dal/payments";
import { Breadcrumb } from "@/components/shell/breadcrumb";
import { InvoiceComparison } from "@/components/invoices/comparison";
import { ShareInvoiceButton } from "@/components/sharing/share-dialog";
import { canShareInvoices } from "@/lib/dal/sharing";
import { getInvoice, getInvoiceEInvoiceDelivery, getPreviousInvoice, parseInvoiceNumber } from "@/lib/dal/invoices";
import { canPayInvoices, requireInvoiceReader } from "@/lib/dal/session";
import { formatDate, formatDateTime } from "@/lib/dates";
import { formatAmount, formatMoney, formatRate } from "@/lib/money";
import { countryName } from "@/lib/countries";
import { formatQuantity, formatUnitPrice, groupByService, localizedLines, vatNote } from "@/lib/invoices/presentation";

type Props = { params: Promise<{ number: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { number } = await params;
  return { title: parseInvoiceNumber(number) ? `Invoice ${number}` : "Invoice" };
}

export default async function InvoicePage({ params, searchParams }: Props) {
  const viewer = await requireInvoiceReader();
  const number = parseInvoiceNumber((await params).number);
  if (number === null) notFound();
  const [invoice, previous, paymentRows, raw, eInvoice] = await Promise.all([
    getInvoice(viewer, number),
    getPreviousInvoice(viewer, number),
    getInvoicePayments(viewer, number),
    searchParams,
    getInvoiceEInvoiceDelivery(viewer, number),
  ]);
  if (!invoice) notFound();
  const payNumbers = payRequest(raw);
  const paymentId = typeof raw.payment === "string" ? raw.payment : undefined;

  const { language, timeZone } = viewer.account;
  const money = (m: bigint) => formatMoney(m, invoice.currency, language);
  const amount = (m: bigint) => formatAmount(m, invoice.currency, language);
  const c = invoice.customer;
  const title = invoice.type === "credit_note" ? `Credit note ${invoice.number}` : `Invoice ${invoice.number}`;
  const cell = "px-3 py-2";
  // Something to pay and no card payment under way: Full is offered Pay, Read the bank-transfer details to pass on.
  const payable = invoice.type === "invoice" && invoice.outstandingMinor > 0n && invoice.status !== "processing";
  const canPay = canPayInvoices(viewer);
  const bank = providerBankAccount();

  return (
    <article className="max-w-5xl">
      <Breadcrumb items={[{ label: "Invoices", href: "/invoices" }, { label: title }]} />
      {paymentId && <PaymentResult viewer={viewer} paymentId={paymentId} />}
      {payNumbers !== undefined && <PayDialogLoader viewer={viewer} numbers={[invoice.number]} />}
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{title}</h1>
          <div className="mt-2 flex items-center gap-2 text-sm">
            <StatusIcon status={invoice.status} withText />
          </div>
        </div>
        <div className="no-print flex flex-wrap gap-2">
          <a href={`/invoices/${invoice.number}/pdf`} target="_blank" rel="noopener" className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600">
            <DocumentTextIcon aria-hidden="true" className="size-4" />
            View PDF
          </a>
          <a href={`/invoices/${invoice.number}/pdf?download=1`} download className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600">
            <ArrowDownTrayIcon aria-hidden="true" className="size-4" />
            Download PDF
          </a>
          <a href={`/invoices/${invoice.number}/ubl`} download className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600">
            <CodeBracketIcon aria-hidden="true" className="size-4" />
            Download e-invoice (XML)
          </a>
          {invoice.type === "invoice" && invoice.outstandingMinor > 0n && (
            <a href={`/invoices/${invoice.number}/calendar`} download className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600">
              <CalendarDaysIcon aria-hidden="true" className="size-4" />
              Add to calendar
            </a>
          )}
          {canShareInvoices(viewer) && <ShareInvoiceButton number={invoice.number} />}
          {payable && canPay && (
            // A client navigation (next/form): the dialog opens over this page and focus can return here.
            <Form action={`/invoices/${invoice.number}`} scroll={false}>
              <input type="hidden" name="pay" value={invoice.number} />
              <button type="submit" data-pay-opener={`detail:${invoice.number}`} className="inline-flex items-center gap-1.5 rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2">
                Pay this invoice
              </button>
            </Form>
          )}
        </div>
      </div>

      {payable && !canPay && (
        <section aria-labelledby="bank-transfer-heading" className="mb-6 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="bank-transfer-heading" className="mb-1 text-lg font-semibold">Pay by bank transfer</h2>
          <p className="mb-3 text-sm text-slate-700">Your user can see invoices but not pay them. Pass these details on to whoever pays.</p>
          <BankTransferDetails
            bank={bank}
            invoices={[bankTransferInvoice(bank, invoice, language)]}
            totalOutstanding={amount(invoice.outstandingMinor)}
            currency={invoice.currency}
          />
        </section>
      )}

      <div className="mb-6 grid gap-4 md:grid-cols-2">
        <section aria-labelledby="customer-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="customer-heading" className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-600">Billed to</h2>
          <address className="not-italic leading-6">
            <div className="font-medium">{c.name}</div>
            {c.careOf && <div>c/o {c.careOf}</div>}
            <div>{c.street}</div>
            <div>{c.zipCode} {c.city}</div>
            <div>{countryName(c.countryCode, language)}</div>
          </address>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            {c.organisationNumber && (<><dt className="text-slate-600">Organisation number</dt><dd>{c.organisationNumber}</dd></>)}
            {c.vatNumber && (<><dt className="text-slate-600">VAT number</dt><dd>{c.vatNumber}</dd></>)}
            {c.purchaseOrder && (<><dt className="text-slate-600">Purchase order</dt><dd>{c.purchaseOrder}</dd></>)}
          </dl>
          <p className="mt-3 text-xs text-slate-600">As issued on {formatDate(invoice.invoiceDate)}.</p>
        </section>
        <section aria-labelledby="dates-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="dates-heading" className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-600">Invoice details</h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">{invoice.type === "credit_note" ? "Credit note No" : "Invoice No"}</dt><dd>{invoice.number}</dd>
            <dt className="text-slate-600">Type</dt><dd>{invoice.type === "credit_note" ? "Credit note" : "Invoice"}</dd>
            <dt className="text-slate-600">Period</dt><dd>{formatDate(invoice.periodStart)} – {formatDate(invoice.periodEnd)}</dd>
            <dt className="text-slate-600">Invoice Date</dt><dd>{formatDate(invoice.invoiceDate)}</dd>
            {/* A credit note is nothing to pay: no due date, no payment reference. */}
            {invoice.type === "invoice" && (
              <>
                <dt className="text-slate-600">Due Date</dt><dd>{formatDate(invoice.dueDate)}</dd>
                <dt className="text-slate-600">Payment reference</dt><dd className="font-mono">{invoice.paymentReference}</dd>
              </>
            )}
            <dt className="text-slate-600">Currency</dt><dd>{invoice.currency}</dd>
          </dl>
          {invoice.related.length > 0 && (
            <p className="mt-3 text-sm">
              {invoice.type === "credit_note" ? "Credits " : "Credit notes: "}
              {invoice.related.map((r, i) => (
                <span key={r.number}>
                  {i > 0 && ", "}
                  <Link href={`/invoices/${r.number}`} className="text-brand-700 underline">
                    {r.type === "credit_note" ? "Credit note" : "Invoice"} {r.number}
                  </Link>
                </span>
              ))}
            </p>
          )}
          {invoice.creditReason && <p className="mt-2 text-sm text-slate-700">Reason: {invoice.creditReason}</p>}
        </section>
      </div>

      <section aria-labelledby="lines-heading" className="@container mb-6 rounded-lg border border-slate-200 bg-white shadow-sm">
        <h2 id="lines-heading" className="px-5 pt-4 text-lg font-semibold">Specification</h2>
        <table className="lines-table mt-2 min-w-full text-sm">
          <caption className="sr-only">Line items grouped by service, amounts in {invoice.currency} excluding VAT</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-left">
            <tr>
              <th scope="col" className={cell}>Description</th>
              <th scope="col" className={`${cell} text-right`}>Quantity</th>
              <th scope="col" className={cell}>Unit</th>
              <th scope="col" className={`${cell} text-right`}>Unit price</th>
              <th scope="col" className={`${cell} text-right`}>VAT</th>
              <th scope="col" className={`${cell} text-right`}>Amount</th>
            </tr>
          </thead>
          {groupByService(localizedLines(invoice, language)).map((g) => (
            <tbody key={g.service} className="border-b border-slate-100">
              <tr className="bg-slate-50/60">
                <th scope="rowgroup" colSpan={6} className={`${cell} text-left font-semibold`}>{g.service}</th>
              </tr>
              {g.lines.map((l) => (
                <tr key={l.position}>
                  <td className={cell}>{l.label}</td>
                  <td className={`${cell} text-right tabular-nums`}>{formatQuantity(l.quantity, language)}</td>
                  <td className={cell}>{l.unit}</td>
                  <td className={`${cell} text-right tabular-nums`}>{formatUnitPrice(l.unitPriceMinor, invoice.currency, language)}</td>
                  <td className={`${cell} text-right tabular-nums`}>{formatRate(l.vatRateBp, language)}</td>
                  <td className={`${cell} text-right tabular-nums`}>{amount(l.amountMinor)}</td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
        <dl className="ml-auto grid max-w-sm grid-cols-[1fr_auto] gap-x-6 gap-y-1 px-5 py-4 text-sm">
          <dt>Subtotal</dt><dd className="text-right tabular-nums">{money(invoice.totals.netMinor)}</dd>
          {invoice.totals.vatGroups.map((g) => (
            <div key={g.rateBp} className="contents">
              <dt>VAT {formatRate(g.rateBp, language)} of {amount(g.baseMinor)}</dt>
              <dd className="text-right tabular-nums">{money(g.vatMinor)}</dd>
            </div>
          ))}
          <dt className="border-t border-slate-200 pt-1 font-semibold">Total</dt>
          <dd className="border-t border-slate-200 pt-1 text-right font-semibold tabular-nums">{money(invoice.totalMinor)}</dd>
          {invoice.type === "invoice" && (
            <>
              <dt>Payments applied</dt><dd className="text-right tabular-nums">{money(invoice.settledMinor)}</dd>
              {invoice.creditedMinor > 0n && (<><dt>Credited</dt><dd className="text-right tabular-nums">{money(invoice.creditedMinor)}</dd></>)}
              <dt className="font-semibold">Outstanding Amount</dt>
              <dd className="text-right font-semibold tabular-nums">{money(invoice.outstandingMinor)}</dd>
            </>
          )}
        </dl>
        {vatNote(invoice.vatCategory, language) && <p className="px-5 pb-4 text-sm text-slate-700">{vatNote(invoice.vatCategory, language)}</p>}
      </section>

      {invoice.type === "invoice" && <InvoiceComparison invoice={invoice} previous={previous} language={language} />}

      <PaymentAttempts attempts={paymentRows} currency={invoice.currency} language={language} timeZone={timeZone} />

      <section aria-labelledby="delivery-heading" className="@container rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="delivery-heading" className="mb-3 text-lg font-semibold">Delivery log</h2>
        {eInvoice && (
          <p className="mb-3 text-sm">
            E-invoice (Peppol) to <span className="font-mono">{eInvoice.participantId}</span>:{" "}
            {eInvoice.status === "sent" && eInvoice.sentAt
              ? `delivered ${formatDateTime(eInvoice.sentAt, timeZone, language)}`
              : eInvoice.status === "failed"
                ? `failed${eInvoice.lastError ? `: ${eInvoice.lastError}` : ""}`
                : "waiting to be delivered"}
          </p>
        )}
        {invoice.deliveries.length === 0 ? (
          <p className="text-sm text-slate-700">This invoice has not been emailed to anyone yet.</p>
        ) : (
          <table className="stack-table min-w-full text-sm">
            <caption className="sr-only">Where the invoice email went</caption>
            <thead className="text-left">
              <tr>
                <th scope="col" className={cell}>Recipient</th>
                <th scope="col" className={cell}>Sent</th>
                <th scope="col" className={cell}>Result</th>
              </tr>
            </thead>
            <tbody>
              {invoice.deliveries.map((d, i) => (
                <tr key={i} className="border-t border-slate-100">
                  <td data-label="Recipient" className={cell}>{d.recipient}</td>
                  <td data-label="Sent" className={cell}>{formatDateTime(d.at, timeZone, language)}</td>
                  <td data-label="Result" className={cell}>{d.status === "accepted" ? "Accepted" : `Failed${d.error ? `: ${d.error}` : ""}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </article>
  );
}
