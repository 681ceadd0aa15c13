import { CheckCircleIcon, ClockIcon, XCircleIcon } from "@heroicons/react/24/solid";
import Link from "next/link";
import { reconcileAndGetPaymentResult } from "@/lib/dal/payments";
import type { Viewer } from "@/lib/dal/session";
import { formatMoney } from "@/lib/money";
import { plural } from "@/lib/plural";
import { AutoRefresh } from "./auto-refresh";
import { ReturnFocus } from "./return-focus";

/** The result shown when the provider sends the person back: paid, declined, or processing. */
export async function PaymentResult({ viewer, paymentId }: { viewer: Viewer; paymentId: string }) {
  const payment = await reconcileAndGetPaymentResult(viewer, paymentId);
  if (!payment) return null;
  const amount = formatMoney(payment.amountMinor, payment.currency, viewer.account.language);
  const count = payment.invoiceNumbers.length;
  const which = count === 1 ? `invoice ${payment.invoiceNumbers[0]}` : plural(count, { one: "# invoice", other: "# invoices" });
  const stillOutstanding = count === 1 ? `invoice ${payment.invoiceNumbers[0]} is still outstanding` : plural(count, { one: "# invoice is still outstanding", other: "the # invoices are still outstanding" });
  const retry = payment.invoiceNumbers.length === 1 ? `?pay=${payment.invoiceNumbers[0]}` : `?pay=selected&${payment.invoiceNumbers.map((n) => `n=${n}`).join("&")}`;
  if (payment.state === "succeeded") {
    return (
      <div role="status" className="mb-6 flex items-start gap-2 rounded-md border border-green-200 bg-green-50 px-4 py-3 text-green-900">
        <CheckCircleIcon aria-hidden="true" className="size-5 shrink-0 text-green-600" />
        <p>Payment received: {amount} for {which}. Thank you.</p>
      </div>
    );
  }
  if (payment.state === "failed" || payment.state === "cancelled") {
    return (
      <div role="alert" className="mb-6 flex items-start gap-2 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-red-900">
        <XCircleIcon aria-hidden="true" className="size-5 shrink-0 text-red-600" />
        <p>
          {/* The provider's reason is a sentence of its own ("Your card was declined."): never after "declined:". */}
          {payment.failureReason ?? (payment.state === "cancelled" ? "The payment was cancelled." : "Your payment was declined.")}{" "}
          Nothing was charged, and {stillOutstanding}.{" "}
          <Link href={retry} className="font-medium underline">Try again</Link>
        </p>
        {/* Focus goes back to the Pay control that opened the dialog (this page's, or the selection's). */}
        <ReturnFocus fallback={count === 1 ? { key: `detail:${payment.invoiceNumbers[0]}`, numbers: payment.invoiceNumbers } : { key: "selected", numbers: payment.invoiceNumbers }} />
      </div>
    );
  }
  return (
    <div role="status" className="mb-6 flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-amber-900">
      <ClockIcon aria-hidden="true" className="size-5 shrink-0 text-amber-600" />
      <p>Your payment of {amount} is being processed. This page updates itself when the result arrives.</p>
      <AutoRefresh />
    </div>
  );
}
