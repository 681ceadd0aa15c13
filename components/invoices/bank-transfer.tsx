/**
 * What a bank transfer needs: the provider's account, the exact amount and the reference to
 * quote for each invoice, with a payment QR code where the currency has one and Copy buttons.
 * One home for the Pay dialog's Bank transfer and the invoice page that a user with invoice
 * access Read sees (they pass these on to whoever pays). The data is made on the server
 * (bank-transfer-invoice.ts).
 */
import { electronicIban } from "@/lib/bank-details";
import { paysToBankgiro, type PaymentQrPayee } from "@/lib/payments/payment-qr";
import { CopyButton } from "./copy-button";
import { PaymentQrImage, type PaymentQrImageData } from "./payment-qr-image";

export type BankAccount = PaymentQrPayee;
export type BankTransferInvoice = {
  number: number;
  /** Formatted in the account's language. */
  outstanding: string;
  /** The same amount as plain digits ("1234.56"), what a bank's form takes when pasted. */
  outstandingPlain: string;
  paymentReference: string;
  qr: PaymentQrImageData | null;
};

const term = "text-slate-600";
const valueRow = "flex flex-wrap items-center gap-x-3 gap-y-1";

export function BankTransferDetails({
  bank,
  invoices,
  totalOutstanding,
  currency,
}: {
  bank: BankAccount;
  invoices: BankTransferInvoice[];
  totalOutstanding: string;
  currency: string;
}) {
  const several = invoices.length > 1;
  const bankgiro = paysToBankgiro(currency, bank.bankgiro);
  return (
    <div className="rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm">
      <p className="font-medium">Transfer exactly {totalOutstanding} {currency} to:</p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className={term}>Recipient</dt><dd>{bank.name}</dd>
        <dt className={term}>IBAN</dt>
        <dd className={valueRow}>
          <span className="font-mono">{bank.iban}</span>
          {!bankgiro && <CopyButton value={electronicIban(bank.iban)} what="IBAN" />}
        </dd>
        {bank.bic && <><dt className={term}>BIC</dt><dd className="font-mono">{bank.bic}</dd></>}
        {bank.bankgiro && (
          <>
            <dt className={term}>Bankgiro</dt>
            <dd className={valueRow}>
              <span className="font-mono">{bank.bankgiro}</span>
              {bankgiro && <CopyButton value={bank.bankgiro} what="bankgiro number" />}
            </dd>
          </>
        )}
      </dl>
      <p className="mt-3 font-medium">Payment reference to quote</p>
      {several && <p className="text-slate-700">Make one transfer per invoice, each with its own amount and reference.</p>}
      <ul className="mt-2 space-y-4">
        {invoices.map((i) => {
          const of = several ? ` of invoice ${i.number}` : "";
          return (
            <li key={i.number}>
              {several && <p className="font-medium">Invoice {i.number}</p>}
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
                <dt className={term}>Amount</dt>
                <dd className={valueRow}>
                  <span className="font-semibold tabular-nums">{i.outstanding} {currency}</span>
                  <CopyButton value={i.outstandingPlain} what={`amount${of}`} />
                </dd>
                <dt className={term}>Reference</dt>
                <dd className={valueRow}>
                  <span className="font-mono font-semibold">{i.paymentReference}</span>
                  <CopyButton value={i.paymentReference} what={`reference${of}`} />
                </dd>
              </dl>
              {i.qr && <PaymentQrImage qr={i.qr} />}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
