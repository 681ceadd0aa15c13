/**
 * What a bank transfer needs: the provider's account, the exact amount and the reference to
 * quote for each invoice. One home for the Pay dialog's Bank transfer and the invoice page that
 * a user with invoice access Read sees (they pass these on to whoever pays).
 */
export type BankAccount = { name: string; iban: string; bic: string; bankgiro: string | null };
export type BankTransferInvoice = { number: number; outstanding: string; paymentReference: string };

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
  return (
    <div className="rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm">
      <p className="font-medium">Transfer exactly {totalOutstanding} {currency} to:</p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="text-slate-600">Recipient</dt><dd>{bank.name}</dd>
        <dt className="text-slate-600">IBAN</dt><dd className="font-mono break-all">{bank.iban}</dd>
        <dt className="text-slate-600">BIC</dt><dd className="font-mono">{bank.bic}</dd>
        {bank.bankgiro && (<><dt className="text-slate-600">Bankgiro</dt><dd className="font-mono">{bank.bankgiro}</dd></>)}
      </dl>
      <p className="mt-3 font-medium">Payment reference to quote</p>
      <ul className="mt-1 space-y-1">
        {invoices.map((i) => (
          <li key={i.number}>
            {invoices.length > 1 && <span className="text-slate-600">Invoice {i.number}, {i.outstanding} {currency}: </span>}
            <span className="font-mono font-semibold">{i.paymentReference}</span>
          </li>
        ))}
      </ul>
      {invoices.length > 1 && <p className="mt-2 text-slate-700">Make one transfer per invoice, each with its own reference.</p>}
    </div>
  );
}
