/** The Receipt cell of a payments table: the receipt PDF in a new tab, or a dash said in words. */
export function ReceiptLink({ paymentId, description, missing }: { paymentId: string | null; description: string; missing: string }) {
  return paymentId ? (
    <a href={`/payments/${paymentId}/receipt`} target="_blank" rel="noopener" className="text-brand-700 underline">
      Receipt (PDF)
      <span className="sr-only"> for the payment of {description}, opens in a new tab</span>
    </a>
  ) : (
    <>
      <span aria-hidden="true" className="text-slate-600">–</span>
      <span className="sr-only">{missing}</span>
    </>
  );
}
