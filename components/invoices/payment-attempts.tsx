import { PaymentStatus } from "@/components/payments/payment-status";
import { ReceiptLink } from "@/components/payments/receipt-link";
import { formatDateTime } from "@/lib/dates";
import { formatMoney } from "@/lib/money";
import type { InvoicePaymentAttempt } from "@/lib/payments/attempts";
import { PAYMENT_METHOD_LABEL } from "@/lib/payments/states";

const cell = "px-3 py-2";

/**
 * The invoice's Payment attempts: each attempt with its date, method (the card's brand and last
 * four when known), channel, status in words and icon, with the decline reason, and amount.
 */
export function PaymentAttempts({ attempts, currency, language, timeZone }: { attempts: InvoicePaymentAttempt[]; currency: string; language: Parameters<typeof formatMoney>[2]; timeZone: string }) {
  const money = (minor: bigint) => formatMoney(minor, currency, language);
  return (
    <section aria-labelledby="payments-heading" className="@container mb-6 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="payments-heading" className="mb-3 text-lg font-semibold">Payment attempts</h2>
      {attempts.length === 0 ? (
        <p className="text-sm text-slate-700">No payments or attempts yet.</p>
      ) : (
        <table className="stack-table min-w-full text-sm">
          <caption className="sr-only">Payments and attempts for this invoice, newest first</caption>
          <thead className="text-left">
            <tr>
              <th scope="col" className={cell}>Date</th>
              <th scope="col" className={cell}>Method</th>
              <th scope="col" className={cell}>Channel</th>
              <th scope="col" className={cell}>Status</th>
              <th scope="col" className={`${cell} text-right`}>Amount</th>
              <th scope="col" className={cell}>Receipt</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((p) => {
              const when = formatDateTime(p.settledAt ?? p.createdAt, timeZone, language);
              return (
                <tr key={p.id} className="border-t border-slate-100">
                  <td data-label="Date" className={cell}>{when}</td>
                  <td data-label="Method" className={cell}>{p.card ?? PAYMENT_METHOD_LABEL[p.method]}</td>
                  <td data-label="Channel" className={cell}>{p.channelLabel}</td>
                  <td data-label="Status" className={cell}>
                    <PaymentStatus state={p.state} />
                    {p.failureReason && <span className="mt-0.5 block text-slate-700">Reason: {p.failureReason}</span>}
                  </td>
                  <td data-label="Amount" className={`${cell} text-right tabular-nums`}>{money(p.amountMinor)}</td>
                  <td data-label="Receipt" className={cell}>
                    <ReceiptLink paymentId={p.state === "succeeded" ? p.id : null} description={`${money(p.paymentTotalMinor)} on ${when}`} missing="No receipt: not settled" />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
