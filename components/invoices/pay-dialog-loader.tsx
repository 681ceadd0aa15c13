import { getChargeableCard } from "@/lib/dal/cards";
import { getPaymentQuote } from "@/lib/dal/payments";
import { canPayInvoices, type Viewer } from "@/lib/dal/session";
import { INVOICE_NUMBER_PATTERN } from "@/lib/invoices/numbers";
import { formatAmount } from "@/lib/money";
import { maskedCardLabel } from "@/lib/payments/card-label";
import { bankTransferInvoice, providerBankAccount } from "./bank-transfer-invoice";
import { PayDialog } from "./pay-dialog";

/** Which invoices a `?pay=` URL asks to pay: one number, the selected ones, or all outstanding. */
export function payRequest(params: Record<string, string | string[] | undefined>): number[] | null | undefined {
  const pay = Array.isArray(params.pay) ? params.pay[0] : params.pay;
  if (!pay) return undefined;
  if (pay === "outstanding") return null;
  const raw = pay === "selected" ? [params.n ?? []].flat() : [pay];
  return raw.filter((v) => INVOICE_NUMBER_PATTERN.test(v)).map(Number);
}

export async function PayDialogLoader({ viewer, numbers }: { viewer: Viewer; numbers: number[] | null }) {
  const [outstanding, savedCard] = await Promise.all([getPaymentQuote(viewer, numbers), getChargeableCard(viewer)]);
  // An invoice with a card payment under way shows "Payment processing" and is not offered again.
  const quote = outstanding.filter((q) => q.openPaymentId === null);
  if (quote.length === 0) {
    return (
      <p role="status" className="mb-4 rounded-md border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700">
        {outstanding.length > 0
          ? "A card payment is already under way for the chosen invoices. Their status changes when it settles or fails."
          : "Nothing is outstanding on the chosen invoices."}
      </p>
    );
  }
  const { language } = viewer.account;
  const currency = quote[0]!.currency;
  const f = (m: bigint) => formatAmount(m, currency, language);
  const total = quote.reduce((s, q) => s + q.outstandingMinor, 0n);
  const bank = providerBankAccount();
  return (
    <PayDialog
      transfers={quote.map((q) => bankTransferInvoice(bank, { ...q, type: "invoice" }, language))}
      invoices={quote.map((q) => ({
        number: q.number,
        lines: q.lines.map((l) => ({ label: l.label, amount: f(l.amountMinor) })),
        sum: f(q.netMinor),
        vat: f(q.vatMinor),
        total: f(q.totalMinor),
        paid: f(q.paidMinor),
        outstanding: f(q.outstandingMinor),
      }))}
      currency={currency}
      totalOutstanding={f(total)}
      totalOutstandingMinor={total.toString()}
      canPay={canPayInvoices(viewer)}
      bank={bank}
      savedCardLabel={savedCard && maskedCardLabel(savedCard)}
    />
  );
}
